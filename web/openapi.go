package web

import (
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// apiOp is the OpenAPI description of a JSON route; the document at
// /api/openapi.json is built from the route table, so it cannot drift.
type apiOp struct {
	ID        string   // operationId
	Summary   string   // one line, English
	Tag       string   // group: bodies, local-governments, registers
	Query     []string // query parameters (strings)
	Request   any      // zero value of the JSON request body type, nil for none
	Multipart bool     // the request is a multipart upload with a "file" part
	Response  any      // zero value of the response type
	List      bool     // the response is an array of Response
	Status    int      // success status; 200 when 0
}

// enums lists the allowed values of the string types used in the API.
var enums = map[reflect.Type][]string{
	reflect.TypeFor[platform.ItemType](): strs(platform.ItemText, platform.ItemNumber, platform.ItemDate,
		platform.ItemCode, platform.ItemAddress, platform.ItemName, platform.ItemIDNumber),
	reflect.TypeFor[platform.FileKind](): strs(platform.FileComputer, platform.FileManual),
	reflect.TypeFor[platform.BodyKind](): strs(platform.BodyGovernor, platform.BodyMayor, platform.BodyBoardEducation,
		platform.BodyElectionBoard, platform.BodyPersonnel, platform.BodyAuditCommission, platform.BodyPolice,
		platform.BodyAgriculture, platform.BodyFixedAssets, platform.BodyPublicEnterpise, platform.BodyAgency, platform.BodyOther),
	reflect.TypeFor[platform.Role]():   strs(platform.AllRoles...),
	reflect.TypeFor[platform.State]():  strs(platform.AllStates...),
	reflect.TypeFor[platform.Action](): strs(platform.AllActions...),
	reflect.TypeFor[fault.Code](): strs(fault.Invalid, fault.NotFound, fault.Conflict, fault.Unauthorized, fault.Forbidden,
		fault.TooMany, fault.TooLarge, fault.Unsatisfiable, fault.Internal, fault.Unavailable, fault.SchemaTooNew),
}

func strs[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

type schemaSet map[string]any

func schemaName(t reflect.Type) string {
	n := t.Name()
	if strings.HasPrefix(n, "api") {
		n = n[3:]
	}
	return n
}

// schema returns the JSON schema of t, adding named structs to set.
func (set schemaSet) schema(t reflect.Type) map[string]any {
	switch {
	case t == reflect.TypeFor[time.Time]():
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Pointer:
		s := set.schema(t.Elem())
		if _, ref := s["$ref"]; ref {
			return map[string]any{"allOf": []any{s}, "nullable": true}
		}
		s["nullable"] = true
		return s
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": set.schema(t.Elem())}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": set.schema(t.Elem())}
	case t.Kind() == reflect.Struct:
		name := schemaName(t)
		if _, done := set[name]; !done {
			set[name] = nil // break cycles
			props, req := map[string]any{}, []string{}
			set.fields(t, props, &req)
			obj := map[string]any{"type": "object", "properties": props}
			if len(req) > 0 {
				obj["required"] = req
			}
			set[name] = obj
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	s := map[string]any{}
	switch t.Kind() {
	case reflect.String:
		s["type"] = "string"
		if e, ok := enums[t]; ok {
			s["enum"] = e
		}
	case reflect.Bool:
		s["type"] = "boolean"
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint32:
		s["type"] = "integer"
		if t.Kind() == reflect.Int64 {
			s["format"] = "int64"
		}
	case reflect.Float32, reflect.Float64:
		s["type"] = "number"
	default:
		s["type"] = "string"
	}
	return s
}

// fields adds the JSON properties of struct t, flattening embedded structs
// as encoding/json does.
func (set schemaSet) fields(t reflect.Type, props map[string]any, req *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		jn, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			set.fields(f.Type, props, req)
			continue
		}
		if !f.IsExported() || jn == "-" {
			continue
		}
		if jn == "" {
			jn = f.Name
		}
		p := set.schema(f.Type)
		if d := f.Tag.Get("doc"); d != "" {
			p["description"] = d
		}
		props[jn] = p
		if !strings.Contains(opts, "omitempty") && f.Type.Kind() != reflect.Pointer {
			*req = append(*req, jn)
		}
	}
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// openAPI builds the OpenAPI 3 document of the API routes.
func (s *Server) openAPI() map[string]any {
	set := schemaSet{}
	errResp := map[string]any{"description": "error", "content": map[string]any{
		"application/json": map[string]any{"schema": set.schema(reflect.TypeFor[apiError]())}}}
	paths := map[string]any{}
	for _, rt := range s.routes {
		if rt.API == nil {
			continue
		}
		op := rt.API
		p := rt.path()
		params := []any{}
		for _, m := range pathParam.FindAllStringSubmatch(p, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true,
				"schema": map[string]any{"type": "string"}})
		}
		for _, q := range op.Query {
			params = append(params, map[string]any{"name": q, "in": "query", "required": false,
				"schema": map[string]any{"type": "string"}})
		}
		status := op.Status
		if status == 0 {
			status = http.StatusOK
		}
		ok := map[string]any{"description": http.StatusText(status)}
		if op.Response != nil {
			sch := set.schema(reflect.TypeOf(op.Response))
			if op.List {
				sch = map[string]any{"type": "array", "items": sch}
			}
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": sch}}
		}
		o := map[string]any{
			"operationId": op.ID, "summary": op.Summary, "tags": []string{op.Tag},
			"parameters": params,
			"responses": map[string]any{strconv.Itoa(status): ok, "400": errResp, "401": errResp,
				"403": errResp, "404": errResp, "409": errResp, "default": errResp},
		}
		if op.Request != nil {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": set.schema(reflect.TypeOf(op.Request))}}}
		}
		if op.Multipart {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object",
					"required": []string{"file"},
					"properties": map[string]any{"file": map[string]any{"type": "string", "format": "binary",
						"description": "register as CSV (UTF-8 or Shift_JIS) or XLSX; see docs/user-guide.md"}}}}}}
		}
		item, _ := paths[p].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[p] = item
		}
		item[strings.ToLower(rt.method())] = o
	}
	// The state vocabulary of the procedure, shared by law, code and API.
	set["CaseState"] = map[string]any{"type": "string", "enum": strs(platform.AllStates...),
		"description": "states of calls, proposals and per-body cases (domain.md §2.3)"}
	set["Role"] = set.schema(reflect.TypeFor[platform.Role]())
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "Tokumei API", "version": "1",
			"description": "Platform API of Tokumei (匿名加工情報). Authenticate with an API token " +
				"(Authorization: Bearer, issued at /account/token), or with the session cookie of a login, " +
				"in which case unsafe methods need the X-CSRF-Token header (the session's CSRF token)."},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{"schemas": set, "securitySchemes": map[string]any{
			"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "API token from /account/token"}}},
		"security": []any{map[string]any{"session": []string{}}, map[string]any{"bearer": []string{}}},
	}
}

func (s *Server) openAPIDoc(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.openAPI())
}

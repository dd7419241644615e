package web

import "net/http"

// routeTable declares every route of the server: pattern, handler, access
// and, for /api/v1, the OpenAPI description. Other parts of the UI append
// their own group (see the end of the function).
func (s *Server) routeTable() []route {
	rs := []route{
		// Infrastructure.
		{Pattern: "GET /healthz", Handler: s.healthz, Public: true},
		{Pattern: "GET /api/openapi.json", Handler: s.openAPIDoc, Public: true},

		// Login, second factor, logout.
		{Pattern: "GET /{$}", Handler: s.home, Public: true},
		{Pattern: "GET /login", Handler: s.loginForm, Public: true},
		{Pattern: "POST /login", Handler: s.login, Public: true},
		{Pattern: "GET /login/totp", Handler: s.totpForm, Pending: true},
		{Pattern: "POST /login/totp", Handler: s.totp, Pending: true},
		{Pattern: "GET /login/totp/enrol", Handler: s.enrolForm, Pending: true},
		{Pattern: "POST /login/totp/enrol", Handler: s.enrol, Pending: true},
		{Pattern: "POST /logout", Handler: s.logout, Pending: true},
		{Pattern: "GET /signup", Handler: s.signupForm, Public: true},
		{Pattern: "POST /signup", Handler: s.signup, Public: true},

		// Pages.
		{Pattern: "GET /dashboard", Handler: s.dashboard},
		{Pattern: "GET /bodies", Handler: s.bodies, Roles: bodyReaders},
		{Pattern: "GET /bodies/{body}/register", Handler: s.registerList, Roles: bodyReaders},
		{Pattern: "GET /bodies/{body}/register/new", Handler: s.registerNew, Roles: registerWriters},
		{Pattern: "POST /bodies/{body}/register", Handler: s.registerCreate, Roles: registerWriters},
		{Pattern: "GET /bodies/{body}/register/import", Handler: s.registerImportForm, Roles: registerWriters},
		{Pattern: "POST /bodies/{body}/register/import", Handler: s.registerImport, Roles: registerWriters},
		{Pattern: "GET /bodies/{body}/register/{entry}", Handler: s.registerShow, Roles: bodyReaders},
		{Pattern: "GET /bodies/{body}/register/{entry}/edit", Handler: s.registerEdit, Roles: registerWriters},
		{Pattern: "POST /bodies/{body}/register/{entry}", Handler: s.registerUpdate, Roles: registerWriters},
		{Pattern: "GET /bodies/{body}/register/{entry}/history", Handler: s.registerHistory, Roles: bodyReaders},
		{Pattern: "GET /admin/users", Handler: s.users, Roles: admins},
		{Pattern: "POST /admin/users", Handler: s.userCreate, Roles: admins},
		{Pattern: "GET /admin/users/{user}", Handler: s.userEdit, Roles: admins},
		{Pattern: "POST /admin/users/{user}", Handler: s.userUpdate, Roles: admins},
		{Pattern: "POST /admin/users/{user}/password", Handler: s.userPassword, Roles: admins},
		{Pattern: "POST /admin/users/{user}/totp-reset", Handler: s.userTOTPReset, Roles: admins},
		{Pattern: "GET /audit", Handler: s.auditLog, Roles: auditReaders},
		{Pattern: "GET /account/token", Handler: s.tokenForm},
		{Pattern: "POST /account/token", Handler: s.tokenCreate},

		// JSON API.
		{Pattern: "GET /api/v1/local-governments", Handler: s.apiLGList,
			API: &apiOp{ID: "listLocalGovernments", Tag: "local-governments", Query: []string{"pref"},
				Summary: "List local governments (of one prefecture with ?pref=NN)", Response: apiLocalGovernment{}, List: true}},
		{Pattern: "GET /api/v1/local-governments/{code}", Handler: s.apiLGShow,
			API: &apiOp{ID: "getLocalGovernment", Tag: "local-governments", Summary: "Show a local government by its 6-digit code",
				Response: apiLocalGovernment{}}},
		{Pattern: "GET /api/v1/bodies", Handler: s.apiBodyList,
			API: &apiOp{ID: "listBodies", Tag: "bodies", Query: []string{"lg"},
				Summary: "List executive bodies (of one local government with ?lg=CODE)", Response: apiBody{}, List: true}},
		{Pattern: "POST /api/v1/bodies", Handler: s.apiBodyCreate, Roles: bodyCreators,
			API: &apiOp{ID: "createBody", Tag: "bodies", Summary: "Create an executive body (admin, window officer)",
				Request: apiBody{}, Response: apiBody{}, Status: http.StatusCreated}},
		{Pattern: "GET /api/v1/bodies/{body}", Handler: s.apiBodyShow,
			API: &apiOp{ID: "getBody", Tag: "bodies", Summary: "Show an executive body", Response: apiBody{}}},
		{Pattern: "PUT /api/v1/bodies/{body}", Handler: s.apiBodyUpdate, Roles: bodyEditors,
			API: &apiOp{ID: "updateBody", Tag: "bodies", Summary: "Update an executive body (admin, window officer, its own approver)",
				Request: apiBody{}, Response: apiBody{}}},
		{Pattern: "GET /api/v1/bodies/{body}/register", Handler: s.apiRegisterList, Roles: bodyReaders,
			API: &apiOp{ID: "listRegisterEntries", Tag: "registers", Summary: "List the file register of a body",
				Response: apiRegisterEntry{}, List: true}},
		{Pattern: "POST /api/v1/bodies/{body}/register", Handler: s.apiRegisterCreate, Roles: registerWriters,
			API: &apiOp{ID: "createRegisterEntry", Tag: "registers", Summary: "Add an entry to a body's file register",
				Request: apiRegisterEntry{}, Response: apiRegisterEntry{}, Status: http.StatusCreated}},
		{Pattern: "POST /api/v1/bodies/{body}/register/import", Handler: s.apiRegisterImport, Roles: registerWriters,
			API: &apiOp{ID: "importRegister", Tag: "registers", Multipart: true, Response: apiImportResult{},
				Summary: "Import register entries from CSV or XLSX: all rows or none (400 lists every row error)"}},
		{Pattern: "GET /api/v1/bodies/{body}/register/{entry}", Handler: s.apiRegisterShow, Roles: bodyReaders,
			API: &apiOp{ID: "getRegisterEntry", Tag: "registers", Summary: "Show a register entry", Response: apiRegisterEntry{}}},
		{Pattern: "PUT /api/v1/bodies/{body}/register/{entry}", Handler: s.apiRegisterUpdate, Roles: registerWriters,
			API: &apiOp{ID: "updateRegisterEntry", Tag: "registers", Request: apiRegisterUpdate{}, Response: apiRegisterEntry{},
				Summary: "Replace a register entry (version must be the version read; 409 otherwise)"}},
		{Pattern: "GET /api/v1/bodies/{body}/register/{entry}/history", Handler: s.apiRegisterHistory, Roles: bodyReaders,
			API: &apiOp{ID: "getRegisterHistory", Tag: "registers", Summary: "List the versions of a register entry",
				Response: apiRegisterChange{}, List: true}},
	}
	rs = append(rs, route{Pattern: "GET /metrics", Handler: adapt(s.metrics.handler()), Public: true})
	rs = append(rs, route{Pattern: "GET /static/", Handler: adapt(staticHandler()), Public: true})
	rs = append(rs, s.publicRoutes()...)
	// Other parts of the UI: append their groups here, e.g. rs = append(rs, s.caseRoutes()...).
	rs = append(rs, s.caseRoutes()...)
	rs = append(rs, s.commissionRoutes()...)
	rs = append(rs, s.datasetRoutes()...)
	rs = append(rs, s.statisticsRoutes()...)
	rs = append(rs, s.formRoutes()...)
	return rs
}

// apiRegisterUpdate is the body of PUT …/register/{entry}.
type apiRegisterUpdate struct {
	apiRegisterEntry
	Reason string `json:"reason" doc:"why the entry changes; kept in its history"`
}

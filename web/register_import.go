package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/tokumei/tokumei/dataio"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/web/i18n"
)

// importColumn is one column of the register import file: its key (also
// accepted as header), its Japanese header, and how to set it.
type importColumn struct {
	Key, JA string
	set     func(e *platform.RegisterEntry, v string) error
}

// importColumns is the register import format (docs/user-guide.md).
var importColumns = []importColumn{
	{"id", "ID", func(e *platform.RegisterEntry, v string) error {
		if v == "" {
			return nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return fault.New(fault.Invalid, "ID must be a positive whole number", "IDは正の整数です")
		}
		e.ID = n
		return nil
	}},
	{"file_name", "個人情報ファイルの名称", func(e *platform.RegisterEntry, v string) error { e.FileName = v; return nil }},
	{"unit", "担当組織", func(e *platform.RegisterEntry, v string) error { e.Unit = v; return nil }},
	{"purpose", "利用目的", func(e *platform.RegisterEntry, v string) error { e.Purpose = v; return nil }},
	{"items", "記録項目", setItems},
	{"subject_scope", "記録範囲", func(e *platform.RegisterEntry, v string) error { e.SubjectScope = v; return nil }},
	{"subjects", "本人の数", func(e *platform.RegisterEntry, v string) error {
		if v == "" {
			return nil
		}
		n, err := strconv.ParseInt(strings.NewReplacer(",", "", "人", "", "約", "").Replace(v), 10, 64)
		if err != nil || n < 0 {
			return fault.New(fault.Invalid, "number of subjects must be a whole number", "本人の数は0以上の整数です")
		}
		e.Subjects = n
		return nil
	}},
	{"collection_method", "収集方法", func(e *platform.RegisterEntry, v string) error { e.CollectionMethod = v; return nil }},
	{"special_care", "要配慮個人情報", func(e *platform.RegisterEntry, v string) (err error) {
		e.SpecialCare, err = parseYesNo(v, "含む", "含まない")
		return err
	}},
	{"regular_recipients", "経常的提供先", func(e *platform.RegisterEntry, v string) error { e.RegularRecipients = v; return nil }},
	{"disclosure_office", "開示請求等を受理する組織", func(e *platform.RegisterEntry, v string) error { e.DisclosureOffice = v; return nil }},
	{"special_procedures", "訂正及び利用停止の特別の手続", func(e *platform.RegisterEntry, v string) error { e.SpecialProcedures = v; return nil }},
	{"kind", "ファイルの種別", func(e *platform.RegisterEntry, v string) error {
		switch v {
		case "computer", "電算処理", "電算処理ファイル", "電算":
			e.Kind = platform.FileComputer
		case "manual", "マニュアル処理", "マニュアル処理ファイル", "マニュアル":
			e.Kind = platform.FileManual
		default:
			return fault.New(fault.Invalid, "kind must be 電算処理 or マニュアル処理", "ファイルの種別は「電算処理」または「マニュアル処理」です")
		}
		return nil
	}},
	{"proposal_invited", "提案の募集", func(e *platform.RegisterEntry, v string) (err error) {
		e.ProposalInvited, err = parseYesNo(v, "該当", "非該当")
		return err
	}},
	{"proposal_office", "提案を受ける組織", func(e *platform.RegisterEntry, v string) error { e.ProposalOffice = v; return nil }},
	{"anon_summary", "匿名加工情報の概要", func(e *platform.RegisterEntry, v string) error { e.AnonSummary = v; return nil }},
	{"anon_office", "匿名加工情報の提案を受ける組織", func(e *platform.RegisterEntry, v string) error { e.AnonOffice = v; return nil }},
	{"anon_proposal_from", "提案期間の開始", func(e *platform.RegisterEntry, v string) (err error) {
		e.AnonProposalFrom, err = parseDate(&v, "")
		return err
	}},
	{"anon_proposal_to", "提案期間の終了", func(e *platform.RegisterEntry, v string) (err error) {
		e.AnonProposalTo, err = parseDate(&v, "")
		return err
	}},
	{"remarks", "備考", func(e *platform.RegisterEntry, v string) error { e.Remarks = v; return nil }},
}

func parseYesNo(v, yes, no string) (bool, error) {
	switch strings.ToLower(v) {
	case "", "0", "false", "no", "いいえ", "無", "なし", no:
		return false, nil
	case "1", "true", "yes", "はい", "有", "あり", yes:
		return true, nil
	}
	return false, fault.New(fault.Invalid, fmt.Sprintf("write %s or %s", yes, no), fmt.Sprintf("「%s」または「%s」と記入してください", yes, no))
}

// itemTypeNames maps the Japanese names of record-item types.
var itemTypeNames = map[string]platform.ItemType{
	"文字": platform.ItemText, "数値": platform.ItemNumber, "日付": platform.ItemDate, "コード": platform.ItemCode,
	"住所": platform.ItemAddress, "氏名": platform.ItemName, "識別番号": platform.ItemIDNumber,
}

// setItems reads record items "名称[:型][:要配慮]" separated by ";", "；" or
// "、", e.g. "氏名:氏名;生年月日:日付;病名:文字:要配慮".
func setItems(e *platform.RegisterEntry, v string) error {
	v = strings.NewReplacer("；", ";", "、", ";", "\n", ";", "：", ":").Replace(v)
	for _, part := range strings.Split(v, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		f := strings.Split(part, ":")
		it := platform.RecordItem{Name: strings.TrimSpace(f[0]), Type: platform.ItemText}
		for _, x := range f[1:] {
			x = strings.TrimSpace(x)
			if t, ok := itemTypeNames[x]; ok {
				it.Type = t
			} else if _, ok := itemTypeSet[platform.ItemType(x)]; ok {
				it.Type = platform.ItemType(x)
			} else if x == "要配慮" || x == "special_care" {
				it.SpecialCare = true
			} else {
				return fault.New(fault.Invalid, fmt.Sprintf("record item %q: unknown type", it.Name),
					fmt.Sprintf("記録項目「%s」の型が正しくありません（文字・数値・日付・コード・住所・氏名・識別番号）", it.Name))
			}
		}
		e.Items = append(e.Items, it)
	}
	return nil
}

// importError is one bad row of an import.
type importError struct {
	Line  int
	Field string // column key
	Err   error
}

// parseRegisterFile reads a register file (CSV in any Japanese encoding, or
// XLSX). It returns the entries, or every row error found (then entries
// must not be stored).
func parseRegisterFile(r io.Reader, name string) ([]platform.RegisterEntry, []importError) {
	rd, err := dataio.NewReader(r, name, dataio.Options{})
	if err != nil {
		return nil, []importError{{Err: err}}
	}
	defer rd.Close()
	cols := make([]*importColumn, len(rd.Header()))
	seen := map[string]bool{}
	for i, h := range rd.Header() {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		for j := range importColumns {
			c := &importColumns[j]
			if strings.EqualFold(h, c.Key) || h == c.JA {
				cols[i], seen[c.Key] = c, true
			}
		}
	}
	var errs []importError
	for _, req := range []string{"file_name", "purpose", "items", "kind"} {
		if !seen[req] {
			errs = append(errs, importError{Line: rd.Line(), Field: req,
				Err: fault.New(fault.Invalid, "required column missing", "必須の列がありません")})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var out []platform.RegisterEntry
	for len(errs) < 100 {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, importError{Err: err}) // the error names its line
			break
		}
		e := platform.RegisterEntry{}
		bad := false
		for i, v := range rec {
			if cols[i] == nil {
				continue
			}
			if err := cols[i].set(&e, strings.TrimSpace(v)); err != nil {
				errs = append(errs, importError{Line: rd.Line(), Field: cols[i].Key, Err: err})
				bad = true
			}
		}
		if !bad {
			if err := e.Validate(); err != nil {
				var fe *fault.Error
				field := ""
				if asFault(err, &fe) {
					field = fe.Field
				}
				errs = append(errs, importError{Line: rd.Line(), Field: field, Err: err})
			}
		}
		out = append(out, e)
	}
	if len(out) == 0 && len(errs) == 0 {
		errs = append(errs, importError{Line: rd.Line(),
			Err: fault.New(fault.Invalid, "the file has no rows", "データ行がありません")})
	}
	return out, errs
}

// message renders an import error for lang: "12行目「利用目的」: …".
func (ie importError) message(lang i18n.Lang) string {
	var fe *fault.Error
	msg := safeMessage(ie.Err, lang)
	if asFault(ie.Err, &fe) {
		if ie.Line == 0 {
			ie.Line = fe.Line
		}
		c := *fe
		c.File, c.Line, c.Column, c.Field = "", 0, 0, ""
		msg = safeMessage(&c, lang)
	}
	col := ie.Field
	if col != "" {
		col = i18n.T(lang, "field."+col)
	}
	switch {
	case ie.Line > 0 && col != "":
		return i18n.T(lang, "import.row_field_error", ie.Line, col, msg)
	case ie.Line > 0:
		return i18n.T(lang, "import.row_error", ie.Line, msg)
	case col != "":
		return col + ": " + msg
	}
	return msg
}

type importData struct {
	Body    *platform.Body
	Errors  []string
	Columns []importColumn
}

func (s *Server) registerImportForm(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bodyFor(r, true)
	if err != nil {
		return err
	}
	return s.page(w, r, "register_import", importData{Body: b, Columns: importColumns})
}

func (s *Server) registerImport(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bodyFor(r, true)
	if err != nil {
		return err
	}
	d := importData{Body: b, Columns: importColumns}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		d.Errors = []string{T(r, "import.no_file")}
		return s.pageStatus(w, r, http.StatusBadRequest, "register_import", d)
	}
	defer f.Close()
	es, errs := parseRegisterFile(f, hdr.Filename)
	if len(errs) == 0 {
		var c, u int
		c, u, err = s.importEntries(r, b.ID, es)
		if err == nil {
			return redirect(w, r, fmt.Sprintf("/bodies/%d/register?notice=imported&created=%d&updated=%d", b.ID, c, u))
		}
		if code := fault.ErrorCode(err); code != fault.Invalid && code != fault.Conflict {
			return err
		}
		errs = []importError{{Err: err}}
	}
	for _, ie := range errs {
		d.Errors = append(d.Errors, ie.message(lang(r)))
	}
	return s.pageStatus(w, r, http.StatusBadRequest, "register_import", d)
}

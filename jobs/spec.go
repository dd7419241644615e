package jobs

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/jp"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/standard"
)

// The spec of a case: for each column of the extract, the standard
// template's attribute when the file is of a known kind, else the item
// matrix; addresses, local-government codes, ages and dates (和暦 too) get
// the Japanese hierarchies of package jp, chosen as `tokumei profile
// --spec-out` chooses them (standard.DraftSpec on the extract's profile)
// and by the register's record-item types, held at the level the proposal
// asked for by the hierarchy's minimum level.

// caseSpec builds the anonymisation spec of a case with k-anonymity
// (k = 5) on the quasi-identifiers. It returns the template used ("" for
// none), the Rule 62 action per column and, per column index, the date
// columns that still need cutting (those without a Japanese date hierarchy).
func caseSpec(c *platform.Case, e *platform.RegisterEntry, t *table, prof *standard.Profile, ref time.Time) (*anon.Spec, string, []standard.ColumnAction, map[int]platform.Granularity) {
	spec := &anon.Spec{Privacy: []anon.ModelSpec{{Model: "k-anonymity", K: 5}}, SuppressionLimit: 0.05, Metric: "loss"}
	known := map[string]standard.Attribute{}
	tmplName := ""
	if tm, err := standard.TemplateByName(templateFor(e.FileName)); err == nil {
		tmplName = tm.Name
		for _, a := range tm.Spec.Attributes {
			known[a.Name] = a
		}
	}
	draft := map[string]standard.Attribute{}
	if prof != nil {
		for _, a := range standard.DraftSpec(prof, standard.DraftOptions{ReferenceDate: ref.Format("2006-01-02")}).Attributes {
			draft[a.Name] = a
		}
	}
	want := map[string]platform.ItemRequest{}
	for _, tg := range c.Targets {
		for _, it := range tg.Items {
			want[it.Item] = it
		}
	}
	regType := map[string]platform.ItemType{}
	for _, it := range e.Items {
		regType[it.Name] = it.Type
	}
	var actions []standard.ColumnAction
	cut := map[int]platform.Granularity{}
	for i, col := range t.header {
		it := want[col]
		if it.Type == "" {
			it.Type = regType[col]
		}
		tmpl, fromTmpl := known[col]
		var as anon.AttributeSpec
		action := ""
		switch {
		case fromTmpl && tmpl.Action == "pseudonym", !fromTmpl && it.Granularity == platform.GranPseudonym:
			// Replaced by keyed pseudonyms before the engine runs.
			spec.Attributes = append(spec.Attributes, anon.AttributeSpec{Name: col, Type: anon.Insensitive})
			actions = append(actions, standard.ColumnAction{Item: standard.ItemLinkingCodes, Column: col, Action: "pseudonym"})
			continue
		case fromTmpl:
			as, action = fromTemplate(tmpl), tmpl.Action
		default:
			as = matrixAttribute(col, it)
		}
		if as.Type == anon.Quasi {
			hint := builderOf(tmpl.Hierarchy)
			if hint == "" {
				hint = builderOf(draft[col].Hierarchy)
			}
			if h, minLevel, ok := jpHierarchy(col, hint, it, profileOf(prof, col), t.distinct(i), ref); ok {
				as.Hierarchy, as.MinLevel = h, maxLevel(as.MinLevel, minLevel)
			} else if it.Granularity == platform.GranMonth || it.Granularity == platform.GranYear {
				cut[i] = it.Granularity
			}
		}
		spec.Attributes = append(spec.Attributes, as)
		actions = append(actions, actionOf(col, as.Type, action))
	}
	if !hasQuasi(spec) {
		spec.Privacy = nil
	}
	return spec, tmplName, actions, cut
}

func profileOf(p *standard.Profile, col string) *standard.ColumnProfile {
	if p == nil {
		return nil
	}
	return p.Column(col)
}

func builderOf(h *standard.Hierarchy) string {
	if h == nil {
		return ""
	}
	return h.Builder
}

func maxLevel(a *int, b int) *int {
	if a != nil && *a > b {
		return a
	}
	return &b
}

// jpHierarchy picks the Japanese hierarchy of a quasi-identifier and its
// minimum level for the granularity asked for, from the builder the
// template or the profile suggests (hint) and the record item's type. It
// reports false when the column is none of these kinds, or when the jp
// builder cannot read its values (then the generic hierarchy stays).
//
// Levels: address 0 as given, 1 町字, 2 市区町村, 3 都道府県, 4 地方, 5 *;
// lgcode 0 code, 1 都道府県, 2 地方, 3 *; era-date 0 date, 1 年月, 2 年, 3 *;
// age-band 0 as given, 1 5歳階級, 2 10歳階級, 3 10歳階級（90歳以上）, 4 *.
func jpHierarchy(col, hint string, it platform.ItemRequest, cp *standard.ColumnProfile, values []string, ref time.Time) (*anon.HierarchySpec, int, bool) {
	kind := standard.Kind("")
	if cp != nil {
		kind = cp.Kind
	}
	g := it.Granularity
	var h *anon.HierarchySpec
	level := 0
	var err error
	switch {
	case it.Type == platform.ItemAddress || hint == "address" || kind == standard.KindAddress:
		h = &anon.HierarchySpec{Builder: "address"}
		level = map[platform.Granularity]int{platform.GranTown: 1, platform.GranMunicipality: 2,
			platform.GranPrefecture: 3, platform.GranCategory: 3}[g]
		level = max(level, 1) // never the street number (番地)
		_, err = jp.AddressHierarchy(values)
	case hint == "lgcode" || kind == standard.KindArea:
		h = &anon.HierarchySpec{Builder: "lgcode"}
		if g == platform.GranPrefecture || g == platform.GranCategory {
			level = 1
		}
		_, err = jp.LGCodeHierarchy(values)
	case hint == "age-band" && g != platform.GranMonth && g != platform.GranYear ||
		kind == standard.KindAge || isAgeName(col) && it.Type == platform.ItemNumber:
		h = &anon.HierarchySpec{Builder: "age-band", ReferenceDate: ref.Format("2006-01-02")}
		level = map[platform.Granularity]int{platform.GranBand: 1, platform.GranTopCode: 3, platform.GranCategory: 2}[g]
		_, err = jp.AgeBandHierarchy(values, jp.AgeBandOptions{ReferenceDate: ref})
	case it.Type == platform.ItemDate || hint == "age-band" || hint == "era-date" || hint == "date" ||
		kind == standard.KindBirthDate || kind == standard.KindDate:
		h = &anon.HierarchySpec{Builder: "era-date"}
		level = map[platform.Granularity]int{platform.GranMonth: 1, platform.GranYear: 2, platform.GranBand: 2,
			platform.GranTopCode: 2, platform.GranCategory: 2}[g]
		_, err = jp.EraDateHierarchy(values, jp.EraDateOptions{})
	default:
		return nil, 0, false
	}
	if err != nil {
		return nil, 0, false
	}
	return h, level, true
}

func isAgeName(col string) bool {
	return strings.Contains(col, "年齢") || strings.EqualFold(col, "age")
}

// templateFor names the standard template for a file, from its name.
func templateFor(fileName string) string {
	for _, k := range []struct{ key, name string }{{"住民基本台帳", "resident-register"}, {"国民健康保険", "national-health-insurance"},
		{"介護", "long-term-care"}, {"税", "local-tax"}, {"健診", "health-checkup"}, {"健康診査", "health-checkup"}} {
		if strings.Contains(fileName, k.key) {
			return k.name
		}
	}
	return ""
}

func hasQuasi(s *anon.Spec) bool {
	for _, a := range s.Attributes {
		if a.Type == anon.Quasi {
			return true
		}
	}
	return false
}

func fromTemplate(a standard.Attribute) anon.AttributeSpec {
	out := anon.AttributeSpec{Name: a.Name, Type: a.Type, MinLevel: a.MinLevel}
	if a.Hierarchy != nil {
		b, _ := json.Marshal(a.Hierarchy)
		var h anon.HierarchySpec
		if json.Unmarshal(b, &h) == nil {
			out.Hierarchy = &h
		}
	}
	if out.Type == anon.Quasi && out.Hierarchy == nil {
		out.Hierarchy = &anon.HierarchySpec{Builder: "mask", Chars: 1}
	}
	return out
}

// matrixAttribute turns one row of the item matrix into an attribute with
// a generic hierarchy (replaced by a Japanese one where jpHierarchy finds
// one). Addresses and dates are quasi-identifiers even when asked as they
// are: the engine may generalise them to reach k.
func matrixAttribute(col string, it platform.ItemRequest) anon.AttributeSpec {
	a := anon.AttributeSpec{Name: col, Type: anon.Insensitive}
	switch it.Granularity {
	case platform.GranDelete:
		a.Type = anon.Identifying
	case platform.GranPseudonym:
		return a
	case platform.GranMonth:
		// cutDates cuts Gregorian dates to YYYY-MM when no jp hierarchy applies.
		a.Type, a.Hierarchy = anon.Quasi, &anon.HierarchySpec{Builder: "date", Layout: "2006-01", Steps: []string{"year"}}
	case platform.GranYear, platform.GranBand, platform.GranTopCode:
		a.Type, a.Hierarchy = anon.Quasi, &anon.HierarchySpec{Builder: "interval", Widths: []float64{5, 10, 20}}
	case platform.GranPrefecture, platform.GranMunicipality, platform.GranTown, platform.GranCategory:
		a.Type, a.Hierarchy = anon.Quasi, &anon.HierarchySpec{Builder: "mask", Chars: 2}
	case platform.GranAsIs:
		switch it.Type {
		case platform.ItemCode, platform.ItemAddress, platform.ItemDate:
			a.Type, a.Hierarchy = anon.Quasi, &anon.HierarchySpec{Builder: "mask", Chars: 1}
		}
	}
	if it.Type == platform.ItemName || it.Type == platform.ItemIDNumber {
		a.Type, a.Hierarchy, a.MinLevel = anon.Identifying, nil, nil
	}
	return a
}

func actionOf(col, typ, action string) standard.ColumnAction {
	switch typ {
	case anon.Identifying:
		if action == "" {
			action = "delete"
		}
		return standard.ColumnAction{Item: standard.ItemIdentifiers, Column: col, Action: action}
	case anon.Quasi:
		return standard.ColumnAction{Item: standard.ItemDataSpecific, Column: col, Action: "generalize"}
	}
	if action == "" {
		action = "keep"
	}
	return standard.ColumnAction{Item: standard.ItemDataSpecific, Column: col, Action: action}
}

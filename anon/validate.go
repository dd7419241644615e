package anon

import (
	"github.com/tokumei/tokumei/fault"
)

// Metric names.
const (
	MetricLoss           = "loss"
	MetricDM             = "discernibility"
	MetricDMStar         = "discernibility-monotonic"
	MetricPrecision      = "precision"
	MetricEntropy        = "entropy"
	MetricAECS           = "aecs"
	MetricHeight         = "height"
	searchOptimal        = "optimal"
	searchExhaustive     = "exhaustive"
	suppressedStar       = "star"
	suppressedRemove     = "remove"
	modelK               = "k-anonymity"
	modelDistinctL       = "distinct-l-diversity"
	modelEntropyL        = "entropy-l-diversity"
	modelRecursiveCL     = "recursive-cl-diversity"
	modelEqualT          = "equal-t-closeness"
	modelOrderedT        = "ordered-t-closeness"
	modelHierarchicalT   = "hierarchical-t-closeness"
	modelDeltaPresence   = "delta-presence"
	modelKMap            = "k-map"
	defaultMetric        = MetricLoss
	defaultSuppressedOut = suppressedStar
)

func specErr(field, en, ja string) error {
	return fault.New(fault.Invalid, en, ja).In(field)
}

// Validate checks the spec for impossible or unknown settings.
func (s *Spec) Validate() error {
	if s.Input.Path == "" && s.Input.Reader == nil {
		return specErr("input.path", "the input file is missing", "入力ファイルが指定されていません")
	}
	if _, err := Delim(s.Input.Delimiter, ','); err != nil {
		return err.(*fault.Error).In("input.delimiter")
	}
	if _, err := Delim(s.Output.Delimiter, ','); err != nil {
		return err.(*fault.Error).In("output.delimiter")
	}
	if s.SuppressionLimit < 0 || s.SuppressionLimit > 1 {
		return specErr("suppression_limit", "the suppression limit must be between 0 and 1", "抑制率の上限は 0 以上 1 以下です")
	}
	switch s.Metric {
	case "", MetricLoss, MetricDM, MetricDMStar, MetricPrecision, MetricEntropy, MetricAECS, MetricHeight:
	default:
		return specErr("metric", fmtS("unknown metric %q", s.Metric), fmtS("未知の指標 %q", s.Metric))
	}
	switch s.Suppressed {
	case "", suppressedStar, suppressedRemove:
	default:
		return specErr("suppressed", `"suppressed" must be "star" or "remove"`, `"suppressed" は "star" か "remove" です`)
	}
	switch s.Search {
	case "", searchOptimal, searchExhaustive:
	default:
		return specErr("search", `"search" must be "optimal" or "exhaustive"`, `"search" は "optimal" か "exhaustive" です`)
	}
	if s.TimeLimitMS < 0 {
		return specErr("time_limit_ms", "the time limit must not be negative", "時間制限は負にできません")
	}
	types := map[string]string{}
	nq := 0
	for i, a := range s.Attributes {
		f := fmtS("attributes[%d]", i)
		if a.Name == "" {
			return specErr(f+".name", "the attribute has no name", "属性名がありません")
		}
		if _, dup := types[a.Name]; dup {
			return specErr(f+".name", fmtS("attribute %q is listed twice", a.Name), fmtS("属性 %q が重複しています", a.Name))
		}
		types[a.Name] = a.Type
		switch a.Type {
		case Quasi:
			nq++
			if a.Hierarchy == nil {
				return specErr(f+".hierarchy", fmtS("quasi-identifier %q has no hierarchy", a.Name), fmtS("準識別子 %q に一般化階層がありません", a.Name))
			}
			if (a.Hierarchy.File == "") == (a.Hierarchy.Builder == "") {
				return specErr(f+".hierarchy", "give exactly one of \"file\" and \"builder\"", "\"file\" と \"builder\" のどちらか一方を指定してください")
			}
			if a.MinLevel != nil && a.MaxLevel != nil && *a.MinLevel > *a.MaxLevel {
				return specErr(f+".min_level", "min_level is above max_level", "min_level が max_level を超えています")
			}
			if (a.MinLevel != nil && *a.MinLevel < 0) || (a.MaxLevel != nil && *a.MaxLevel < 0) {
				return specErr(f+".min_level", "levels must not be negative", "レベルは負にできません")
			}
		case Identifying, Sensitive, Insensitive:
		default:
			return specErr(f+".type", fmtS("unknown attribute type %q", a.Type), fmtS("未知の属性種別 %q", a.Type))
		}
	}
	if nq == 0 {
		return specErr("attributes", "no quasi-identifier is given", "準識別子が指定されていません")
	}
	if len(s.Privacy) == 0 {
		return specErr("privacy", "no privacy model is given", "プライバシーモデルが指定されていません")
	}
	for i, m := range s.Privacy {
		if err := m.validate(types); err != nil {
			return err.(*fault.Error).In(fmtS("privacy[%d]", i))
		}
	}
	return nil
}

func (m *ModelSpec) validate(types map[string]string) error {
	needSensitive := func() error {
		if types[m.Attribute] != Sensitive {
			return fault.New(fault.Invalid, fmtS("model %s needs a sensitive attribute, %q is not one", m.Model, m.Attribute),
				fmtS("モデル %s には機微な属性が必要ですが、%q はそうではありません", m.Model, m.Attribute))
		}
		return nil
	}
	bad := func(en, ja string) error { return fault.New(fault.Invalid, en, ja) }
	switch m.Model {
	case modelK:
		if m.K < 1 {
			return bad("k must be at least 1", "k は 1 以上です")
		}
	case modelKMap:
		if m.K < 1 {
			return bad("k must be at least 1", "k は 1 以上です")
		}
		if m.Population == nil || m.Population.Path == "" {
			return bad("k-map needs a population table", "k-map には母集団表が必要です")
		}
	case modelDistinctL, modelEntropyL, modelRecursiveCL:
		if err := needSensitive(); err != nil {
			return err
		}
		if m.L < 1 {
			return bad("l must be at least 1", "l は 1 以上です")
		}
		if m.Model == modelRecursiveCL && m.C <= 0 {
			return bad("c must be positive", "c は正の数です")
		}
	case modelEqualT, modelOrderedT, modelHierarchicalT:
		if err := needSensitive(); err != nil {
			return err
		}
		if m.T < 0 || m.T > 1 {
			return bad("t must be between 0 and 1", "t は 0 以上 1 以下です")
		}
	case modelDeltaPresence:
		if m.DeltaMin < 0 || m.DeltaMax > 1 || m.DeltaMin > m.DeltaMax {
			return bad("need 0 ≤ delta_min ≤ delta_max ≤ 1", "0 ≤ delta_min ≤ delta_max ≤ 1 が必要です")
		}
		if m.Subset == nil || m.Subset.Path == "" {
			return bad("delta-presence needs a research subset file", "δ-presence には研究用サブセットが必要です")
		}
	default:
		return bad(fmtS("unknown privacy model %q", m.Model), fmtS("未知のプライバシーモデル %q", m.Model))
	}
	return nil
}

package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/jp"
)

// BuildHierarchy makes the hierarchy of a spec: read from h.File (relative
// to baseDir) or built from the distinct values by h.Builder: interval,
// date, mask, groups (package anon) or lgcode, address, age-band, era-date
// (package jp).
func BuildHierarchy(h anon.HierarchySpec, values []string, baseDir string) (*anon.Hierarchy, error) {
	if h.File != "" {
		path := h.File
		if !filepath.IsAbs(path) && baseDir != "" {
			path = filepath.Join(baseDir, path)
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, fault.New(fault.NotFound, "cannot open the hierarchy file", "一般化階層ファイルを開けません").At(h.File, 0, 0).Wrap(err)
		}
		defer f.Close()
		d, err := anon.Delim(h.Delimiter, ';')
		if err != nil {
			return nil, err
		}
		return anon.ReadHierarchy(f, filepath.Base(path), d)
	}
	var rows [][]string
	var err error
	switch h.Builder {
	case "interval":
		return anon.IntervalHierarchy(values, h.Widths, h.Origin, h.Bottom, h.Top)
	case "date":
		return anon.DateHierarchy(values, h.Layout, h.Steps)
	case "mask":
		return anon.MaskHierarchy(values, h.Chars)
	case "groups":
		return anon.GroupsHierarchy(values, h.Groups)
	case "lgcode":
		rows, err = jp.LGCodeHierarchy(values)
	case "address":
		rows, err = jp.AddressHierarchy(values)
	case "age-band":
		var ref time.Time
		if h.ReferenceDate != "" {
			ref, err = time.Parse("2006-01-02", h.ReferenceDate)
			if err != nil {
				return nil, fault.New(fault.Invalid, "reference_date must be YYYY-MM-DD", "reference_date は YYYY-MM-DD 形式です").In("reference_date")
			}
		}
		rows, err = jp.AgeBandHierarchy(values, jp.AgeBandOptions{ReferenceDate: ref, AllowEraOverflow: h.AllowEraOverflow})
	case "era-date":
		rows, err = jp.EraDateHierarchy(values, jp.EraDateOptions{AllowEraOverflow: h.AllowEraOverflow, FiscalYear: h.FiscalYear})
	default:
		return nil, fault.Errorf(fault.Invalid, "unknown hierarchy builder %q", h.Builder).In("hierarchy.builder")
	}
	if err != nil {
		var fe *fault.Error
		if errors.As(err, &fe) && fe.File == "" {
			return nil, fe.At(h.Builder, fe.Line, fe.Column)
		}
		return nil, err
	}
	hh, err := anon.HierarchyFromRows(rows)
	if err != nil {
		return nil, err
	}
	hh.Source = h.Builder
	return hh, nil
}

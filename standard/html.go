package standard

import (
	"embed"
	"fmt"
	"html"
	"html/template"
	"io"
	"strings"
	"sync"
	"time"
)

//go:embed templates/record.html
var templateFS embed.FS

// recordTmpl is parsed on first use, not at init (every tokumei command
// links this package).
var recordTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("record.html").Funcs(template.FuncMap{
		"jst": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(time.FixedZone("JST", 9*3600)).Format("2006年1月2日 15:04 (JST)")
		},
		"pct":       func(f float64) string { return fmt.Sprintf("%.2f%%", f*100) },
		"f4":        func(f float64) string { return fmt.Sprintf("%.4f", f) },
		"actionJA":  actionJA,
		"missingJA": missingJA,
		"chart":     barChart,
	}).ParseFS(templateFS, "templates/record.html"))
})

// WriteHTML writes the printable Japanese processing record. It always
// renders the public view: processing-method information never appears.
func (r *Record) WriteHTML(w io.Writer) error {
	return recordTmpl().Execute(w, r.Public())
}

var actionNames = map[string]string{
	"delete": "項目削除", "pseudonym": "仮IDへの置換", "generalize": "一般化", "top-code": "トップコーディング",
	"bottom-code": "ボトムコーディング", "suppress-cells": "セル削除（局所抑制）", "delete-records": "レコード削除",
	"microaggregate": "ミクロアグリゲーション", "noise": "ノイズ付加", "swap": "データ交換（スワップ）",
	"pram": "PRAM", "sample": "レコード一部抽出", "shuffle": "並び替え", "keep": "そのまま", "recode": "再符号化",
}

func actionJA(a string) string {
	if j, ok := actionNames[a]; ok {
		return j
	}
	return a
}

func missingJA(m string) string {
	switch m {
	case "matches-any":
		return "欠損値は任意の値に一致するとみなす"
	case "own-category":
		return "欠損値は独立した区分とみなす"
	}
	return m
}

// barChart draws a horizontal bar chart as inline SVG.
func barChart(title string, bs []Bar) template.HTML {
	const w, labelW, barW, rowH = 360, 130, 180, 18
	max := 1
	for _, b := range bs {
		if b.Count > max {
			max = b.Count
		}
	}
	h := rowH*len(bs) + 24
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" aria-label="%s">`, w, h, html.EscapeString(title))
	fmt.Fprintf(&sb, `<text x="0" y="14" font-size="12" font-weight="bold">%s</text>`, html.EscapeString(title))
	for i, b := range bs {
		y := 24 + i*rowH
		bw := b.Count * barW / max
		label := []rune(b.Label)
		if len(label) > 10 {
			label = append(label[:9], '…')
		}
		fmt.Fprintf(&sb, `<text x="0" y="%d" font-size="11">%s</text>`, y+12, html.EscapeString(string(label)))
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" fill="#4a6fa5"/>`, labelW, y+2, bw, rowH-5)
		fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="10">%d</text>`, labelW+bw+4, y+12, b.Count)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

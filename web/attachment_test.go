package web

import (
	"mime"
	"net/http/httptest"
	"testing"
)

func TestSetAttachment(t *testing.T) {
	tests := []struct {
		name, wantType string
	}{
		{"case-12.csv", "text/csv"},
		{"札幌市_作成データ.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"record.JSON", "application/json"},
		{"data.bin", "application/octet-stream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			setAttachment(w, tt.name)
			if got := w.Header().Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			disp, params, err := mime.ParseMediaType(w.Header().Get("Content-Disposition"))
			if err != nil || disp != "attachment" || params["filename"] != tt.name {
				t.Errorf("Content-Disposition %q parses to %q %v (%v), want attachment with filename %q",
					w.Header().Get("Content-Disposition"), disp, params, err, tt.name)
			}
			if w.Header().Get("Cache-Control") != "no-store" {
				t.Error("a delivered file must not be cached")
			}
		})
	}
}

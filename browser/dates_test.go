package browser

import (
	"slices"
	"testing"
)

// The dual-date check itself (it runs on every Japanese page).
func TestBadDualDates(t *testing.T) {
	tests := []struct {
		text string
		bad  []string
	}{
		{"期限：令和8年5月1日（2026年5月1日）", nil},
		{"令和元年5月1日（2019年5月1日）と平成31年4月30日（2019年4月30日）", nil},
		{"令和8年5月1日（2025年5月1日）", []string{"令和8年5月1日（2025年5月1日）"}},
		{"令和8年5月1日（2026年5月2日）", []string{"令和8年5月1日（2026年5月2日）"}},
		{"令和8年5月1日のみ", nil},
	}
	for _, tc := range tests {
		if got := badDualDates(tc.text); !slices.Equal(got, tc.bad) {
			t.Errorf("%s: got %q, want %q", tc.text, got, tc.bad)
		}
	}
}

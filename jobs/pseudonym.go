package jobs

import (
	"strconv"

	"github.com/tokumei/tokumei/anon/sdc"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/standard"
)

// pseudonymise replaces the columns whose action is "pseudonym" (仮ID: asked
// for in the case's item matrix, or by the file's template) with keyed
// pseudonyms — HMAC-SHA256 under a fresh per-delivery key, with the
// recipient business as subkey, so they differ for every recipient and
// cannot be reversed without the key — and shuffles the rows so that their
// order says nothing of the source. It returns a new table, the key and
// the shuffle's seed (processing-method information: they go only into the
// encrypted processing record) and the pseudonymised columns.
func pseudonymise(src *table, c *platform.Case, actions []standard.ColumnAction) (*table, sdc.DeliveryKey, sdc.Seed, []string) {
	key := sdc.NewDeliveryKey()
	want := map[string]bool{}
	for _, a := range actions {
		if a.Action == "pseudonym" {
			want[a.Column] = true
		}
	}
	pz := sdc.NewPseudonymizer(key, "business:"+strconv.FormatInt(c.BusinessID, 10))
	var cols []string
	var idx []int
	for i, h := range src.header {
		if want[h] {
			cols, idx = append(cols, h), append(idx, i)
		}
	}
	perm, seed := sdc.Shuffle(len(src.rows), nil) // crypto/rand seeded
	out := &table{header: src.header, rows: make([][]string, len(src.rows))}
	for j, i := range perm {
		r := append([]string(nil), src.rows[i]...)
		for _, k := range idx {
			if k < len(r) {
				r[k] = pz.Pseudonym(r[k])
			}
		}
		out.rows[j] = r
	}
	return out, key, seed, cols
}

package jobs

import (
	"bytes"
	"encoding/csv"
	"strconv"

	"github.com/tokumei/tokumei/anon/sdc"
	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
	"github.com/tokumei/tokumei/standard"
)

// pseudonymise replaces the columns whose action is "pseudonym" (仮ID: asked
// for in the case's item matrix, or by the file's template) with keyed
// pseudonyms — HMAC-SHA256 under a fresh per-delivery key, with the
// recipient business as subkey, so they differ for every recipient and
// cannot be reversed without the key — and shuffles the rows so that their
// order says nothing of the source. It returns the key (processing-method
// information: it goes only into the encrypted processing record) and the
// pseudonymised columns.
func pseudonymise(src []byte, c *platform.Case, actions []standard.ColumnAction) ([]byte, sdc.DeliveryKey, []string, error) {
	key := sdc.NewDeliveryKey()
	recs, err := csv.NewReader(bytes.NewReader(src)).ReadAll()
	if err != nil || len(recs) == 0 {
		return nil, key, nil, fault.Errorf(fault.Internal, "pseudonymise: re-read the extract").Wrap(err)
	}
	header, rows := recs[0], recs[1:]
	want := map[string]bool{}
	for _, a := range actions {
		if a.Action == "pseudonym" {
			want[a.Column] = true
		}
	}
	pz := sdc.NewPseudonymizer(key, "business:"+strconv.FormatInt(c.BusinessID, 10))
	var cols []string
	for i, h := range header {
		if !want[h] {
			continue
		}
		cols = append(cols, h)
		for _, r := range rows {
			r[i] = pz.Pseudonym(r[i])
		}
	}
	perm, _ := sdc.Shuffle(len(rows), nil) // crypto/rand seeded
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(header)
	for _, i := range perm {
		w.Write(rows[i])
	}
	w.Flush()
	return buf.Bytes(), key, cols, w.Error()
}

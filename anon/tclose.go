package anon

import (
	"math"

	"github.com/tokumei/tokumei/fault"
)

// sensTree is the hierarchy of a sensitive attribute, for the hierarchical
// earth mover's distance of t-closeness (Li, Li, Venkatasubramanian 2007).
type sensTree struct {
	leaf   []int     // column code → leaf (level-0 code)
	parent [][]int32 // parent[L][code at L] = code at L+1
	sizes  []int     // nodes per level
	height int
	ext    [][]float64 // scratch
	pos    [][]float64
	neg    [][]float64
}

func newSensTree(h *Hierarchy, dict []string) (*sensTree, error) {
	nl := h.Levels()
	t := &sensTree{height: nl - 1, leaf: make([]int, len(dict))}
	codes := make([][]int32, nl)
	for l := 0; l < nl; l++ {
		idx := map[string]int32{}
		codes[l] = make([]int32, len(h.Rows))
		for i, row := range h.Rows {
			c, ok := idx[row[l]]
			if !ok {
				c = int32(len(idx))
				idx[row[l]] = c
			}
			codes[l][i] = c
		}
		t.sizes = append(t.sizes, len(idx))
	}
	for l := 0; l+1 < nl; l++ {
		p := make([]int32, t.sizes[l])
		for i := range h.Rows {
			p[codes[l][i]] = codes[l+1][i]
		}
		t.parent = append(t.parent, p)
	}
	row := map[string]int{}
	for i, r := range h.Rows {
		row[r[0]] = i
	}
	for c, v := range dict {
		i, ok := row[v]
		if !ok {
			return nil, fault.Errorf(fault.Invalid, "a value of the sensitive attribute is not in its hierarchy (%s)", h.Source)
		}
		t.leaf[c] = int(codes[0][i])
	}
	return t, nil
}

// tDistance returns the distance between the sensitive distribution of
// class j and the distribution over all records.
func (e *engine) tDistance(w *worker, m model, s *snap, j int) float64 {
	sv := e.sens[m.sens]
	h := &s.hist[m.sens]
	total := float64(s.count[j])
	switch m.kind {
	case equalT:
		d := 1.0
		for p := h.off[j]; p < h.off[j+1]; p++ {
			q := sv.global[h.val[p]]
			d += math.Abs(float64(h.cnt[p])/total-q) - q
		}
		return d / 2
	case orderedT:
		m := len(sv.global)
		if m <= 1 {
			return 0
		}
		if len(w.scratch) < m {
			w.scratch = make([]int64, m)
		}
		diff := make([]float64, m)
		for v, q := range sv.global {
			diff[sv.order[v]] -= q
		}
		for p := h.off[j]; p < h.off[j+1]; p++ {
			diff[sv.order[h.val[p]]] += float64(h.cnt[p]) / total
		}
		cum, d := 0.0, 0.0
		for _, x := range diff {
			cum += x
			d += math.Abs(cum)
		}
		return d / float64(m-1)
	default:
		return sv.tree.distance(sv.global, h, j, total)
	}
}

func (t *sensTree) distance(global []float64, h *histo, j int, total float64) float64 {
	if t.ext == nil {
		for _, n := range t.sizes {
			t.ext = append(t.ext, make([]float64, n))
			t.pos = append(t.pos, make([]float64, n))
			t.neg = append(t.neg, make([]float64, n))
		}
	}
	for l := range t.ext {
		clear(t.ext[l])
		clear(t.pos[l])
		clear(t.neg[l])
	}
	for v, q := range global {
		t.ext[0][t.leaf[v]] -= q
	}
	for p := h.off[j]; p < h.off[j+1]; p++ {
		t.ext[0][t.leaf[h.val[p]]] += float64(h.cnt[p]) / total
	}
	if t.height == 0 {
		return 0
	}
	d := 0.0
	for l := 0; l < t.height; l++ {
		for c, x := range t.ext[l] {
			par := t.parent[l][c]
			if l == 0 {
				if x > 0 {
					t.pos[1][par] += x
				} else {
					t.neg[1][par] -= x
				}
			} else {
				// carry the unmatched remainder of the child upwards
				r := t.pos[l][c] - t.neg[l][c]
				if r > 0 {
					t.pos[l+1][par] += r
				} else {
					t.neg[l+1][par] -= r
				}
			}
			t.ext[l+1][par] += x
		}
		for c := range t.pos[l+1] {
			d += float64(l+1) / float64(t.height) * math.Min(t.pos[l+1][c], t.neg[l+1][c])
		}
	}
	return d
}

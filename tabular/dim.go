package tabular

import (
	"sort"
	"strconv"

	"github.com/tokumei/tokumei/anon"
	"github.com/tokumei/tokumei/fault"
)

// Dimension describes one classification variable (表章事項) of a table.
type Dimension struct {
	Column string
	// Hierarchy, when set, maps each input value (level 0) to more general
	// labels. Levels lists the hierarchy levels shown, most detailed first:
	// one level gives a flat dimension, several a hierarchical one
	// (e.g. municipality within prefecture). Default: level 0.
	Hierarchy *anon.Hierarchy
	Levels    []int
	// Values, when set, is the declared domain (in display order); other
	// input values are an error. Without it and without a hierarchy the
	// categories are those seen in the data.
	Values []string
	// LGCode marks a local-government-code dimension (全国地方公共団体コード)
	// so that writers add the code column.
	LGCode bool
}

// node is one category of a dimension tree; node 0 is the total.
type node struct {
	label    string
	parent   int
	children []int
	depth    int // 0 for the total
}

// dimTree is a built dimension.
type dimTree struct {
	Dimension
	nodes []node
	leaf  map[string]int // input value -> leaf node
	open  bool           // leaves are added as they are seen
	total string
}

func newDimTree(d Dimension, total string) (*dimTree, error) {
	t := &dimTree{Dimension: d, total: total, leaf: make(map[string]int)}
	t.nodes = []node{{label: total, parent: -1}}
	switch {
	case d.Hierarchy != nil:
		return t, t.fromHierarchy()
	case len(d.Values) > 0:
		for _, v := range d.Values {
			if _, dup := t.leaf[v]; dup {
				return nil, fault.Errorf(fault.Invalid, "value %q is declared twice", v).In(d.Column)
			}
			t.leaf[v] = t.add(v, 0)
		}
	default:
		t.open = true
	}
	return t, nil
}

func (t *dimTree) add(label string, parent int) int {
	id := len(t.nodes)
	t.nodes = append(t.nodes, node{label: label, parent: parent, depth: t.nodes[parent].depth + 1})
	t.nodes[parent].children = append(t.nodes[parent].children, id)
	return id
}

func (t *dimTree) fromHierarchy() error {
	h := t.Hierarchy
	levels := t.Levels
	if len(levels) == 0 {
		levels = []int{0}
	}
	for i, l := range levels {
		if l < 0 || l >= h.Levels() || (i > 0 && l <= levels[i-1]) {
			return fault.Errorf(fault.Invalid, "levels %v: each level must exist in the hierarchy (0..%d) and increase", levels, h.Levels()-1).In(t.Column)
		}
	}
	// Drop top levels that have a single label: they are the total.
	for len(levels) > 0 {
		top := levels[len(levels)-1]
		one := true
		for _, r := range h.Rows {
			if r[top] != h.Rows[0][top] {
				one = false
				break
			}
		}
		if !one {
			break
		}
		levels = levels[:len(levels)-1]
	}
	if len(levels) == 0 {
		return fault.Errorf(fault.Invalid, "the levels shown have a single category: nothing to tabulate").In(t.Column)
	}
	ids := make([]map[string]int, len(levels))
	for i := range ids {
		ids[i] = make(map[string]int)
	}
	for _, r := range h.Rows {
		parent := 0
		for i := len(levels) - 1; i >= 0; i-- {
			lab := r[levels[i]]
			id, ok := ids[i][lab]
			if !ok {
				id = t.add(lab, parent)
				ids[i][lab] = id
			}
			parent = id
		}
		t.leaf[r[0]] = parent
	}
	return nil
}

// lookup returns the leaf of an input value, adding it to an open dimension.
func (t *dimTree) lookup(v string) (int, bool) {
	if id, ok := t.leaf[v]; ok {
		return id, true
	}
	if !t.open {
		return 0, false
	}
	id := t.add(v, 0)
	t.leaf[v] = id
	return id, true
}

// sortOpen orders the categories of an open dimension naturally (numbers
// by value, then text) and returns old id -> new id.
func (t *dimTree) sortOpen() []int {
	perm := make([]int, len(t.nodes))
	if !t.open {
		for i := range perm {
			perm[i] = i
		}
		return perm
	}
	kids := append([]int(nil), t.nodes[0].children...)
	sort.SliceStable(kids, func(a, b int) bool { return naturalLess(t.nodes[kids[a]].label, t.nodes[kids[b]].label) })
	nodes := []node{{label: t.total, parent: -1}}
	for _, k := range kids {
		perm[k] = len(nodes)
		nodes = append(nodes, node{label: t.nodes[k].label, parent: 0, depth: 1})
		nodes[0].children = append(nodes[0].children, perm[k])
	}
	for v, id := range t.leaf {
		t.leaf[v] = perm[id]
	}
	t.nodes = nodes
	return perm
}

func naturalLess(a, b string) bool {
	fa, ea := strconv.ParseFloat(a, 64)
	fb, eb := strconv.ParseFloat(b, 64)
	switch {
	case ea == nil && eb == nil:
		return fa < fb
	case ea == nil:
		return true
	case eb == nil:
		return false
	}
	return a < b
}

func (t *dimTree) isLeaf(n int) bool { return len(t.nodes[n].children) == 0 }

// Package tabular builds statistics tables (統計表) from microdata and
// protects them: counts, sums and means over one to five dimensions, each
// optionally generalised through a hierarchy, with margins and totals;
// primary rules (minimum frequency, (n,k)-dominance, p%); secondary cell
// suppression (秘匿) by a hypercube heuristic with LP repair, an
// LP-verified irreducible method, or the exact integer programme of
// Fischetti and Salazar-González (Benders capacity cuts from the attacker
// LPs, branch-and-bound; proven optimum or gap), over hierarchical and
// linked tables; an attacker audit that computes by linear programming the
// interval each suppressed cell can be narrowed to; controlled rounding
// (Cox's method in two dimensions, branch-and-bound beyond) and random
// rounding; the cell key method; and differential privacy through package
// dp.
//
// A table is held densely: every dimension is a tree whose root is the total
// (計) and whose leaves are the most detailed categories shown; a cell is
// one node per dimension, indexed by mixed radix. Each non-leaf node gives
// one additivity constraint per combination of the other coordinates
// (total = sum of its children). Linked tables are subsets of dimensions of
// one cover table, so shared cells are one cell and protected once.
//
// tabular reads no files: it takes rows ([]string) and hierarchies. It
// imports the standard library, anon, dp, fault and tabular/lp.
package tabular

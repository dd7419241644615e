package sdc

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func fixedSeed(b byte) *Seed {
	var s Seed
	for i := range s {
		s[i] = b + byte(i)
	}
	return &s
}

func checkGroups(t *testing.T, groups [][]int, n, k int) {
	t.Helper()
	seen := make([]int, n)
	for _, g := range groups {
		if len(g) < k || len(g) > 2*k-1 {
			t.Errorf("group of %d records, k = %d", len(g), k)
		}
		for _, i := range g {
			seen[i]++
		}
	}
	for i, c := range seen {
		if c != 1 {
			t.Fatalf("record %d in %d groups", i, c)
		}
	}
}

func TestMDAV(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct{ n, k int }{{10, 3}, {100, 5}, {101, 5}, {37, 10}, {7, 7}, {500, 3}} {
		t.Run(fmt.Sprintf("n%d_k%d", tc.n, tc.k), func(t *testing.T) {
			age := make([]float64, tc.n)
			inc := make([]float64, tc.n)
			for i := range age {
				age[i] = float64(18 + rng.IntN(80))
				inc[i] = rng.ExpFloat64() * 4e6
			}
			m, err := MDAV([][]float64{age, inc}, tc.k)
			if err != nil {
				t.Fatal(err)
			}
			checkGroups(t, m.Groups, tc.n, tc.k)
			for _, g := range m.Groups {
				var sum float64
				for _, i := range g {
					sum += age[i]
				}
				for _, i := range g {
					if math.Abs(m.Num[0][i]-sum/float64(len(g))) > 1e-9 {
						t.Fatalf("record %d: %v, group mean %v", i, m.Num[0][i], sum/float64(len(g)))
					}
				}
			}
			// Distinct aggregated vectors each appear at least k times.
			cnt := map[[2]float64]int{}
			for i := range age {
				cnt[[2]float64{m.Num[0][i], m.Num[1][i]}]++
			}
			for v, c := range cnt {
				if c < tc.k {
					t.Errorf("value %v shared by %d < k records", v, c)
				}
			}
		})
	}
	if _, err := MDAV([][]float64{{1, 2}}, 3); err == nil {
		t.Error("n < k accepted")
	}
}

func TestMDAVGower(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n, k := 60, 4
	age := make([]float64, n)
	sex := make([]string, n)
	area := make([]string, n)
	for i := 0; i < n; i++ {
		age[i] = float64(20 + rng.IntN(60))
		sex[i] = []string{"男", "女"}[rng.IntN(2)]
		area[i] = []string{"北区", "南区", "東区"}[rng.IntN(3)]
	}
	m, err := MDAVGower([][]float64{age}, [][]string{sex, area}, k)
	if err != nil {
		t.Fatal(err)
	}
	checkGroups(t, m.Groups, n, k)
	for _, g := range m.Groups {
		cnt := map[string]int{}
		for _, i := range g {
			cnt[sex[i]]++
		}
		v := m.Cat[0][g[0]]
		for _, i := range g {
			if m.Cat[0][i] != v {
				t.Fatal("group not aggregated to one category")
			}
		}
		for _, c := range cnt {
			if c > cnt[v] {
				t.Fatalf("category %s is not the group mode %v", v, cnt)
			}
		}
	}
}

func TestPseudonyms(t *testing.T) {
	key := NewDeliveryKey()
	a1 := NewPseudonymizer(key, "株式会社A")
	a2 := NewPseudonymizer(key, "株式会社A") // second file of the same delivery
	b := NewPseudonymizer(key, "株式会社B")
	other := NewPseudonymizer(NewDeliveryKey(), "株式会社A")
	ids := make([]string, 2000)
	for i := range ids {
		ids[i] = fmt.Sprintf("%010d", 1000000+i) // 宛名番号
	}
	seenA := map[string]string{}
	for _, id := range ids {
		pa := a1.Pseudonym(id)
		if pa != a2.Pseudonym(id) || pa != a1.Pseudonym(" "+id+" ") {
			t.Fatal("pseudonym not consistent within a delivery")
		}
		if pa == b.Pseudonym(id) || pa == other.Pseudonym(id) {
			t.Fatal("pseudonym links across recipients or deliveries")
		}
		if prev, dup := seenA[pa]; dup {
			t.Fatalf("collision %s %s", prev, id)
		}
		seenA[pa] = id
		if strings.Contains(pa, id) || len(pa) != 16 {
			t.Fatalf("pseudonym %q", pa)
		}
	}
	// An attacker without the key who tries the whole identifier space with
	// plain hashes or a guessed key finds none of the pseudonyms.
	attacks := []func(string) string{
		func(v string) string { h := sha256.Sum256([]byte(v)); return b32.EncodeToString(h[:])[:16] },
		func(v string) string {
			m := hmac.New(sha256.New, make([]byte, 32))
			m.Write([]byte(v))
			return b32.EncodeToString(m.Sum(nil))[:16]
		},
		NewPseudonymizer(DeliveryKey{}, "株式会社A").Pseudonym,
		b.Pseudonym, // another recipient's table does not link
	}
	for ai, f := range attacks {
		for _, id := range ids {
			if _, hit := seenA[f(id)]; hit {
				t.Fatalf("attack %d re-identified %s", ai, id)
			}
		}
	}
	if key.KeyID() == "" || strings.Contains(key.Hex(), key.KeyID()) {
		t.Error("key id reveals the key")
	}
	k2, err := ParseDeliveryKey(key.Hex())
	if err != nil || k2 != key {
		t.Error("key round trip")
	}
}

func TestShuffleAndSample(t *testing.T) {
	p1, s1 := Shuffle(1000, fixedSeed(1))
	p2, _ := Shuffle(1000, &s1)
	p3, s3 := Shuffle(1000, nil)
	if fmt.Sprint(p1) != fmt.Sprint(p2) {
		t.Error("same seed, different permutation")
	}
	if s3 == (Seed{}) || fmt.Sprint(p1) == fmt.Sprint(p3) {
		t.Error("default seed not random")
	}
	sorted := append([]int(nil), p1...)
	sort.Ints(sorted)
	for i, v := range sorted {
		if v != i {
			t.Fatal("not a permutation")
		}
	}
	fixed := 0
	for i, v := range p1 {
		if i == v {
			fixed++
		}
	}
	if fixed > 10 {
		t.Errorf("%d rows kept their place", fixed)
	}
	idx, _, err := Sample(1000, 0.1, fixedSeed(2))
	if err != nil || len(idx) != 100 || !sort.IntsAreSorted(idx) {
		t.Fatalf("sample %d %v", len(idx), err)
	}
	for i := 1; i < len(idx); i++ {
		if idx[i] == idx[i-1] {
			t.Fatal("duplicate in sample")
		}
	}
	cols := Permute([][]string{{"a", "b", "c"}}, []int{2, 0, 1})
	if strings.Join(cols[0], "") != "cab" {
		t.Error(cols)
	}
}

func TestCoding(t *testing.T) {
	ages := []string{"34", "116", "90", "89", "", "不明", "105"}
	n := TopCodeStrings(ages, 90, "90以上")
	if n != 3 || ages[1] != "90以上" || ages[2] != "90以上" || ages[3] != "89" || ages[5] != "不明" {
		t.Errorf("%d %v", n, ages)
	}
	x := []float64{1, 5, 10, 50, 100}
	if TopCode(x, 40) != 2 || x[4] != 40 || BottomCode(x, 2) != 1 || x[0] != 2 {
		t.Error(x)
	}
	if q := Quantile([]float64{1, 2, 3, 4, 5}, 0.5); q != 3 {
		t.Error(q)
	}
}

func TestNoise(t *testing.T) {
	n := 20000
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i % 100)
	}
	_, sd0 := meanSD(x)
	y := append([]float64(nil), x...)
	seed, err := AdditiveNoise(y, 0.1, fixedSeed(9))
	if err != nil {
		t.Fatal(err)
	}
	d := make([]float64, n)
	for i := range d {
		d[i] = y[i] - x[i]
	}
	m, sd := meanSD(d)
	if math.Abs(m) > 0.05*sd0 || math.Abs(sd-0.1*sd0) > 0.01*sd0 {
		t.Errorf("noise mean %v sd %v, want 0 and %v", m, sd, 0.1*sd0)
	}
	z := append([]float64(nil), x...)
	AdditiveNoise(z, 0.1, &seed)
	for i := range z {
		if z[i] != y[i] {
			t.Fatal("same seed, different noise")
		}
	}
	w := []float64{0, 100, -100}
	MultiplicativeNoise(w, 0.05, nil)
	if w[0] != 0 || w[1] <= 50 || w[2] >= -50 {
		t.Errorf("multiplicative noise %v", w)
	}
}

func TestPRAM(t *testing.T) {
	col := make([]string, 3000)
	for i := range col {
		col[i] = []string{"A", "A", "A", "B", "B", "C"}[i%6]
	}
	T := map[string]float64{"A": 1500, "B": 1000, "C": 500}
	r, err := PRAM(append([]string(nil), col...), 0.8, true, fixedSeed(3))
	if err != nil {
		t.Fatal(err)
	}
	for j, cj := range r.Categories {
		var sum, row float64
		for i, ci := range r.Categories {
			sum += T[ci] * r.Matrix[i][j]
			row += r.Matrix[j][i]
		}
		if math.Abs(sum-T[cj]) > 1e-6 || math.Abs(row-1) > 1e-9 {
			t.Errorf("invariance: %s %v vs %v, row sum %v", cj, sum, T[cj], row)
		}
	}
	same := append([]string(nil), col...)
	r1, _ := PRAM(same, 1, false, nil)
	if r1.Changed != 0 || strings.Join(same, "") != strings.Join(col, "") {
		t.Error("keep = 1 changed values")
	}
	mixed := append([]string(nil), col...)
	r2, _ := PRAM(mixed, 0.7, false, fixedSeed(4))
	diff := 0
	for i := range col {
		if col[i] != mixed[i] {
			diff++
		}
	}
	if diff != r2.Changed || diff < 700 || diff > 1100 {
		t.Errorf("changed %d (reported %d), expected about 900", diff, r2.Changed)
	}
}

func TestRecordSwap(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	n := 400
	area := make([]string, n)
	sex := make([]string, n)
	band := make([]string, n)
	risky := make([]bool, n)
	for i := 0; i < n; i++ {
		area[i] = strconv.Itoa(rng.IntN(8))
		sex[i] = []string{"M", "F"}[rng.IntN(2)]
		band[i] = strconv.Itoa(rng.IntN(4))
		risky[i] = i%20 == 0
	}
	cols := [][]string{append([]string(nil), area...), sex, band}
	res, err := RecordSwap(cols, SwapOptions{Swap: []int{0}, Similar: []int{1, 2}, Risky: risky, Rate: 0.1}, fixedSeed(5))
	if err != nil {
		t.Fatal(err)
	}
	if res.Swapped < 40 {
		t.Errorf("swapped %d, want at least 40", res.Swapped)
	}
	inPair := map[int]bool{}
	for _, p := range res.Pairs {
		a, b := p[0], p[1]
		if sex[a] != sex[b] || band[a] != band[b] {
			t.Fatal("pair from different strata")
		}
		if cols[0][a] != area[b] || cols[0][b] != area[a] || area[a] == area[b] {
			t.Fatal("values not exchanged")
		}
		inPair[a], inPair[b] = true, true
	}
	for i := range area {
		if !inPair[i] && cols[0][i] != area[i] {
			t.Fatal("unpaired record changed")
		}
	}
	for i, r := range risky {
		if r && !inPair[i] && res.Unmatched == 0 {
			t.Errorf("risky record %d not swapped", i)
		}
	}
}

func TestMondrian(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	n, k := 200, 6
	age := make([]float64, n)
	inc := make([]float64, n)
	for i := range age {
		age[i] = float64(20 + rng.IntN(70))
		inc[i] = float64(rng.IntN(1000))
	}
	r, err := Mondrian([][]float64{age, inc}, k)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Groups) < n/(2*k+2) {
		t.Errorf("only %d partitions", len(r.Groups))
	}
	cnt := map[string]int{}
	for i := range age {
		cnt[r.Cols[0][i]+"|"+r.Cols[1][i]]++
		lo, hi := rangeOf(r.Cols[0][i])
		if age[i] < lo || age[i] > hi {
			t.Fatalf("age %v recoded to %s", age[i], r.Cols[0][i])
		}
	}
	for key, c := range cnt {
		if c < k {
			t.Errorf("class %s has %d < k records", key, c)
		}
	}
}

func rangeOf(s string) (float64, float64) {
	parts := strings.SplitN(s, "-", 2)
	lo, _ := strconv.ParseFloat(parts[0], 64)
	if len(parts) == 1 {
		return lo, lo
	}
	hi, _ := strconv.ParseFloat(parts[1], 64)
	return lo, hi
}

func TestMDAVRandomSizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for trial := 0; trial < 40; trial++ {
		k := 1 + rng.IntN(8)
		n := k + rng.IntN(120)
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(10))
		}
		m, err := MDAV([][]float64{x}, k)
		if err != nil {
			t.Fatal(err)
		}
		checkGroups(t, m.Groups, n, k)
	}
}

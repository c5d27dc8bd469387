package search

import (
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// A View answers searches over a fixed slice of records faster than Filter and Sort: it keeps,
// per record path a query or sort reads, a column of the values found there (built on first use,
// on every core), so matching and sorting read flat arrays instead of walking maps. Results are
// exactly those of Filter and Sort over the same records.
//
// A View does not see changes: it must be dropped when any of its records, or the slice, changes
// (the sandbox keys its views by the store's version). A View is safe for concurrent use.
type View struct {
	recs []map[string]any

	asked atomic.Bool // Columnar was called
	colMu sync.Mutex  // held while columns are built
	cols  map[string]*column
	mu    sync.Mutex
	masks map[string]*mask
}

// NewView returns a View of recs, which must not change while the View is in use.
func NewView(recs []map[string]any) *View {
	return &View{recs: recs, cols: map[string]*column{}, masks: map[string]*mask{}}
}

// Len is the number of records in the view.
func (v *View) Len() int { return len(v.recs) }

// Record returns the record at position i.
func (v *View) Record(i int32) map[string]any { return v.recs[i] }

// Value kinds of a column cell: what collect (see Get) finds at the path in the record.
const (
	kMissing uint8 = iota // nothing: missing, null, empty arrays
	kString               // one string
	kNumber               // one finite number
	kBool                 // one boolean (num holds 0 or 1)
	kOther                // one value that no operator matches (an object, NaN, another type)
	kMany                 // several values (many holds them)
)

// maxColumns bounds the columns a View keeps (each holds about 25 bytes a record).
const maxColumns = 48

// column holds, for every record of a view, the values at one path.
type column struct {
	segs []string
	kind []uint8
	str  []string
	num  []float64
	many map[int32][]any
}

// columns returns the columns of the paths names (split: segs), building the missing ones in
// one pass over the records on every core.
func (v *View) columns(names []string, segs [][]string) []*column {
	v.colMu.Lock()
	defer v.colMu.Unlock()
	out := make([]*column, len(names))
	var build []*column
	if len(v.cols)+len(names) > maxColumns {
		// Bound the memory (custom attributes allow any number of paths): forget the columns
		// this call does not need; searches running with them keep them until they finish.
		keep := make(map[string]*column, len(names))
		for _, name := range names {
			if c, ok := v.cols[name]; ok {
				keep[name] = c
			}
		}
		v.cols = keep
	}
	for i, name := range names {
		c, ok := v.cols[name]
		if !ok {
			n := len(v.recs)
			c = &column{segs: segs[i], kind: make([]uint8, n), str: make([]string, n), num: make([]float64, n)}
			v.cols[name] = c
			build = append(build, c)
		}
		out[i] = c
	}
	if len(build) == 0 {
		return out
	}
	manies := make([][]map[int32][]any, len(build))
	arena := make([][][]any, len(build)) // where several values are collected, not to allocate each time
	workers := workersFor(len(v.recs))
	for j := range manies {
		manies[j] = make([]map[int32][]any, workers)
		arena[j] = make([][]any, workers)
	}
	// Columns under the same top-level field share its lookup: a scan is bound by map reads.
	slices.SortStableFunc(build, func(a, b *column) int { return strings.Compare(a.segs[0], b.segs[0]) })
	chunks(len(v.recs), workers, func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			rec := v.recs[i]
			var top any
			found := false
			for j, c := range build {
				if j == 0 || c.segs[0] != build[j-1].segs[0] {
					top, found = rec[c.segs[0]]
				}
				if !found {
					continue
				}
				if cap(arena[j][w]) < 16 {
					arena[j][w] = make([]any, 0, 1024)
				}
				if vals := c.set(i, top, c.segs[1:], arena[j][w]); vals != nil {
					arena[j][w] = vals[len(vals):] // the rest of the arena's capacity
					vals = vals[:len(vals):len(vals)]
					if manies[j][w] == nil {
						manies[j][w] = map[int32][]any{}
					}
					manies[j][w][int32(i)] = vals
				}
			}
		}
	})
	for j, c := range build {
		for _, m := range manies[j] {
			if c.many == nil {
				c.many = m
				continue
			}
			for k, vals := range m {
				c.many[k] = vals
			}
		}
	}
	return out
}

// set fills cell i from v, the value at the path's first segment, and segs, the rest of
// the path; it returns the values when there are several.
// Several values are appended to buf[:0] (when it has room).
func (c *column) set(i int, v any, segs []string, buf []any) []any {
	for k, s := range segs {
		m, ok := v.(map[string]any)
		if !ok {
			if _, isArr := v.([]any); isArr {
				return c.setMany(i, collect(buf[:0], v, segs[k:]))
			}
			return nil // a scalar or null before the end of the path
		}
		if v, ok = m[s]; !ok {
			return nil
		}
	}
	if _, isArr := v.([]any); isArr {
		return c.setMany(i, collect(buf[:0], v, nil))
	}
	c.setOne(i, v)
	return nil
}

func (c *column) setMany(i int, vals []any) []any {
	switch len(vals) {
	case 0:
		return nil
	case 1:
		c.setOne(i, vals[0])
		return nil
	}
	c.kind[i] = kMany
	return vals
}

func (c *column) setOne(i int, v any) {
	switch x := v.(type) {
	case nil:
	case string:
		c.kind[i], c.str[i] = kString, x
	case bool:
		c.kind[i] = kBool
		if x {
			c.num[i] = 1
		}
	case map[string]any:
		c.kind[i] = kOther
	default:
		if n, ok := number(v); ok {
			c.kind[i], c.num[i] = kNumber, n
		} else {
			c.kind[i] = kOther
		}
	}
}

// at reports what walk reports for record i: whether a value matches, and whether any was found.
func (f *filter) at(c *column, i int) (match, seen bool) {
	switch c.kind[i] {
	case kMissing:
		return false, false
	case kString:
		return f.matchString(c.str[i]), true
	case kNumber:
		return f.matchNumber(c.num[i]), true
	case kBool:
		return f.matchBool(c.num[i] != 0), true
	case kMany:
		for _, x := range c.many[int32(i)] {
			if f.matchScalar(x) {
				return true, true
			}
		}
	}
	return false, true
}

// matchScalar matches one value found at the end of a path, as walk does.
func (f *filter) matchScalar(v any) bool {
	switch x := v.(type) {
	case string:
		return f.matchString(x)
	case bool:
		return f.matchBool(x)
	case map[string]any, []any, nil:
		return false
	}
	n, ok := number(v)
	return ok && f.matchNumber(n)
}

// matchAt is Match for record i of the view, given the columns of f.names.
func (f *filter) matchAt(cols []*column, i int) bool {
	seen := false
	for _, c := range cols {
		m, s := f.at(c, i)
		if m {
			return !f.negate
		}
		seen = seen || s
	}
	return (f.matchMissing && !seen) != f.negate
}

// Bits is a set of view positions, one bit per record.
type Bits []uint64

// All returns the set of every position of the view.
func (v *View) All() Bits {
	n := len(v.recs)
	b := make(Bits, (n+63)/64)
	for i := range b {
		b[i] = ^uint64(0)
	}
	if r := n % 64; r != 0 {
		b[len(b)-1] = 1<<r - 1
	}
	return b
}

// Count is the number of positions in the set.
func (b Bits) Count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// Positions lists the positions in the set, in increasing order.
func (b Bits) Positions() []int32 {
	out := make([]int32, 0, b.Count())
	for wi, w := range b {
		for w != 0 {
			out = append(out, int32(wi*64+bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
	return out
}

type mask struct {
	once sync.Once
	bits Bits
}

// Mask returns the positions of the records keep accepts, computed once per name: every call
// with the same name must pass the same predicate.
func (v *View) Mask(name string, keep func(map[string]any) bool) Bits {
	v.mu.Lock()
	mk, ok := v.masks[name]
	if !ok {
		mk = &mask{}
		v.masks[name] = mk
	}
	v.mu.Unlock()
	mk.once.Do(func() {
		b := make(Bits, (len(v.recs)+63)/64)
		wordChunks(len(b), workersFor(len(v.recs)), func(lo, hi int) {
			for i := lo * 64; i < min(hi*64, len(v.recs)); i++ {
				if keep(v.recs[i]) {
					b[i/64] |= 1 << (i % 64)
				}
			}
		})
		mk.bits = b
	})
	return mk.bits
}

// paths lists the record paths of the filters of m.
func paths(m Matcher, names []string, segs [][]string) ([]string, [][]string) {
	switch x := m.(type) {
	case and:
		for _, k := range x {
			names, segs = paths(k, names, segs)
		}
	case or:
		for _, k := range x {
			names, segs = paths(k, names, segs)
		}
	case *filter:
		names, segs = append(names, x.names...), append(segs, x.paths...)
	}
	return names, segs
}

// Columnar reports whether a search for m ranked by o (nil: none) should read columns: when
// they are all built, or when the view has been asked before. The first search of a new view
// is better served by a scan of the records (Filter, then RankRecords), which stops at the
// first failing filter of each record, than by building columns it may be the only one to use.
func (v *View) Columnar(m Matcher, o *Order) bool {
	if v.asked.Swap(true) {
		return true
	}
	names, _ := paths(m, nil, nil)
	if o != nil {
		names = append(names, o.names...)
	}
	v.colMu.Lock()
	defer v.colMu.Unlock()
	for _, name := range names {
		if _, ok := v.cols[name]; !ok {
			return false
		}
	}
	return true
}

// Warm builds, in one pass, the columns that matching m and ranking by o (nil: none) read.
func (v *View) Warm(m Matcher, o *Order) {
	names, segs := paths(m, nil, nil)
	if o != nil {
		names, segs = append(names, o.names...), append(segs, o.paths...)
	}
	v.columns(names, segs)
}

// plan is a matcher bound to the view's columns.
type plan struct {
	and, or bool
	kids    []plan
	f       *filter
	cols    []*column
	m       Matcher // any other Matcher: called on the records
}

func (v *View) plan(m Matcher) plan {
	names, segs := paths(m, nil, nil)
	cols := v.columns(names, segs)
	byName := make(map[string]*column, len(cols))
	for i, c := range cols {
		byName[names[i]] = c
	}
	return bind(m, byName)
}

func bind(m Matcher, cols map[string]*column) plan {
	switch x := m.(type) {
	case and:
		p := plan{and: true, kids: make([]plan, len(x))}
		for i, k := range x {
			p.kids[i] = bind(k, cols)
		}
		return p
	case or:
		p := plan{or: true, kids: make([]plan, len(x))}
		for i, k := range x {
			p.kids[i] = bind(k, cols)
		}
		return p
	case *filter:
		p := plan{f: x, cols: make([]*column, len(x.names))}
		for i, name := range x.names {
			p.cols[i] = cols[name]
		}
		return p
	}
	return plan{m: m}
}

// Match returns the positions in cand that m matches: the records Filter would return.
func (v *View) Match(m Matcher, cand Bits) Bits {
	p := v.plan(m)
	out := make(Bits, len(cand))
	wordChunks(len(cand), workersFor(len(v.recs)), func(lo, hi int) {
		copy(out[lo:hi], v.eval(&p, cand[lo:hi], lo))
	})
	return out
}

// eval returns the members of cand (words of the set from word base on) that p matches.
// The result may be cand itself; cand is not modified.
func (v *View) eval(p *plan, cand Bits, base int) Bits {
	switch {
	case p.and:
		cur := cand
		for i := range p.kids {
			cur = v.eval(&p.kids[i], cur, base)
		}
		return cur
	case p.or:
		out := make(Bits, len(cand))
		rest := slices.Clone(cand)
		for i := range p.kids {
			r := v.eval(&p.kids[i], rest, base)
			for w := range out {
				out[w] |= r[w]
				rest[w] &^= r[w]
			}
		}
		return out
	}
	out := make(Bits, len(cand))
	for w, word := range cand {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &= word - 1
			i := (base+w)*64 + b
			var ok bool
			if p.f != nil {
				ok = p.f.matchAt(p.cols, i)
			} else {
				ok = p.m.Match(v.recs[i])
			}
			if ok {
				out[w] |= 1 << b
			}
		}
	}
	return out
}

// Rank returns the positions hits (increasing) in the order o sorts their records, as Sort
// would order them; a nil o keeps them as they are.
func (v *View) Rank(hits []int32, o *Order) *Ranking {
	r := &Ranking{hits: hits}
	if o == nil {
		r.sorted = len(hits)
		return r
	}
	r.o = o
	cols := v.columns(o.names, o.paths)
	r.keys = make([]sortKey, len(hits))
	chunks(len(hits), workersFor(len(hits)), func(_, lo, hi int) {
		for j := lo; j < hi; j++ {
			r.keys[j] = keyAt(cols, int(hits[j]))
		}
	})
	return r
}

// RankRecords is Rank reading the records instead of columns.
func (v *View) RankRecords(hits []int32, o *Order) *Ranking {
	r := &Ranking{hits: hits}
	if o == nil {
		r.sorted = len(hits)
		return r
	}
	r.o = o
	r.keys = make([]sortKey, len(hits))
	chunks(len(hits), workersFor(len(hits)), func(_, lo, hi int) {
		var buf []any
		for j := lo; j < hi; j++ {
			r.keys[j], buf = keyOf(v.recs[hits[j]], o.paths, buf)
			r.keys[j].pos = hits[j]
		}
	})
	return r
}

// keyAt is keyOf for record i of the view.
func keyAt(cols []*column, i int) sortKey {
	for _, c := range cols {
		switch c.kind[i] {
		case kString:
			return sortKey{class: classString, str: c.str[i], pos: int32(i)}
		case kNumber:
			return sortKey{class: classNumber, num: c.num[i], pos: int32(i)}
		case kBool:
			return sortKey{class: classBool, b: c.num[i] != 0, pos: int32(i)}
		case kMany:
			for _, v := range c.many[int32(i)] {
				switch x := v.(type) {
				case string:
					return sortKey{class: classString, str: x, pos: int32(i)}
				case bool:
					return sortKey{class: classBool, b: x, pos: int32(i)}
				}
				if n, ok := number(v); ok {
					return sortKey{class: classNumber, num: n, pos: int32(i)}
				}
			}
		}
	}
	return sortKey{class: classMissing, pos: int32(i)}
}

// A Ranking is a set of view positions in sort order. It sorts lazily: serving the first pages
// selects only the records they need. A Ranking is safe for concurrent use.
type Ranking struct {
	mu     sync.Mutex
	o      *Order
	hits   []int32   // without an order: the positions, in order
	keys   []sortKey // with one: keys[:sorted] are the first ranks, in order; the rest follow unordered
	sorted int
}

// Len is the number of positions ranked.
func (r *Ranking) Len() int { return len(r.hits) }

// Range returns the positions of ranks from to to (0-based, to exclusive, clamped to Len).
func (r *Ranking) Range(from, to int) []int32 {
	to = min(to, len(r.hits))
	from = min(from, to)
	if r.o == nil {
		return r.hits[from:to]
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if to > r.sorted {
		// Each selection at least doubles the sorted prefix, so that paging through every
		// rank costs O(n log n) in all, as one sort would.
		rest := r.keys[r.sorted:]
		if k := max(to-r.sorted, r.sorted); k > len(rest)/8 {
			slices.SortFunc(rest, r.o.cmp)
			r.sorted = len(r.keys)
		} else {
			selectFirst(rest, k, r.o.cmp)
			slices.SortFunc(rest[:k], r.o.cmp)
			r.sorted += k
		}
	}
	out := make([]int32, to-from)
	for i := range out {
		out[i] = r.keys[from+i].pos
	}
	return out
}

// selectFirst moves the k least keys (by cmp, a total order) to keys[:k], in no particular order,
// with a bounded max-heap: O(n log k).
func selectFirst(keys []sortKey, k int, cmp func(a, b sortKey) int) {
	if k <= 0 {
		return
	}
	h := keys[:k]
	for i := k/2 - 1; i >= 0; i-- {
		siftDown(h, i, cmp)
	}
	for j := k; j < len(keys); j++ {
		if cmp(keys[j], h[0]) < 0 {
			h[0], keys[j] = keys[j], h[0]
			siftDown(h, 0, cmp)
		}
	}
}

// siftDown restores the max-heap property of h below i.
func siftDown(h []sortKey, i int, cmp func(a, b sortKey) int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		big := l
		if r := l + 1; r < len(h) && cmp(h[r], h[l]) > 0 {
			big = r
		}
		if cmp(h[big], h[i]) <= 0 {
			return
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
}

// workersFor is the number of goroutines for a scan of n records.
func workersFor(n int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/parallelMin))
}

// chunks runs fn on workers contiguous parts of [0, n) concurrently.
func chunks(n, workers int, fn func(w, lo, hi int)) {
	if workers <= 1 {
		fn(0, 0, n)
		return
	}
	size := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := min(w*size, n), min((w+1)*size, n)
		wg.Go(func() { fn(w, lo, hi) })
	}
	wg.Wait()
}

// wordChunks is chunks over the words of a Bits.
func wordChunks(n, workers int, fn func(lo, hi int)) {
	chunks(n, workers, func(_, lo, hi int) { fn(lo, hi) })
}

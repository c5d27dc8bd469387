package jsonjs

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// fixtures: one Intercom contact (~1.6 KB) and a list page of 50 of them.
func fixtures(b *testing.B) map[string][]byte {
	contact, err := os.ReadFile("testdata/contact.json")
	if err != nil {
		b.Fatal(err)
	}
	var page bytes.Buffer
	page.WriteString(`{"type":"list","data":[`)
	for i := 0; i < 50; i++ {
		if i > 0 {
			page.WriteByte(',')
		}
		c := bytes.ReplaceAll(contact, []byte("6650f2a1c3b4d5e6f7a8b9c0"), fmt.Appendf(nil, "6650f2a1c3b4d5e6f7a8%04x", i))
		c = bytes.ReplaceAll(c, []byte("ada.lovelace@"), fmt.Appendf(nil, "user%d@", i))
		c = bytes.ReplaceAll(c, []byte("1733100125"), fmt.Appendf(nil, "%d", 1733100125+i*37))
		page.Write(c)
	}
	page.WriteString(`],"total_count":5000,"pages":{"type":"pages","next":{"page":2,"starting_after":"WzE3MTY1ODAwMDEwMDAsIjY2NTBmMmExIiwyXQ=="},"page":1,"per_page":50,"total_pages":100}}`)
	return map[string][]byte{"contact": contact, "page50": page.Bytes()}
}

func BenchmarkParse(b *testing.B) {
	fx := fixtures(b)
	for _, name := range []string{"contact", "page50"} {
		data := fx[name]
		b.Run(name+"/goja-JSON.parse", func(b *testing.B) {
			h := newHarness(b)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				if _, err := h.gojaParse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/jsonjs", func(b *testing.B) {
			rt := goja.New()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				if _, err := Parse(rt, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// reportCPU reports the process's CPU time per op (GC included), which other
// load on the machine disturbs less than ns/op: call it before the loop and
// defer the function it returns.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkObjects is the floor under Parse: building the objects and arrays
// of the same documents through goja's API as Parse does (CreateObject(nil),
// Set, SetPrototype, NewArray), from a tree decoded beforehand, with the
// strings and numbers made once. What Parse costs above it is its own
// (scanning, interning, making strings and numbers).
func BenchmarkObjects(b *testing.B) {
	fx := fixtures(b)
	for _, name := range []string{"contact", "page50"} {
		b.Run(name, func(b *testing.B) {
			h := newHarness(b)
			rt := h.rt
			v, err := Parse(rt, fx[name])
			if err != nil {
				b.Fatal(err)
			}
			tree := treeOf(v)
			proto := rt.NewObject().Prototype()
			var vals []any
			if got, want := h.str(b, tree.build(rt, proto, &vals), h.canon), h.str(b, v, h.canon); got != want {
				b.Fatalf("the tree builds %s, Parse gave %s", got, want)
			}
			b.SetBytes(int64(len(fx[name])))
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				tree.build(rt, proto, &vals)
			}
		})
	}
}

// node is a decoded JSON value: an object (keys), an array (elems only) or
// a primitive (v).
type node struct {
	v     goja.Value
	keys  []string
	elems []node
	array bool
}

func treeOf(v goja.Value) node {
	o, ok := v.(*goja.Object)
	if !ok {
		return node{v: v}
	}
	if o.ClassName() == "Array" {
		n := node{array: true}
		for i := range o.Get("length").ToInteger() {
			n.elems = append(n.elems, treeOf(o.Get(strconv.FormatInt(i, 10))))
		}
		return n
	}
	var n node
	for _, k := range o.Keys() {
		n.keys = append(n.keys, k)
		n.elems = append(n.elems, treeOf(o.Get(k)))
	}
	return n
}

func (n *node) build(rt *goja.Runtime, proto *goja.Object, vals *[]any) goja.Value {
	switch {
	case n.v != nil:
		return n.v
	case n.array:
		// Parse's elements wait in a slice it reuses: so do these.
		start := len(*vals)
		for i := range n.elems {
			v := n.elems[i].build(rt, proto, vals)
			*vals = append(*vals, v)
		}
		a := rt.NewArray((*vals)[start:]...)
		*vals = (*vals)[:start]
		return a
	}
	o := rt.CreateObject(nil)
	for i, k := range n.keys {
		_ = o.Set(k, n.elems[i].build(rt, proto, vals))
	}
	_ = o.SetPrototype(proto)
	return o
}

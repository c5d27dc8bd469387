package jsonjs

import (
	"bytes"
	"fmt"
	"os"
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

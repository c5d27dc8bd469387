// Package bench holds icscript's benchmarks. The end-to-end comparison with
// plain Go and the official Node SDK is run.sh (see README.md); this file
// measures the cost of one API call through the VM, in-process:
//
//	go test -run '^$' -bench . -benchmem ./bench/
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/icscript/icscript/bindings"
	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// updateScript awaits N updates of one contact, one at a time or through a
// pool of 16.
const updateScript = `
const id = contactId(), n = iterations(), conc = concurrency();
const body = { custom_attributes: { plan: "bench" } };
if (conc <= 1) {
  for (let i = 0; i < n; i++) await intercom.contacts.update(id, body);
} else {
  const s = await pool({ length: n, [Symbol.iterator]: function* () { for (let i = 0; i < n; i++) yield i; } }, conc,
    () => intercom.contacts.update(id, body));
  if (s.failed > 0) throw new Error(s.errors[0].error);
}
`

// BenchmarkUpdate: ns/op and allocs/op of `await intercom.contacts.update(id,
// {...})`, round trip. "sandbox": against the in-process sandbox on
// 127.0.0.1, no latency (its handling and allocations are included);
// "static": against a server answering a canned contact, which leaves the
// cost of the VM, the bindings, the client and net/http.
func BenchmarkUpdate(b *testing.B) {
	sb, sbURL := sandboxtest.Start(b, sandbox.Options{Seed: 1, RateLimit: 1 << 30, RateWindow: time.Minute})
	id, contact := sandboxContact(b, sb, sbURL)
	reset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	static := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		h := w.Header()
		h["Content-Type"] = []string{"application/json; charset=utf-8"}
		h["X-Ratelimit-Limit"] = []string{"1000000000"}
		h["X-Ratelimit-Remaining"] = []string{"999999999"}
		h["X-Ratelimit-Reset"] = []string{reset}
		h["X-Request-Id"] = []string{"req-1"}
		_, _ = w.Write(contact)
	}))
	b.Cleanup(static.Close)
	path := filepath.Join(b.TempDir(), "update.js")
	if err := os.WriteFile(path, []byte(updateScript), 0o600); err != nil {
		b.Fatal(err)
	}
	for _, srv := range []struct{ name, url string }{{"sandbox", sbURL}, {"static", static.URL}} {
		for _, conc := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/concurrency=%d", srv.name, conc), func(b *testing.B) {
				c, err := intercom.New(intercom.Config{Token: sb.Token(), BaseURL: srv.url, Concurrency: 16})
				if err != nil {
					b.Fatal(err)
				}
				vm := runtime.New(context.Background(), runtime.Options{})
				defer vm.Close()
				if _, err := bindings.Install(vm, bindings.Options{Client: c}); err != nil {
					b.Fatal(err)
				}
				_ = vm.Set("contactId", func() string { return id })
				_ = vm.Set("iterations", func() int { return b.N })
				_ = vm.Set("concurrency", func() int { return conc })
				b.ReportAllocs()
				b.ResetTimer()
				if err := vm.RunFile(path); err != nil {
					b.Fatal(err)
				}
			})
		}
	}
}

// sandboxContact returns the id of a sandbox contact and its body as the
// sandbox answers it.
func sandboxContact(b *testing.B, sb *sandbox.Sandbox, base string) (string, []byte) {
	c, err := intercom.New(intercom.Config{Token: sb.Token(), BaseURL: base})
	if err != nil {
		b.Fatal(err)
	}
	resp, err := c.Do(context.Background(), &intercom.Request{Method: "GET", Path: "/contacts?per_page=1"})
	if err != nil {
		b.Fatal(err)
	}
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(resp.Body, &list); err != nil || len(list.Data) == 0 {
		b.Fatalf("listing contacts: %v %s", err, resp.Body)
	}
	id := list.Data[0].ID
	resp, err = c.Do(context.Background(), &intercom.Request{Method: "GET", Path: "/contacts/" + id})
	if err != nil {
		b.Fatal(err)
	}
	return id, resp.Body
}

// checkpointScript runs N updates of one contact through a pool of 16,
// recording its progress in a checkpoint file when checkpointName() is not
// empty.
const checkpointScript = `
const id = contactId(), n = iterations(), name = checkpointName();
const body = { custom_attributes: { plan: "bench" } };
const s = await pool(Array.from({ length: n }, (_, i) => i), 16, () => intercom.contacts.update(id, body),
  name ? { checkpoint: name } : {});
if (s.failed > 0) throw new Error(s.errors[0].error);
`

// BenchmarkCheckpointedPool: ns/item of a pool of 16 updates against the
// in-process sandbox, with a checkpoint file (each item's start line made
// durable before its update is sent, its done line after) and without (the
// floor). The file is in the benchmark's temporary folder: its fsyncs cost
// what that disk's do.
func BenchmarkCheckpointedPool(b *testing.B) {
	sb, sbURL := sandboxtest.Start(b, sandbox.Options{Seed: 1, RateLimit: 1 << 30, RateWindow: time.Minute})
	id, _ := sandboxContact(b, sb, sbURL)
	dir := b.TempDir()
	path := filepath.Join(dir, "checkpointed.js")
	if err := os.WriteFile(path, []byte(checkpointScript), 0o600); err != nil {
		b.Fatal(err)
	}
	c, err := intercom.New(intercom.Config{Token: sb.Token(), BaseURL: sbURL, Concurrency: 16})
	if err != nil {
		b.Fatal(err)
	}
	runs := 0
	for _, checkpoint := range []bool{true, false} {
		b.Run(fmt.Sprintf("checkpoint=%v", checkpoint), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				runs++
				name := ""
				if checkpoint {
					name = fmt.Sprintf("run%d.ckpt", runs)
				}
				vm := runtime.New(context.Background(), runtime.Options{})
				if _, err := bindings.Install(vm, bindings.Options{Client: c,
					Checkpoint: bindings.CheckpointConfig{Dir: dir, Script: path, API: sbURL}}); err != nil {
					b.Fatal(err)
				}
				_ = vm.Set("contactId", func() string { return id })
				_ = vm.Set("iterations", func() int { return checkpointItems })
				_ = vm.Set("checkpointName", func() string { return name })
				b.StartTimer()
				err := vm.RunFile(path)
				b.StopTimer()
				vm.Close()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := os.Stat(filepath.Join(dir, name)); checkpoint && err == nil {
					b.Fatal("the checkpoint of a completed job was kept")
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*checkpointItems), "ns/item")
		})
	}
}

// checkpointItems is the size of the pool of one iteration of
// BenchmarkCheckpointedPool.
const checkpointItems = 200

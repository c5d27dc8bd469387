package bindings_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icscript/icscript/bindings"
	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// bulkVM is a VM with the bindings installed against a served sandbox, as
// the CLI makes one, with the transport kept so a test can close its idle
// connections.
type bulkVM struct {
	vm        *runtime.VM
	client    *intercom.Client
	transport *http.Transport
	stdout    *lockedBuffer
	cancel    context.CancelFunc
}

func newBulkVM(t testing.TB, sb *sandbox.Sandbox, base string, cfg intercom.Config) *bulkVM {
	t.Helper()
	tr := intercom.NewTransport(cfg.Concurrency)
	cfg.Token, cfg.BaseURL, cfg.Transport = sb.Token(), base, tr
	c, err := intercom.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	vm := runtime.New(ctx, runtime.Options{Stdout: out, Stderr: out})
	if _, err := bindings.Install(vm, bindings.Options{Client: c, Admin: "991"}); err != nil {
		t.Fatal(err)
	}
	b := &bulkVM{vm: vm, client: c, transport: tr, stdout: out, cancel: cancel}
	t.Cleanup(func() {
		vm.Close()
		cancel()
		tr.CloseIdleConnections()
	})
	return b
}

// script writes src to a script file and returns its path.
func script(t testing.TB, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bulk.js")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestBulkCancelLeavesNoGoroutines cancels a VM running a pool of updates
// mid-job: the run returns promptly with ErrInterrupted, the sandbox stops
// receiving requests, and once the VM is closed and the transport's idle
// connections are closed, no goroutine of the job is left.
//
// Its waits are hang detectors, not timings: each allows a minute, far more
// than a loaded machine needs, and none is the thing tested.
func TestBulkCancelLeavesNoGoroutines(t *testing.T) {
	const hang = time.Minute
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 5, Latency: 2 * time.Millisecond})
	baseline := goruntime.NumGoroutine()

	b := newBulkVM(t, sb, base, intercom.Config{Concurrency: 16})
	path := script(t, `
const ids = (await intercom.contacts.list({ per_page: 150 }).toArray()).map((c) => c.id);
const rows = Array.from({ length: 200000 }, (_, i) => ({ id: ids[i % ids.length], seats: i }));
// A Pager walked by forEach and a pool at once: both must stop.
const walk = intercom.contacts.list({ per_page: 10 }).forEach((c) => intercom.contacts.find(c.id), { concurrency: 4 });
await pool(rows, 16, (r) => intercom.contacts.update(r.id, { custom_attributes: { seats: r.seats } }));
await walk;
console.log("finished");
`)
	done := make(chan error, 1)
	go func() { done <- b.vm.RunFile(path) }()
	deadline := time.Now().Add(hang)
	for sb.Stats().Requests < 300 {
		if time.Now().After(deadline) {
			t.Fatalf("the job never got going: %d requests", sb.Stats().Requests)
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancelled := time.Now()
	b.cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(hang):
		t.Fatalf("the run did not return within %s of the cancellation", hang)
	}
	t.Logf("the run returned %s after the cancellation, after %d requests", time.Since(cancelled).Round(time.Millisecond), sb.Stats().Requests)
	if !errors.Is(err, runtime.ErrInterrupted) {
		t.Fatalf("run error %v, want ErrInterrupted\n%s", err, b.stdout)
	}
	if strings.Contains(b.stdout.String(), "finished") {
		t.Fatal("the job finished: it was not cancelled mid-job")
	}
	b.vm.Close()

	// Calls in flight at the cancellation end with it, and nothing new is
	// sent. Counted at the client, which is what sends: a cancelled request
	// may still reach the sandbox late on a loaded machine, and that is no
	// new request.
	for deadline := time.Now().Add(hang); b.client.Stats().InFlight > 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d calls still in flight %s after the run returned", b.client.Stats().InFlight, hang)
		}
	}
	before := b.client.Stats().Requests
	time.Sleep(300 * time.Millisecond)
	if after := b.client.Stats().Requests; after != before {
		t.Errorf("the client sent %d requests after the run was cancelled and returned", after-before)
	}

	b.transport.CloseIdleConnections()
	deadline = time.Now().Add(hang)
	for {
		n := goruntime.NumGoroutine()
		if n <= baseline {
			break
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:goruntime.Stack(buf, true)]
			t.Fatalf("%d goroutines %s after the cancellation, %d before the job:\n%s", n, hang, baseline, buf)
		}
		b.transport.CloseIdleConnections()
		time.Sleep(20 * time.Millisecond)
	}
}

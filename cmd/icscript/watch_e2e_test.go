package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// save replaces a file the way editors do: write a temp file, rename it.
func save(t *testing.T, path, text string) {
	t.Helper()
	tmp := path + ".tmp~"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// TestWatchWithTheBinary: saves of the script and of a module it imports
// rerun it against a fresh sandbox; a syntax error is shown and watching
// goes on; Ctrl-C ends watch mode.
func TestWatchWithTheBinary(t *testing.T) {
	dir, script := writeScript(t, "job.ts", `import { n } from "./n.ts";
const c = await intercom.contacts.create({ email: "w@example.com" });
console.log("run", n, (await intercom.contacts.search({ field: "email", operator: "=", value: "w@example.com" }).toArray()).length);
`)
	mod := filepath.Join(dir, "n.ts")
	os.WriteFile(mod, []byte("export const n = 1;\n"), 0o644)
	p := startIcscript(t, dir, nil, "--watch", "--sandbox", "job.ts")
	// Each run sees a fresh sandbox: one contact with that email, not more.
	p.waitStdout("run 1 1\n", 1)
	save(t, script, strings.Replace(mustRead(t, script), `"run"`, `"again"`, 1))
	p.waitStdout("again 1 1\n", 1)
	os.WriteFile(mod, []byte("export const n = 2;\n"), 0o644) // an in-place write of an import
	p.waitStdout("again 2 1\n", 1)
	save(t, script, "const = ;\n")
	p.waitStderr("job.ts:1:")
	save(t, script, `console.log("fixed");`+"\n")
	p.waitStdout("fixed\n", 1)
	if code := p.stop(syscall.SIGINT, 20*time.Second); code != 130 {
		t.Fatalf("watch mode ended with exit %d, want 130", code)
	}
}

// TestWatchCancelsTheRunningRequest: a save while a run waits on a slow
// request cancels that request (seen by the server) and reruns the script.
func TestWatchCancelsTheRunningRequest(t *testing.T) {
	var started, cancelled atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/contacts/slow" {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"type":"contact","id":"fast"}`))
			return
		}
		started.Add(1)
		select {
		case <-r.Context().Done():
			cancelled.Add(1)
		case <-time.After(30 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	dir, script := writeScript(t, "slow.js", `console.log("waiting"); await intercom.contacts.find("slow"); console.log("never");`+"\n")
	p := startIcscript(t, dir, []string{"INTERCOM_ACCESS_TOKEN=tok-watch-test-1234"}, "--watch", "--base-url", srv.URL, "slow.js")
	p.waitStdout("waiting\n", 1)
	waitFor(t, func() bool { return started.Load() == 1 })
	save(t, script, `console.log("second", (await intercom.contacts.find("fast")).id);`+"\n")
	p.waitStdout("second fast\n", 1)
	waitFor(t, func() bool { return cancelled.Load() == 1 })
	if strings.Contains(p.stdout.String(), "never") {
		t.Fatal("the cancelled run went on")
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

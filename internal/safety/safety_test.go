package safety

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
)

var (
	cat           = catalog.MustFor(catalog.Default)
	deleteContact = cat.ByID("DeleteContact")
	updateContact = cat.ByID("UpdateContact")
)

func mutation(phase string) intercom.MutationEvent {
	return intercom.MutationEvent{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Phase: phase, Operation: updateContact.ID, Op: updateContact,
		Method: "PUT", Path: "/contacts/c1", Body: []byte(`{"name":"Ana"}`)}
}

func readLines(t *testing.T, path string) []AuditEntry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []AuditEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit line is not JSON: %q", sc.Text())
		}
		out = append(out, e)
	}
	return out
}

// TestAuditLogIsCreatedAtTheFirstMutation: opening leaves nothing behind;
// the first line creates the folders and the file, owner-only.
func TestAuditLogIsCreatedAtTheFirstMutation(t *testing.T) {
	dir := t.TempDir()
	path := AuditPath("", dir)
	if path != filepath.Join(dir, ".icscript", "audit.jsonl") || AuditPath("/x/a.jsonl", dir) != "/x/a.jsonl" {
		t.Fatalf("AuditPath: %s", path)
	}
	a, err := OpenAudit(path, "job.js", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".icscript")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("opening created something: %v", err)
	}
	start, done := mutation("start"), mutation("done")
	done.Status, done.RequestID, done.Duration = 200, "req-1", 1500*time.Millisecond
	if err := a.Record(start); err != nil {
		t.Fatal(err)
	}
	if err := a.Record(done); err != nil {
		t.Fatal(err)
	}
	a.Close()
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("log file: %v %v", st, err)
	}
	lines := readLines(t, path)
	want := []AuditEntry{
		{Time: "2026-01-02T03:04:05Z", Phase: "start", Script: "job.js", Operation: "contacts.update", Method: "PUT", Path: "/contacts/c1"},
		{Time: "2026-01-02T03:04:05Z", Phase: "done", Script: "job.js", Operation: "contacts.update", Method: "PUT", Path: "/contacts/c1", Status: 200, RequestID: "req-1", DurationMS: 1500},
	}
	if len(lines) != 2 || !sameEntry(lines[0], want[0]) || !sameEntry(lines[1], want[1]) {
		t.Fatalf("lines %+v\nwant %+v", lines, want)
	}
	// An existing log is appended to, with bodies when asked.
	a, err = OpenAudit(path, "job.js", true)
	if err != nil {
		t.Fatal(err)
	}
	raw := mutation("start")
	raw.Op, raw.Operation, raw.Method, raw.Path = nil, "", "POST", "/unknown"
	if err := a.Record(raw); err != nil {
		t.Fatal(err)
	}
	a.Close()
	lines = readLines(t, path)
	if len(lines) != 3 || lines[2].Operation != "raw" || string(lines[2].Body) != `{"name":"Ana"}` {
		t.Fatalf("appended %+v", lines)
	}
}

func sameEntry(a, b AuditEntry) bool {
	return string(a.Body) == string(b.Body) && a.Time == b.Time && a.Phase == b.Phase && a.Script == b.Script && a.Operation == b.Operation &&
		a.Method == b.Method && a.Path == b.Path && a.DryRun == b.DryRun && a.Status == b.Status && a.RequestID == b.RequestID &&
		a.DurationMS == b.DurationMS && a.Error == b.Error
}

// TestAuditLogRefusesAPathThatCannotHoldIt: a file where a folder should
// be, or a folder not writable, is refused before anything is sent.
func TestAuditLogRefusesAPathThatCannotHoldIt(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "plain")
	os.WriteFile(file, nil, 0o600)
	if _, err := OpenAudit(filepath.Join(file, "audit.jsonl"), "", false); err == nil || err.Error() != "audit log: "+file+" is not a folder" {
		t.Errorf("file as folder: %v", err)
	}
	if os.Geteuid() == 0 {
		t.Skip("root writes anywhere")
	}
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o500)
	if _, err := OpenAudit(filepath.Join(ro, "sub", "audit.jsonl"), "", false); err == nil || !strings.HasPrefix(err.Error(), "audit log: cannot write in "+ro+": ") {
		t.Errorf("read-only folder: %v", err)
	}
}

// TestAuditHookStopsTheRun: a start line that cannot be written stops the
// run before the call; a done line is printed so that it is not lost.
func TestAuditHookStopsTheRun(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	a, err := OpenAudit(path, "", false)
	if err != nil {
		t.Fatal(err)
	}
	os.Mkdir(path, 0o700) // the file cannot be created now
	var stderr bytes.Buffer
	rails := &Rails{}
	var interrupted atomic.Value
	rails.Begin(func(v any) { interrupted.Store(v) })
	a.Hook(rails, &stderr)(mutation("start"))
	stop := rails.Stopped()
	if stop == nil || !strings.HasPrefix(stop.Error(), "the audit log "+path+" could not be written (audit log: open ") ||
		!strings.HasSuffix(stop.Error(), "), so contacts.update (PUT /contacts/c1) was not sent") {
		t.Fatalf("stop: %v", stop)
	}
	if interrupted.Load() != stop || stderr.Len() != 0 {
		t.Errorf("interrupted with %v; stderr %q", interrupted.Load(), stderr.String())
	}

	rails = &Rails{}
	a.Hook(rails, &stderr)(mutation("done"))
	if !strings.Contains(stderr.String(), "; its line for contacts.update (PUT /contacts/c1) is:\n{\"time\":") ||
		!strings.HasSuffix(rails.Stopped().Error(), " after contacts.update (PUT /contacts/c1) was sent (its line is above)") {
		t.Errorf("done: %q / %v", stderr.String(), rails.Stopped())
	}
}

func TestDryRunPrinter(t *testing.T) {
	var out bytes.Buffer
	p := &DryRunPrinter{W: &out}
	ev := mutation("start")
	ev.DryRun = true
	p.Print(ev)
	p.Print(mutation("start")) // not a dry run
	ev.Phase = "done"
	p.Print(ev)
	raw := mutation("start")
	raw.DryRun, raw.Op, raw.Operation, raw.Body = true, nil, "", []byte(strings.Repeat("x", 500))
	p.Print(raw)
	want := "dry run: would contacts.update PUT /contacts/c1 {\"name\":\"Ana\"}\n" +
		"dry run: would raw PUT /contacts/c1 " + strings.Repeat("x", 400) + "…\n"
	if out.String() != want {
		t.Errorf("printed %q\nwant %q", out.String(), want)
	}
}

// asker is a Guard's Ask that answers from a list and counts questions.
type asker struct {
	answers   []string
	questions []string
}

func (a *asker) ask(q string) string {
	a.questions = append(a.questions, q)
	answer := a.answers[0]
	a.answers = a.answers[1:]
	return answer
}

// TestGuardAsksOncePerRun: the first irreversible call asks; the answer
// holds for the rest of the run; the next run asks again.
func TestGuardAsksOncePerRun(t *testing.T) {
	ask := &asker{answers: []string{" Yes\n", "n\n"}}
	rails := &Rails{}
	g := &Guard{Label: "the eu region", Rails: rails, Catalog: cat, Terminal: true, Ask: ask.ask}
	rails.Begin(func(any) {})
	for range 3 {
		if err := g.Check(deleteContact); err != nil {
			t.Fatal(err)
		}
	}
	wantQ := "This run is about to call contacts.delete (DELETE /contacts/{id}), which cannot be undone, against the eu region.\nAllow irreversible operations for the rest of this run? [y/N] "
	if len(ask.questions) != 1 || ask.questions[0] != wantQ {
		t.Fatalf("questions %q", ask.questions)
	}
	rails.End()

	// The next run asks again; "n" stops it.
	var interrupted any
	rails.Begin(func(v any) { interrupted = v })
	g.Reset()
	err := g.Check(deleteContact)
	want := "contacts.delete (DELETE /contacts/{id}) is irreversible and you did not confirm it, so it was not sent and the run ends here (--dry-run shows what the run would change)"
	var se *StopError
	if !errors.As(err, &se) || err.Error() != want || interrupted != err || rails.Stopped() != se {
		t.Fatalf("refused: %v (interrupted %v)", err, interrupted)
	}
	if rails.End() != se {
		t.Error("End lost the cause")
	}
}

func TestGuardWithoutATerminal(t *testing.T) {
	rails := &Rails{}
	g := &Guard{Label: `profile "prod" at the eu region`, Rails: rails, Catalog: cat, Ask: func(string) string { t.Fatal("asked without a terminal"); return "" }}
	err := g.Check(deleteContact)
	want := `contacts.delete (DELETE /contacts/{id}) is irreversible: against profile "prod" at the eu region it needs confirmation, and there is no terminal to ask, so it was not sent; rerun with --yes to allow irreversible operations, or with --dry-run to see what the run would change`
	if err == nil || err.Error() != want {
		t.Fatalf("= %v\nwant %q", err, want)
	}
	// In the REPL (no run begun) a refusal does not halt the transport.
	if rails.Stopped() != nil || rails.halted.Load() {
		t.Error("a refusal outside a run stopped the rails")
	}
	err = g.Check(deleteContact)
	if want := `contacts.delete (DELETE /contacts/{id}) is irreversible and irreversible operations were not confirmed for profile "prod" at the eu region`; err == nil || err.Error() != want {
		t.Errorf("second call: %v", err)
	}
	// --yes allows everything, terminal or not.
	g = &Guard{Yes: true, Rails: rails, Catalog: cat}
	if err := g.Check(deleteContact); err != nil {
		t.Error(err)
	}
}

// TestGateGuardsTheWire: a mutation the catalogue cannot vouch for is
// guarded; reads and known reversible calls pass; once stopped, nothing
// leaves.
func TestGateGuardsTheWire(t *testing.T) {
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sent.Add(1) }))
	defer srv.Close()
	rails := &Rails{}
	rails.Begin(func(any) {})
	g := &Guard{Label: "the proxy", Rails: rails, Catalog: cat}
	base := srv.URL + "/intercom"
	gate := NewGate(http.DefaultTransport, rails, g, base)
	do := func(method, path string) error {
		req, _ := http.NewRequest(method, base+path, strings.NewReader("{}"))
		resp, err := gate.RoundTrip(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		return err
	}
	if err := do("GET", "/anything"); err != nil {
		t.Fatal(err)
	}
	if err := do("PUT", "/contacts/c1"); err != nil {
		t.Fatal(err)
	}
	err := do("POST", "/no/such/route")
	want := "raw POST /no/such/route matches no operation of the catalogue, so its effect is unknown and it is treated as irreversible: against the proxy it needs confirmation"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("unknown route: %v", err)
	}
	err = do("GET", "/contacts")
	if err == nil || err.Error() != "not sent: the run was stopped: "+rails.Stopped().Error() {
		t.Fatalf("after the stop: %v", err)
	}
	if n := sent.Load(); n != 2 {
		t.Errorf("%d requests reached the server, want 2", n)
	}
}

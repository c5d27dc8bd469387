package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

var testSecret = []byte("test-client-secret")

func notification(t *testing.T, id, topic string) []byte {
	t.Helper()
	b, err := json.Marshal(NewEvent(id, "app1", topic, json.RawMessage(`{"type":"conversation","id":"1"}`), 1700000000))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// counter is a Handler that counts the deliveries it handled, by id.
type counter struct {
	mu       sync.Mutex
	seen     map[string]int
	done     chan string
	inFlight int
	peak     int // most handlers running at once
}

func newCounter() *counter { return &counter{seen: map[string]int{}, done: make(chan string, 1000)} }

func (c *counter) handle(_ context.Context, ev *Event, _ []byte) (string, error) {
	c.mu.Lock()
	c.seen[ev.ID]++
	c.inFlight++
	c.peak = max(c.peak, c.inFlight)
	c.mu.Unlock()
	time.Sleep(10 * time.Millisecond) // long enough for handlers to overlap
	c.mu.Lock()
	c.inFlight--
	c.mu.Unlock()
	c.done <- ev.ID
	if ev.Topic == "unknown.topic" {
		return ResultUnhandled, nil
	}
	return ResultOK, nil
}

func startServer(t *testing.T, journal string, h Handler) (*Server, *httptest.Server) {
	t.Helper()
	j, err := OpenJournal(journal, 0)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Secret: testSecret, Journal: j, Handle: h, Concurrency: 4}
	ctx, cancel := context.WithCancel(context.Background())
	s.Start(ctx)
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); cancel(); s.Wait(); j.Close() })
	return s, ts
}

func post(t *testing.T, url string, body []byte, sig string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if sig != "" {
		req.Header.Set(SignatureHeader, sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestServerRejectsBadSignatures(t *testing.T) {
	c := newCounter()
	_, ts := startServer(t, filepath.Join(t.TempDir(), "j.jsonl"), c.handle)
	body := notification(t, "notif_a", "conversation.user.created")
	for name, sig := range map[string]string{"unsigned": "", "other secret": Sign([]byte("nope"), body), "wrong prefix": "sha256=" + Sign(testSecret, body)[5:]} {
		if got := post(t, ts.URL, body, sig); got != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, got)
		}
	}
	// A good one goes through: the bad ones never reached the handler.
	if got := post(t, ts.URL, body, Sign(testSecret, body)); got != http.StatusOK {
		t.Fatalf("status %d, want 200", got)
	}
	if id := <-c.done; id != "notif_a" {
		t.Fatalf("handled %s", id)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.seen) != 1 {
		t.Errorf("handled %v, want only notif_a", c.seen)
	}
}

func TestServerDropsReplayedIDsAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	c := newCounter()
	_, ts := startServer(t, path, c.handle)
	body := notification(t, "notif_dup", "conversation.user.created")
	for range 3 {
		if got := post(t, ts.URL, body, Sign(testSecret, body)); got != http.StatusOK {
			t.Fatalf("status %d, want 200", got)
		}
	}
	<-c.done
	ts.Close()
	doneRecords(t, path, 1) // the handler has returned; its end is recorded just after
	// A new server on the same journal still knows the id.
	c2 := newCounter()
	_, ts2 := startServer(t, path, c2.handle)
	if got := post(t, ts2.URL, body, Sign(testSecret, body)); got != http.StatusOK {
		t.Fatalf("status %d, want 200", got)
	}
	other := notification(t, "notif_new", "unknown.topic")
	post(t, ts2.URL, other, Sign(testSecret, other))
	if id := <-c2.done; id != "notif_new" {
		t.Fatalf("after the restart handled %s, want only notif_new", id)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen["notif_dup"] != 1 {
		t.Errorf("notif_dup handled %d times, want 1", c.seen["notif_dup"])
	}
	if results := doneRecords(t, path, 2); fmt.Sprint(results) != "[notif_dup:ok notif_new:unhandled]" {
		t.Errorf("journal's done records: %v", results)
	}
}

// doneRecords waits for the journal at path to hold n done records (a
// worker records a delivery's end after its handler returns) and returns
// them as "id:result".
func doneRecords(t *testing.T, path string, n int) []string {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(5 * time.Millisecond) {
		var results []string
		if err := ReadJournal(path, func(r *Record) {
			if r.Kind == "done" {
				results = append(results, r.ID+":"+r.Result)
			}
		}); err != nil {
			t.Fatal(err)
		}
		if len(results) >= n || time.Now().After(deadline) {
			return results
		}
	}
}

func TestServerHandlesConcurrentDeliveriesOnce(t *testing.T) {
	c := newCounter()
	path := filepath.Join(t.TempDir(), "j.jsonl")
	_, ts := startServer(t, path, c.handle)
	const n = 200
	var wg sync.WaitGroup
	// Each delivery is posted twice at once, as a retrying sender may.
	for i := range 2 * n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := notification(t, fmt.Sprintf("notif_%03d", i%n), "conversation.user.replied")
			if got := post(t, ts.URL, body, Sign(testSecret, body)); got != http.StatusOK {
				t.Errorf("status %d", got)
			}
		}()
	}
	wg.Wait()
	for range n {
		<-c.done
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.seen) != n {
		t.Fatalf("handled %d distinct deliveries, want %d", len(c.seen), n)
	}
	if c.peak > 4 {
		t.Errorf("%d handlers ran at once, want at most Concurrency (4)", c.peak)
	}
	received := 0
	if err := ReadJournal(path, func(r *Record) {
		if r.Kind == "received" {
			received++
		}
	}); err != nil {
		t.Fatal(err)
	}
	if received != n {
		t.Errorf("journal holds %d received records, want %d (one per id)", received, n)
	}
	for id, k := range c.seen {
		if k != 1 {
			t.Errorf("%s handled %d times", id, k)
		}
	}
}

func TestJournalRotatesAndKeepsPendingAndIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := OpenJournal(path, 2048)
	if err != nil {
		t.Fatal(err)
	}
	body := notification(t, "notif_pending", "conversation.user.created")
	if dup, err := j.Receive("notif_pending", "conversation.user.created", body); dup || err != nil {
		t.Fatal(dup, err)
	}
	for i := range 20 {
		id := fmt.Sprintf("notif_%d", i)
		if _, err := j.Receive(id, "t", notification(t, id, "t")); err != nil {
			t.Fatal(err)
		}
		if err := j.Done(id, ResultOK, ""); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	for _, p := range []string{path, path + ".1"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > 2048+int64(len(body))+512 {
			t.Errorf("%s is %d bytes, past the bound", p, st.Size())
		}
	}
	j, err = OpenJournal(path, 2048)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if p := j.Pending(); len(p) != 1 || p[0].ID != "notif_pending" {
		t.Fatalf("pending after rotation and reopen: %v", p)
	}
	if dup, _ := j.Receive("notif_19", "t", notification(t, "notif_19", "t")); !dup {
		t.Error("a recent id was forgotten by the rotation")
	}
}

func TestJournalIgnoresATornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, _ := OpenJournal(path, 0)
	j.Receive("notif_1", "t", notification(t, "notif_1", "t"))
	j.Close()
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"kind":"done","id":"notif_1","res`)
	f.Close()
	j, err := OpenJournal(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if p := j.Pending(); len(p) != 1 {
		t.Fatalf("pending %v, want notif_1", p)
	}
	// The next record starts on a line of its own: the file reads back.
	if err := j.Done("notif_1", ResultOK, ""); err != nil {
		t.Fatal(err)
	}
	j.Close()
	j, err = OpenJournal(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p := j.Pending(); len(p) != 0 {
		t.Fatalf("pending %v, want none", p)
	}
}

// TestJournalTornLastLineIsOneRule: a journal whose last line a crash
// cut reads the same to the listener (OpenJournal) and to replay
// (ReadJournal): the torn line is no record, whether it stops mid-record
// or lacks only its newline, since its delivery was never acknowledged.
// The listener then takes that delivery when it comes again.
func TestJournalTornLastLineIsOneRule(t *testing.T) {
	whole, err := json.Marshal(&Record{Kind: "received", ID: "notif_torn", Topic: "t", Body: notification(t, "notif_torn", "t")})
	if err != nil {
		t.Fatal(err)
	}
	for name, torn := range map[string][]byte{"cut mid-record": whole[:len(whole)/2], "all but its newline": whole} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "j.jsonl")
			j, err := OpenJournal(path, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := j.Receive("notif_1", "t", notification(t, "notif_1", "t")); err != nil {
				t.Fatal(err)
			}
			j.Close()
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write(torn)
			f.Close()

			var replayed []string
			if err := ReadJournal(path, func(r *Record) { replayed = append(replayed, r.ID) }); err != nil {
				t.Fatal(err)
			}
			j, err = OpenJournal(path, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			var pending []string
			for _, r := range j.Pending() {
				pending = append(pending, r.ID)
			}
			if fmt.Sprint(replayed) != "[notif_1]" || fmt.Sprint(pending) != "[notif_1]" {
				t.Errorf("replay reads %v, the listener has %v pending; want [notif_1] for both", replayed, pending)
			}
			if dup, err := j.Receive("notif_torn", "t", notification(t, "notif_torn", "t")); err != nil || dup {
				t.Errorf("the torn line's delivery, delivered again: dup %v, %v; want it taken", dup, err)
			}
		})
	}
}

// TestJournalCutsALineItCouldNotWrite: a delivery whose line only partly
// fits (a file size limit, as a full disk would) is refused and leaves no
// torn line behind, so the next delivery's line is whole and the journal
// reads back after a restart.
func TestJournalCutsALineItCouldNotWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := OpenJournal(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if _, err := j.Receive("notif_1", "t", notification(t, "notif_1", "t")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skip("no file size limit here:", err)
	}
	lim := old
	lim.Cur = uint64(st.Size() + 20)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Skip("cannot set a file size limit:", err)
	}
	_, err = j.Receive("notif_2", "t", notification(t, "notif_2", "t"))
	_ = syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old)
	if !errors.Is(err, syscall.EFBIG) {
		t.Fatalf("Receive past the limit: %v, want EFBIG", err)
	}
	if after, _ := os.Stat(path); after.Size() != st.Size() {
		t.Fatalf("the journal is %d bytes after the failed line, was %d", after.Size(), st.Size())
	}
	// Delivered again, it is not taken for a duplicate, and its line is whole.
	if dup, err := j.Receive("notif_2", "t", notification(t, "notif_2", "t")); err != nil || dup {
		t.Fatalf("Receive again = %v, %v", dup, err)
	}
	j.Close()
	var ids []string
	if err := ReadJournal(path, func(r *Record) { ids = append(ids, r.ID) }); err != nil || len(ids) != 2 || ids[1] != "notif_2" {
		t.Fatalf("the journal reads %v, %v; want notif_1, notif_2", ids, err)
	}
}

package bindings

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func testCheckpointConfig(t *testing.T, resume bool) (CheckpointConfig, *[]string) {
	notes := &[]string{}
	return CheckpointConfig{Dir: t.TempDir(), Script: "/jobs/job.js", Resume: resume, Version: "1.0", API: "https://api.intercom.io",
		Note: func(s string) { *notes = append(*notes, s) }}, notes
}

// TestCheckpointRecordsAndResumes: what one run records, the next reads:
// done is done, failed is failed, a start without an outcome is started;
// a complete job removes its file, an incomplete one keeps it.
func TestCheckpointRecordsAndResumes(t *testing.T) {
	cfg, _ := testCheckpointConfig(t, false)
	c, err := OpenCheckpoint(cfg, "job.ckpt")
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { return c.Start("id:1") }, func() error { return c.Done("id:1") },
		func() error { return c.Start("id:2") }, func() error { return c.Failed("id:2", "boom") },
		func() error { return c.Start("id:3") },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if kept, err := c.Finish(false); err != nil || !kept {
		t.Fatalf("Finish(false) = %v, %v; want kept", kept, err)
	}
	data, _ := os.ReadFile(filepath.Join(cfg.Dir, "job.ckpt"))
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[0], `{"checkpoint":1,"script":"/jobs/job.js","name":"job.ckpt"`) || lines[4] != `{"failed":"id:2","error":"boom"}` {
		t.Fatalf("file:\n%s", data)
	}

	// Without --resume the file stops the run.
	var ce *CheckpointError
	if _, err := OpenCheckpoint(cfg, "job.ckpt"); !errors.As(err, &ce) || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("open without resume: %v", err)
	}
	cfg.Resume = true
	c, err = OpenCheckpoint(cfg, "job.ckpt")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"id:1": "done", "id:2": "failed", "id:3": "started", "id:4": ""} {
		if got := c.State(key); got != want {
			t.Errorf("State(%s) = %q, want %q", key, got, want)
		}
	}
	if got := c.Unfinished(); len(got) != 1 || got[0] != "id:3" {
		t.Errorf("Unfinished = %v", got)
	}
	if err := c.Start("id:2"); err != nil {
		t.Fatal(err)
	}
	if err := c.Done("id:2"); err != nil {
		t.Fatal(err)
	}
	if kept, err := c.Finish(true); err != nil || kept {
		t.Fatalf("Finish(true) = %v, %v; want removed", kept, err)
	}
	if _, err := os.Stat(c.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("file still there after a complete job: %v", err)
	}
}

// TestCheckpointReadsWhatKillLeaves: a torn last line is dropped (and cut
// off before appending); a bad line elsewhere, a missing header and
// another job's header are errors naming what is wrong.
func TestCheckpointReadsWhatKillLeaves(t *testing.T) {
	cfg, notes := testCheckpointConfig(t, true)
	c, err := OpenCheckpoint(cfg, "job.ckpt")
	if err != nil {
		t.Fatal(err)
	}
	if len(*notes) != 1 || !strings.Contains((*notes)[0], "starting afresh") {
		t.Errorf("notes = %q", *notes)
	}
	_ = c.Start("id:1")
	_, _ = c.Finish(false)
	path := c.Path()
	good, _ := os.ReadFile(path)
	write := func(s string) { _ = os.WriteFile(path, []byte(s), 0o600) }

	write(string(good) + `{"done":"id:`)
	c, err = OpenCheckpoint(cfg, "job.ckpt")
	if err != nil {
		t.Fatal(err)
	}
	if c.State("id:1") != "started" || !strings.Contains(strings.Join(*notes, "\n"), "line 3 was cut short") {
		t.Errorf("state %q, notes %q", c.State("id:1"), *notes)
	}
	_ = c.Done("id:1")
	_, _ = c.Finish(false)
	if now, _ := os.ReadFile(path); string(now) != string(good)+`{"done":"id:1"}`+"\n" {
		t.Errorf("after a torn line, the file is:\n%s", now)
	}

	for name, tc := range map[string]struct{ content, want string }{
		"middle":    {string(good) + "{nope\n" + `{"done":"id:1"}` + "\n", "line 3: not a checkpoint record"},
		"two kinds": {string(good) + `{"done":"id:1","start":"id:1"}` + "\n", "line 3: not a checkpoint record"},
		"unknown":   {string(good) + `{"finished":"id:1"}` + "\n", "line 3: not a checkpoint record"},
		"header":    {"{}\n", "line 1: not a checkpoint header"},
		"empty":     {"", "no header line"},
		"script":    {strings.Replace(string(good), "/jobs/job.js", "/jobs/other.js", 1), "script /jobs/other.js, this run is /jobs/job.js"},
		"api":       {strings.Replace(string(good), "https://api.intercom.io", "https://api.eu.intercom.io", 1), "API https://api.eu.intercom.io"},
		"name":      {strings.Replace(string(good), `"name":"job.ckpt"`, `"name":"other.ckpt"`, 1), `checkpoint name "other.ckpt"`},
	} {
		write(tc.content)
		_, err := OpenCheckpoint(cfg, "job.ckpt")
		var ce *CheckpointError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one with %q", name, err, tc.want)
		}
	}
}

// TestCheckpointDryRunWritesNothing: a dry run creates no file and leaves
// an existing one as it is, though it reads it.
func TestCheckpointDryRunWritesNothing(t *testing.T) {
	cfg, _ := testCheckpointConfig(t, false)
	cfg.DryRun = true
	c, err := OpenCheckpoint(cfg, "job.ckpt")
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Start("id:1")
	_ = c.Done("id:1")
	if kept, _ := c.Finish(true); kept {
		t.Error("a dry run reports a kept file")
	}
	if _, err := os.Stat(c.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a dry run wrote %s", c.Path())
	}
	cfg.DryRun, cfg.Resume = false, true
	real, _ := OpenCheckpoint(cfg, "job.ckpt")
	_ = real.Start("id:1")
	_ = real.Done("id:1")
	_, _ = real.Finish(false)
	before, _ := os.ReadFile(real.Path())
	cfg.DryRun = true
	c, err = OpenCheckpoint(cfg, "job.ckpt")
	if err != nil || c.State("id:1") != "done" {
		t.Fatalf("dry run read: %v, state %q", err, c.State("id:1"))
	}
	_ = c.Start("id:2")
	_, _ = c.Finish(true)
	if after, _ := os.ReadFile(real.Path()); string(after) != string(before) {
		t.Errorf("a dry run changed the file:\n%s\nwas:\n%s", after, before)
	}
}

// TestCheckpointResumeFrom: a resume starts at the first recorded page
// with an item neither done nor started, else at the last page recorded.
func TestCheckpointResumeFrom(t *testing.T) {
	cfg, _ := testCheckpointConfig(t, false)
	c, _ := OpenCheckpoint(cfg, "job.ckpt")
	_ = c.Page("", []string{"id:1", "id:2"})
	_ = c.Start("id:1")
	_ = c.Done("id:1")
	_ = c.Start("id:2") // needs a check: settled for the position
	_ = c.Page("p2", []string{"id:3", "id:4"})
	_ = c.Start("id:3")
	_ = c.Failed("id:3", "boom")
	_ = c.Page("p3", []string{"id:5"})
	_ = c.Start("id:5")
	_ = c.Done("id:5")
	_, _ = c.Finish(false)
	cfg.Resume = true
	r, err := OpenCheckpoint(cfg, "job.ckpt")
	if err != nil {
		t.Fatal(err)
	}
	if got := r.ResumeFrom(); got != "p2" {
		t.Errorf("ResumeFrom = %q, want p2 (id:3 failed)", got)
	}
	_ = r.Start("id:3")
	_ = r.Done("id:3")
	_ = r.Start("id:4")
	_ = r.Done("id:4")
	_, _ = r.Finish(false)
	r, _ = OpenCheckpoint(cfg, "job.ckpt")
	if got := r.ResumeFrom(); got != "p3" {
		t.Errorf("ResumeFrom = %q, want the last page p3 when every recorded item is settled", got)
	}
	_, _ = r.Finish(false)
	write := func(s string) { _ = os.WriteFile(r.Path(), []byte(s), 0o600) }
	data, _ := os.ReadFile(r.Path())
	write(string(data) + `{"page":"x","keys":["id:1"],"done":"id:1"}` + "\n")
	if _, err := OpenCheckpoint(cfg, "job.ckpt"); err == nil || !strings.Contains(err.Error(), "not a checkpoint record") {
		t.Errorf("a page line with another record: %v", err)
	}
}

// TestCheckpointConcurrentStartsAreDurable: starts begun from many
// goroutines at once, whose fsyncs are shared, each return with their own
// line counted as synced and in the file; a start whose fsync waited behind
// Finish returns once Finish synced it.
func TestCheckpointConcurrentStartsAreDurable(t *testing.T) {
	cfg, _ := testCheckpointConfig(t, false)
	c, err := OpenCheckpoint(cfg, "job.ckpt")
	if err != nil {
		t.Fatal(err)
	}
	const n = 50
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := fmt.Sprintf("id:%d", i)
			seq, err := c.begin(key)
			if err == nil {
				err = c.durable(seq)
			}
			if err != nil {
				t.Errorf("start %s: %v", key, err)
				return
			}
			c.mu.Lock()
			synced := c.synced
			c.mu.Unlock()
			if synced < seq {
				t.Errorf("start %s (line %d) returned with %d lines synced", key, seq, synced)
			}
			if err := c.Done(key); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	seq, err := c.begin("id:last")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Finish(false); err != nil {
		t.Fatal(err)
	}
	if err := c.durable(seq); err != nil {
		t.Errorf("a start synced by Finish: %v", err)
	}
	data, _ := os.ReadFile(filepath.Join(cfg.Dir, "job.ckpt"))
	for i := range n {
		for _, line := range []string{fmt.Sprintf(`{"start":"id:%d"}`, i), fmt.Sprintf(`{"done":"id:%d"}`, i)} {
			if !strings.Contains(string(data), line+"\n") {
				t.Errorf("the file lacks %s", line)
			}
		}
	}
	if !strings.HasSuffix(string(data), `{"start":"id:last"}`+"\n") {
		t.Errorf("the file does not end with the last start:\n%s", data)
	}
}

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testSystem(stdout, stderr *syncBuffer) *System {
	return &System{
		Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr,
		Getenv: func(string) string { return "" }, Environ: func() []string { return nil },
		Now: time.Now,
	}
}

// TestWatchCtrlCEndsWith130: the command's watch mode ends with 130 on
// Ctrl-C, the run in progress stopped.
func TestWatchCtrlCEndsWith130(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.ts"), []byte("1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sys := testSystem(&syncBuffer{}, &syncBuffer{})
	sys.Dir = dir
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan context.Context, 1)
	result := make(chan int, 1)
	go func() {
		result <- watchLoop(ctx, "main.ts", sys, func(run context.Context) int {
			started <- run
			<-run.Done()
			return 0
		})
	}()
	var run context.Context
	select {
	case run = <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("no run")
	}
	cancel()
	select {
	case code := <-result:
		if code != exitInterrupted {
			t.Errorf("exit code %d, want %d", code, exitInterrupted)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watchLoop did not return on Ctrl-C")
	}
	if run.Err() == nil {
		t.Error("the run's context was not cancelled")
	}
}

// TestWatchMissingEntry: a script that is not there is a usage error (2).
func TestWatchMissingEntry(t *testing.T) {
	stderr := &syncBuffer{}
	sys := testSystem(&syncBuffer{}, stderr)
	sys.Dir = t.TempDir()
	code := watchLoop(context.Background(), "nope.ts", sys, func(context.Context) int { return 0 })
	if code != exitUsage || !strings.Contains(stderr.String(), "nope.ts") {
		t.Fatalf("code %d, stderr %q", code, stderr.String())
	}
}

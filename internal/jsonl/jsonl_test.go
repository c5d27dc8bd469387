package jsonl

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
)

func TestAppendWritesWholeLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.jsonl")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, o := range []Options{{}, {Sync: true}, {Lock: true}, {Sync: true, Lock: true}} {
		line := []byte(`{"n":` + strings.Repeat("1", i+1) + "}\n")
		if n, err := Append(f, line, o); err != nil || n != len(line) {
			t.Fatalf("Append(%+v) = %d, %v", o, n, err)
		}
	}
	raw, _ := os.ReadFile(path)
	if want := "{\"n\":1}\n{\"n\":11}\n{\"n\":111}\n{\"n\":1111}\n"; string(raw) != want {
		t.Errorf("file holds %q, want %q", raw, want)
	}
}

// TestAppendCutsAPartialLine: a file size limit (ulimit -f; Go meets it as
// EFBIG) lets part of a line in. Under the lock, or from the sole writer,
// the part is cut back out and the next line goes where it was; else the
// caller learns how much reached the file.
func TestAppendCutsAPartialLine(t *testing.T) {
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skip("no file size limit here:", err)
	}
	const before = "{\"a\":1}\n"
	line := []byte(`{"b":"` + strings.Repeat("x", 100) + "\"}\n")
	for _, o := range []Options{{Lock: true}, {Sole: true}, {}} {
		path := filepath.Join(t.TempDir(), "x.jsonl")
		if err := os.WriteFile(path, []byte(before), 0o600); err != nil {
			t.Fatal(err)
		}
		// Not O_APPEND: the next line must go where the cut one started,
		// not past a hole.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err == nil {
			_, err = f.Seek(0, io.SeekEnd)
		}
		if err != nil {
			t.Fatal(err)
		}
		lim := old
		lim.Cur = uint64(len(before) + 10)
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			t.Skip("cannot set a file size limit:", err)
		}
		n, err := Append(f, line, o)
		_ = syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old)
		if err == nil || o == (Options{}) {
			f.Close()
		} else if _, err := Append(f, []byte("{}\n"), o); err != nil { // goes where the cut line was
			t.Errorf("%+v: the next line: %v", o, err)
		}
		f.Close()
		if !errors.Is(err, syscall.EFBIG) || n != 10 {
			t.Fatalf("%+v: Append past the limit = %d, %v; want 10 bytes in, EFBIG", o, n, err)
		}
		raw, _ := os.ReadFile(path)
		want := before + "{}\n"
		if o == (Options{}) {
			want = before + string(line[:10])
		}
		if string(raw) != want {
			t.Errorf("%+v: file holds %q, want %q", o, raw, want)
		}
	}
}

func TestReader(t *testing.T) {
	long := `{"x":"` + strings.Repeat("y", 100000) + `"}`
	for _, c := range []struct {
		name, in string
		lines    []string
		torn     string
		n        int
	}{
		{"empty", "", nil, "", 0},
		{"whole", "{}\n" + long + "\n\n[1]\n", []string{"{}", long, "", "[1]"}, "", 4},
		{"torn", "{}\n{\"a\":", []string{"{}"}, "{\"a\":", 2},
		{"torn only", "{\"a", nil, "{\"a", 1},
	} {
		r := NewReader(strings.NewReader(c.in))
		var lines []string
		for r.Next() {
			if r.N() != len(lines)+1 {
				t.Errorf("%s: line %d numbered %d", c.name, len(lines)+1, r.N())
			}
			lines = append(lines, string(r.Line()))
		}
		if strings.Join(lines, "|") != strings.Join(c.lines, "|") || len(lines) != len(c.lines) {
			t.Errorf("%s: lines %.60q, want %.60q", c.name, lines, c.lines)
		}
		if string(r.Torn()) != c.torn || (c.torn == "") != (r.Torn() == nil) {
			t.Errorf("%s: torn %q, want %q", c.name, r.Torn(), c.torn)
		}
		if want := int64(len(c.in) - len(c.torn)); r.Valid() != want {
			t.Errorf("%s: valid %d, want %d", c.name, r.Valid(), want)
		}
		if r.N() != c.n || r.Err() != nil || r.Next() {
			t.Errorf("%s: at the end N %d (want %d), err %v, Next true again?", c.name, r.N(), c.n, r.Err())
		}
	}
}

func TestReaderStopsOnAReadError(t *testing.T) {
	boom := errors.New("boom")
	r := NewReader(io.MultiReader(strings.NewReader("{}\n{\"a\""), iotest.ErrReader(boom)))
	var n int
	for r.Next() {
		n++
	}
	if n != 1 || !errors.Is(r.Err(), boom) || r.Torn() != nil {
		t.Errorf("read %d lines, err %v, torn %q: want the error", n, r.Err(), r.Torn())
	}
}

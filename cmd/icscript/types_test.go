package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icscript/icscript/bindings/typings"
)

func TestTypes(t *testing.T) {
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	if code := runTypes(nil, testSystem(stdout, stderr)); code != exitOK || stdout.String() != typings.Generate() {
		t.Fatalf("types to stdout: exit %d, %d bytes, stderr %q", code, len(stdout.String()), stderr.String())
	}
	out := filepath.Join(t.TempDir(), "icscript.d.ts")
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	if code := runTypes([]string{"-o", out}, testSystem(stdout, stderr)); code != exitOK {
		t.Fatalf("types -o: exit %d, stderr %q", code, stderr.String())
	}
	if got, _ := os.ReadFile(out); string(got) != typings.Generate() {
		t.Error("types -o wrote something else")
	}
	if code := runTypes([]string{"extra"}, testSystem(stdout, stderr)); code != exitUsage || !strings.Contains(stderr.String(), "no arguments") {
		t.Errorf("types extra: exit %d, stderr %q", code, stderr.String())
	}
}

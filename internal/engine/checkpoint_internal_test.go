package engine

import (
	"path/filepath"
	"testing"
)

// TestCheckpointConfig: a run's checkpoints belong to its script's absolute
// path, resolved from the working directory given, and live beside it.
func TestCheckpointConfig(t *testing.T) {
	for _, c := range []struct {
		dir, file, script, cpDir string
	}{
		{"/work", "jobs/x.js", filepath.FromSlash("/work/jobs/x.js"), filepath.FromSlash("/work/jobs")},
		{"/work", "/abs/y.ts", "/abs/y.ts", "/abs"},
		{"/work", "", "<-e>", "/work"},
	} {
		cc := checkpointConfig(Options{Dir: c.dir, File: c.file, Resume: true, Workspace: "the sandbox", Version: "9.9"})
		if cc.Script != c.script || cc.Dir != c.cpDir || !cc.Resume || cc.API != "the sandbox" || cc.Version != "9.9" {
			t.Errorf("%q in %q: %+v", c.file, c.dir, cc)
		}
	}
}

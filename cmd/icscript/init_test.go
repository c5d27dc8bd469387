package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseInitArgs(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		force   bool
		dir     string
		wantErr string
	}{
		{nil, false, ".", ""},
		{[]string{"ops"}, false, "ops", ""},
		{[]string{"--force", "ops"}, true, "ops", ""},
		{[]string{"a", "b"}, false, "", "one directory"},
		{[]string{"--forse"}, false, "", "did you mean --force"},
	} {
		o, err := parseInitArgs(tc.args)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: error %v, want %q", tc.args, err, tc.wantErr)
			}
			continue
		}
		if err != nil || o.force != tc.force || o.dir != tc.dir {
			t.Errorf("%q: got %+v, %v", tc.args, o, err)
		}
	}
}

func runInitIn(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	code := runInit(args, testSystem(stdout, stderr))
	return code, stdout.String(), stderr.String()
}

func TestInitWritesTheRepo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ops")
	code, out, errOut := runInitIn(t, dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, name := range []string{"icscript.d.ts", "tsconfig.json", filepath.Join("scripts", "hello.ts"), ".gitignore"} {
		if !strings.Contains(out, "wrote "+filepath.Join(dir, name)) {
			t.Errorf("output does not say it wrote %s:\n%s", name, out)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	gi, _ := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if !strings.Contains(string(gi), ".icscript/\n") {
		t.Errorf(".gitignore = %q", gi)
	}
	tc, _ := os.ReadFile(filepath.Join(dir, "tsconfig.json"))
	for _, want := range []string{`"allowJs": true`, `"checkJs": false`, `"noEmit": true`, `"target": "ESNext"`, `"module": "ESNext"`,
		`"moduleResolution": "bundler"`, `"strict": true`, `"types": []`, `"icscript.d.ts", "**/*.ts", "**/*.js"`} {
		if !strings.Contains(string(tc), want) {
			t.Errorf("tsconfig.json lacks %s", want)
		}
	}
}

func TestInitRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	mine := "// my own\n"
	if err := os.MkdirAll(filepath.Join(dir, "scripts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "scripts", "hello.ts"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runInitIn(t, dir)
	if code != exitUsage || !strings.Contains(errOut, filepath.Join(dir, "scripts", "hello.ts")) || !strings.Contains(errOut, "--force") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "tsconfig.json")); err == nil {
		t.Error("init wrote tsconfig.json although it refused")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "scripts", "hello.ts")); string(got) != mine {
		t.Error("init overwrote scripts/hello.ts without --force")
	}
}

func TestInitForceIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("node_modules/"), 0o644); err != nil {
		t.Fatal(err)
	}
	snapshot := func() map[string]string {
		m := map[string]string{}
		_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				b, _ := os.ReadFile(p)
				m[p] = string(b)
			}
			return nil
		})
		return m
	}
	if code, _, errOut := runInitIn(t, dir); code != exitOK {
		t.Fatalf("first init: %d %s", code, errOut)
	}
	first := snapshot()
	if gi := first[filepath.Join(dir, ".gitignore")]; gi != "node_modules/\n# icscript's audit log\n.icscript/\n" {
		t.Errorf(".gitignore after init = %q", gi)
	}
	if code, _, _ := runInitIn(t, dir); code != exitUsage {
		t.Errorf("second init without --force: exit %d, want %d", code, exitUsage)
	}
	code, out, errOut := runInitIn(t, "--force", dir)
	if code != exitOK {
		t.Fatalf("init --force: %d %s", code, errOut)
	}
	if !strings.Contains(out, "kept "+filepath.Join(dir, ".gitignore")) {
		t.Errorf("output:\n%s", out)
	}
	second := snapshot()
	if len(first) != len(second) {
		t.Fatalf("files differ: %d then %d", len(first), len(second))
	}
	for p, text := range first {
		if second[p] != text {
			t.Errorf("%s changed on init --force", p)
		}
	}
}

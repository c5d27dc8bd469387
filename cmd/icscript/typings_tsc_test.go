package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/icscript/icscript/bindings/typings"
	"github.com/icscript/icscript/internal/testsupport"
)

// These tests run the real TypeScript compiler (tools/tsc, installed with
// `npm ci --prefix tools/tsc`) over icscript.d.ts and scripts that use it,
// with the tsconfig.json `icscript init` writes. Without tsc they skip,
// unless ICSCRIPT_REQUIRE_TSC=1 (CI) makes that a failure.

func findTSC(t *testing.T) string {
	t.Helper()
	tsc, err := filepath.Abs(filepath.Join("..", "..", "tools", "tsc", "node_modules", ".bin", "tsc"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tsc); err != nil {
		if os.Getenv("ICSCRIPT_REQUIRE_TSC") == "1" {
			t.Fatalf("ICSCRIPT_REQUIRE_TSC=1 but %s is missing: run npm ci --prefix tools/tsc", tsc)
		}
		t.Skip("tsc is not installed (npm ci --prefix tools/tsc); skipping the TypeScript checks")
	}
	if _, err := exec.LookPath("node"); err != nil {
		if os.Getenv("ICSCRIPT_REQUIRE_TSC") == "1" {
			t.Fatal("ICSCRIPT_REQUIRE_TSC=1 but node is not on PATH")
		}
		t.Skip("node is not on PATH; skipping the TypeScript checks")
	}
	return tsc
}

// tscProject makes a project as `icscript init` would, with the files of
// src (a directory, copied with its subdirectories; "" for none) under
// scripts/, and returns its directory.
func tscProject(t *testing.T, src string, only func(path string) bool) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []initFile{{"icscript.d.ts", typings.Generate()}, {"tsconfig.json", tsconfigJSON}} {
		if err := os.WriteFile(filepath.Join(dir, f.path), []byte(f.content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (only != nil && !only(path)) {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, "scripts", rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func runTSC(t *testing.T, tsc, dir string) (string, error) {
	t.Helper()
	cmd := exec.Command(tsc, "-p", dir, "--pretty", "false")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestTypingsAcceptCorrectScripts(t *testing.T) {
	tsc := findTSC(t)
	dir := tscProject(t, filepath.Join("testdata", "typings", "ok"), nil)
	if out, err := runTSC(t, tsc, dir); err != nil {
		t.Fatalf("tsc rejects correct scripts (%v):\n%s", err, out)
	}
}

// Every file in testdata/typings/bad must fail, with each of its
// "// expect: TEXT" lines found in tsc's output.
func TestTypingsRejectWrongScripts(t *testing.T) {
	tsc := findTSC(t)
	bad, err := filepath.Glob(filepath.Join("testdata", "typings", "bad", "*.ts"))
	if err != nil || len(bad) == 0 {
		t.Fatalf("no scripts in testdata/typings/bad (%v)", err)
	}
	for _, file := range bad {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var expects []string
			for _, line := range strings.Split(string(src), "\n") {
				if e, ok := strings.CutPrefix(line, "// expect: "); ok {
					expects = append(expects, strings.TrimSpace(e))
				}
			}
			if len(expects) == 0 {
				t.Fatalf("%s has no // expect: line", file)
			}
			dir := tscProject(t, filepath.Dir(file), func(p string) bool { return p == file })
			out, err := runTSC(t, tsc, dir)
			if err == nil {
				t.Fatalf("tsc accepts %s, which is wrong", file)
			}
			if !strings.Contains(out, filepath.Base(file)) {
				t.Errorf("tsc's errors are not in %s:\n%s", file, out)
			}
			for _, e := range expects {
				if !strings.Contains(out, e) {
					t.Errorf("tsc output lacks %q:\n%s", e, out)
				}
			}
		})
	}
}

// The example scripts of the repository type-check too (the .ts ones; .js
// files are parsed but not type-checked, as checkJs is off).
func TestTypingsAcceptExamples(t *testing.T) {
	tsc := findTSC(t)
	examples := filepath.Join("..", "..", "scripts", "examples")
	if _, err := os.Stat(examples); err != nil {
		t.Skip("no scripts/examples yet")
	}
	dir := tscProject(t, examples, func(p string) bool {
		ext := filepath.Ext(p)
		return ext == ".ts" || ext == ".js" || ext == ".mjs"
	})
	if out, err := runTSC(t, tsc, dir); err != nil {
		t.Fatalf("tsc rejects scripts/examples (%v):\n%s", err, out)
	}
}

// TestTypingsOfEveryVersionCompile: the declarations `icscript types
// --api-version V` prints compile for every version, and a script calling
// a call that version has (GET /calls, read from the descriptions, where it
// has it) type-checks against them, while one calling it where the version
// lacks it does not.
func TestTypingsOfEveryVersionCompile(t *testing.T) {
	tsc := findTSC(t)
	calls := describedVersionsOf(t, "GET", "/calls")
	for _, v := range testsupport.DescribedVersions(t) {
		t.Run(v, func(t *testing.T) {
			r := icscript(t, t.TempDir(), nil, "types", "--api-version", v)
			if r.code != 0 {
				t.Fatalf("types --api-version %s: %d %s", v, r.code, r.stderr)
			}
			dir := t.TempDir()
			script := "const list = await intercom.contacts.find(\"1\");\nconsole.log(list);\n"
			has := slices.Contains(calls, v)
			script += "const calls = await intercom.calls.listCalls({});\nconsole.log(calls);\n"
			for name, content := range map[string]string{"icscript.d.ts": r.stdout, "tsconfig.json": tsconfigJSON, "scripts/s.ts": script} {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out, err := runTSC(t, tsc, dir)
			switch {
			case has && err != nil:
				t.Errorf("tsc refused the %s declarations or a call %s has:\n%s", v, v, out)
			case !has && (err == nil || !strings.Contains(out, "calls")):
				t.Errorf("tsc accepted intercom.calls on %s, which lacks it:\n%s", v, out)
			}
		})
	}
}

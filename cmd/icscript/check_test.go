package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func checkIn(t *testing.T, files map[string]string, args ...string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	sys := testSystem(stdout, stderr)
	sys.Dir = dir
	code := runCheck(args, sys)
	return code, stdout.String(), stderr.String()
}

func TestCheckOK(t *testing.T) {
	code, out, errOut := checkIn(t, map[string]string{
		"a.ts":     "import { n } from \"./lib/n.ts\";\nimport fs from \"icscript:fs\";\nconst x: number = n;\nconsole.log(x, await Promise.resolve(1));\n",
		"lib/n.ts": "export const n = 1;\n",
		"b.js":     "for await (const c of intercom.contacts.list()) console.log(c.id);\n",
	}, "a.ts", "b.js")
	if code != exitOK || out != "ok  a.ts\nok  b.js\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestCheckSyntaxError(t *testing.T) {
	code, out, errOut := checkIn(t, map[string]string{
		"good.ts":        "console.log(1);\n",
		"scripts/bad.ts": "const a = 1;\nconsole.log(a;\n",
	}, "good.ts", "scripts/bad.ts")
	if code != exitScriptError {
		t.Errorf("exit %d, want %d", code, exitScriptError)
	}
	if !strings.Contains(out, "ok  good.ts") {
		t.Errorf("stdout %q", out)
	}
	for _, want := range []string{"scripts/bad.ts:2:14", "console.log(a;", "^"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestCheckMissingImport(t *testing.T) {
	code, _, errOut := checkIn(t, map[string]string{"main.ts": "import { x } from \"./nowhere.ts\";\nconsole.log(x);\n"}, "main.ts")
	if code != exitScriptError || !strings.Contains(errOut, "main.ts:1:") || !strings.Contains(errOut, "nowhere.ts") {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
}

func TestCheckMissingFileAndUsage(t *testing.T) {
	if code, _, errOut := checkIn(t, nil, "nope.ts"); code != exitUsage || !strings.Contains(errOut, "nope.ts") {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := checkIn(t, nil); code != exitUsage || !strings.Contains(errOut, "at least one FILE") {
		t.Errorf("no file: exit %d, stderr %q", code, errOut)
	}
}

// The scripts the typings tests type-check are valid icscript scripts too.
func TestCheckTypingsExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "typings", "ok", "*.ts"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples (%v)", err)
	}
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	if code := runCheck(files, testSystem(stdout, stderr)); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
}

func TestCheckUnknownBuiltinModule(t *testing.T) {
	code, _, stderr := checkIn(t, map[string]string{"a.js": "import { readCSV } from \"icscript:fs\";\nimport x from \"icscript:nope\";\n"}, "a.js")
	if code != exitScriptError || !strings.Contains(stderr, "icscript:nope") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestCheckFolderFromDir: a folder argument is listed from the working
// directory given (System.Dir), its scripts named from the argument, with
// node_modules, dot folders and .d.ts files left out.
func TestCheckFolderFromDir(t *testing.T) {
	code, out, errOut := checkIn(t, map[string]string{
		"scripts/a.ts":                "console.log(1);\n",
		"scripts/sub/b.js":            "console.log(2);\n",
		"scripts/types.d.ts":          "declare const x: number;\n",
		"scripts/node_modules/m/i.js": "this is not checked(\n",
		"scripts/.cache/c.js":         "nor this(\n",
	}, "scripts")
	if code != exitOK || out != "ok  scripts/a.ts\nok  scripts/sub/b.js\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestCheckReadsEachFileOnce: the calls and the pragma check looks at are
// those of the content it bundled, read once. The script is a named pipe
// that gives its content to one reader only: a second read would wait for
// a writer that never comes (a hang guard ends it after a minute).
func TestCheckReadsEachFileOnce(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "a.js")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.WriteString("const x = 1;\nconst page = await intercom.calls.listCalls();\n")
		f.Close()
	}()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	sys := testSystem(stdout, stderr)
	sys.Dir = dir
	code := make(chan int, 1)
	go func() { code <- runCheck([]string{"a.js"}, sys) }()
	select {
	case c := <-code:
		if c != exitScriptError || !strings.Contains(stderr.String(), "a.js:2:20: intercom.calls.listCalls is not in API 2.10") {
			t.Fatalf("exit %d, stdout %q, stderr:\n%s", c, stdout.String(), stderr.String())
		}
	case <-time.After(time.Minute):
		// Let the second reader go, with nothing to read.
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
		<-code
		t.Fatalf("check read a.js a second time, after bundling it\nstderr:\n%s", stderr.String())
	}
}

// TestCheckThroughSymlinks: a script reached through a linked folder or a
// linked file is checked like any other: its calls against its pragma's
// version, not passed unread.
func TestCheckThroughSymlinks(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "real", "a.js"), "// @icscript api 2.10\nconst page = await intercom.calls.listCalls();\n")
	if err := os.Symlink("real", filepath.Join(dir, "linked")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.Symlink(filepath.Join("real", "a.js"), filepath.Join(dir, "alias.js")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{filepath.Join("linked", "a.js"), "alias.js"} {
		stdout, stderr := &syncBuffer{}, &syncBuffer{}
		sys := testSystem(stdout, stderr)
		sys.Dir = dir
		if code := runCheck([]string{name}, sys); code != exitScriptError || !strings.Contains(stderr.String(), name+":2:20: intercom.calls.listCalls is not in API 2.10") {
			t.Errorf("%s: exit %d, stdout %q, stderr:\n%s", name, code, stdout.String(), stderr.String())
		}
	}
}

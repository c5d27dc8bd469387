package engine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icscript/icscript/internal/engine"
	"github.com/icscript/icscript/internal/engine/enginetest"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/runtime/runtimetest"
)

// TestNewAssemblesTheWholeVM: one VM has the bindings (against the
// sandbox), the standard library and the script's arguments, and reads
// nothing of the process: the environment, the input and the working
// directory are the options'.
func TestNewAssemblesTheWholeVM(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ids.txt"), []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vm := enginetest.New(t, func(o *engine.Options) {
		o.Dir = dir
		o.Args = []string{"--days", "3", "pos"}
		o.Environ = func() []string {
			return []string{"REGION=eu", "MY_TOKEN=s3cret-value", "OTHER=has s3cret-value inside"}
		}
		o.HiddenVars = []string{"MY_TOKEN"}
		o.Secrets = []string{"s3cret-value"}
	})
	out, err := runtimetest.Run(t, vm, `
const me = await intercom.me;
const first = await intercom.contacts.list().first();
console.log(me.app.name, typeof first.id);
console.log(args.flag("days", 30), args.positional.join(","));
console.log(env.REGION, env.MY_TOKEN, env.OTHER);
console.log(fs.readText("ids.txt").trim().split("\n").join("+"));
`)
	if err != nil {
		t.Fatal(runtime.FormatError(err, false))
	}
	want := "Acme (sandbox) string\n3 pos\neu undefined undefined\na+b\n"
	if out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
}

// TestErrorsNameFilesFromDir: a script's error names its file relative to
// the working directory given, not the process's.
func TestErrorsNameFilesFromDir(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "jobs")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "x.js"), []byte("const a = 1;\nthrow new Error(\"boom\");\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vm := enginetest.New(t, func(o *engine.Options) { o.Dir, o.File = dir, "jobs/x.js" })
	err := vm.RunFile(filepath.Join(sub, "x.js"))
	if err == nil || !strings.Contains(runtime.FormatError(err, false), filepath.Join("jobs", "x.js")+":2:") {
		t.Fatalf("error %v, want it to name jobs/x.js:2", err)
	}
}

func TestScriptDir(t *testing.T) {
	for _, c := range []struct{ dir, file, want string }{
		{"/work", "", "/work"},
		{"/work", "x.js", "/work"},
		{"/work", "jobs/x.js", "/work/jobs"},
		{"/work", "../other/x.js", "/other"},
		{"/work", "/abs/x.js", "/abs"},
	} {
		if got := engine.ScriptDir(c.dir, c.file); got != c.want {
			t.Errorf("ScriptDir(%q, %q) = %q, want %q", c.dir, c.file, got, c.want)
		}
	}
	if got := engine.InDir("/work", "/abs/x"); got != "/abs/x" {
		t.Errorf("InDir of an absolute path = %q", got)
	}
}

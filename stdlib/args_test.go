package stdlib_test

import (
	"strings"
	"testing"

	"github.com/icscript/icscript/stdlib"
)

func withArgs(args ...string) func(*stdlib.Env) {
	return func(e *stdlib.Env) { e.ScriptArgs = args }
}

func TestArgsFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		expr string // a JS expression, compared as JSON
		want string
	}{
		{"number default unset", nil, `args.flag("days", 30)`, `30`},
		{"number space", []string{"--days", "7"}, `args.flag("days", 30)`, `7`},
		{"number equals", []string{"--days=7.5"}, `args.flag("days", 30)`, `7.5`},
		{"number negative", []string{"--offset", "-3"}, `args.flag("offset", 0)`, `-3`},
		{"last wins", []string{"--days=1", "--days=2"}, `args.flag("days", 30)`, `2`},
		{"leading dashes in name", []string{"--days=4"}, `args.flag("--days", 30)`, `4`},
		{"bool default unset", nil, `args.flag("dry", false)`, `false`},
		{"bool set", []string{"--dry"}, `args.flag("dry", false)`, `true`},
		{"bool negated", []string{"--no-dry"}, `args.flag("dry", true)`, `false`},
		{"bool explicit", []string{"--dry=false"}, `args.flag("dry", true)`, `false`},
		{"bool does not eat positional", []string{"--dry", "file.csv"}, `[args.flag("dry", false), args.positional]`, `[true,["file.csv"]]`},
		{"string", []string{"--tag=vip"}, `args.flag("tag", "")`, `"vip"`},
		{"string space", []string{"--tag", "vip", "rest"}, `[args.flag("tag", ""), args.positional]`, `["vip",["rest"]]`},
		{"string empty value", []string{"--tag="}, `args.flag("tag", "x")`, `""`},
		{"unicode value", []string{"--name=Zoë 🚀"}, `args.flag("name", "")`, `"Zoë 🚀"`},
		{"array repeated", []string{"--tag=a", "--tag", "b"}, `args.flag("tag", [])`, `["a","b"]`},
		{"array default", nil, `args.flag("tag", ["x"])`, `["x"]`},
		{"number array", []string{"--id=1", "--id=2"}, `args.flag("id", [0])`, `[1,2]`},
		{"no default value", []string{"--mode=fast"}, `args.flag("mode")`, `"fast"`},
		{"no default bare", []string{"--mode"}, `args.flag("mode")`, `true`},
		{"no default absent", nil, `args.flag("mode") === undefined`, `true`},
		{"camelCase to kebab", []string{"--dry-run"}, `args.flag("dryRun", false)`, `true`},
		{"double dash ends flags", []string{"a", "--", "--days=3"}, `[args.flag("days", 30), args.positional]`, `[30,["a","--days=3"]]`},
		{"single dash is positional", []string{"-"}, `args.positional`, `["-"]`},
		{"all", []string{"--x", "y"}, `args.all`, `["--x","y"]`},
		{"unknown flag eats the next word (minimist)", []string{"--x", "y", "z"}, `args.positional`, `["z"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := setup(t, withArgs(tt.args...))
			out := h.ok(t, `console.log(JSON.stringify(`+tt.expr+`))`)
			if got := strings.TrimSpace(out); got != tt.want {
				t.Fatalf("%s with %q = %s; want %s", tt.expr, tt.args, got, tt.want)
			}
		})
	}
}

func TestArgsFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		expr string
		want string
	}{
		{"not a number", []string{"--days", "x"}, `args.flag("days", 30)`, `args.flag(): --days wants a number, got 'x'`},
		{"number missing", []string{"--days"}, `args.flag("days", 30)`, `--days wants a number, got nothing`},
		{"number negated", []string{"--no-days"}, `args.flag("days", 30)`, `--days is not a switch`},
		{"bad switch value", []string{"--dry=maybe"}, `args.flag("dry", false)`, `--dry is a switch: use --dry or --no-dry, got '--dry=maybe'`},
		{"string missing", []string{"--tag"}, `args.flag("tag", "")`, `--tag wants a value`},
		{"array element", []string{"--id=1", "--id=x"}, `args.flag("id", [0])`, `--id wants a number, got 'x'`},
		{"name not a string", nil, `args.flag(3)`, `args.flag(): the flag name must be a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := setup(t, withArgs(tt.args...))
			h.ok(t, `throws(() => `+tt.expr+`, `+jsString(tt.want)+`)`)
		})
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func TestArgsDeclare(t *testing.T) {
	h := setup(t, withArgs("--days", "7", "--dry", "in.csv", "--tag=a", "--tag=b"))
	h.ok(t, `
const o = args.declare({
	days: {default: 30, help: "days of inactivity"},
	dry: {default: false},
	tag: {default: [], help: "tags to add"},
	limit: 100,
});
eq(o, {days: 7, dry: true, tag: ["a", "b"], limit: 100});
eq(args.positional, ["in.csv"], "positional after declare");
eq(args.flag("days", 30), 7, "flag after declare");
throws(() => args.flag("other", 1), "--other is not declared");
`)
}

func TestArgsDeclareUnknownFlag(t *testing.T) {
	h := setup(t, withArgs("--dyas=3"))
	h.ok(t, `throws(() => args.declare({days: {default: 30}, tag: {default: ""}}),
	"args.declare(): unknown flag --dyas (did you mean --days?)")`)

	h = setup(t, withArgs("--zzzzzz"))
	h.ok(t, `throws(() => args.declare({days: 30}), "unknown flag --zzzzzz (--help lists the flags)")`)

	h = setup(t, withArgs("--no-dry"))
	h.ok(t, `eq(args.declare({dry: true}), {dry: false})`)

	h = setup(t, withArgs())
	h.ok(t, `throws(() => args.declare([1]), "args.declare(): the declarations must be an object")`)
}

func TestArgsDeclareHelp(t *testing.T) {
	h := setup(t, func(e *stdlib.Env) {
		e.ScriptArgs = []string{"--help"}
		e.ScriptName = "close-stale.js"
	})
	out, err := h.run(t, `
args.declare({days: {default: 30, help: "days of inactivity"}, dryRun: {default: false, help: "print, do not change"}, tag: {default: ""}},
	{description: "Closes stale conversations."});
console.log("not reached");
`)
	if err == nil || strings.Contains(out, "not reached") {
		t.Fatalf("run went on after --help: out %q, err %v", out, err)
	}
	if got := h.exitCodes(); len(got) != 1 || got[0] != 0 {
		t.Fatalf("exit codes %v; want [0]", got)
	}
	usage := h.stdout.String()
	for _, want := range []string{
		"usage: icscript close-stale.js [--days N] [--dry-run] [--tag VALUE] [args...]",
		"Closes stale conversations.",
		"--days N     days of inactivity (default: 30)",
		"--dry-run    print, do not change\n",
		"--help       show this help",
	} {
		if !strings.Contains(usage, want) {
			t.Errorf("usage lacks %q:\n%s", want, usage)
		}
	}
}

// TestArgsUsageErrorIsMarked: an uncaught error about the flags a script
// was given (a value it cannot take, an unknown flag) is a usage error the
// runner ends with exit 2; the script's own mistakes and other throws are not.
func TestArgsUsageErrorIsMarked(t *testing.T) {
	for _, c := range []struct {
		args  []string
		src   string
		usage bool
	}{
		{[]string{"--days", "x"}, `args.flag("days", 30)`, true},
		{[]string{"--dyas=3"}, `args.declare({days: 30})`, true},
		{[]string{"--dry=maybe"}, `args.flag("dry", false)`, true},
		{nil, `args.declare({days: 30}); args.flag("other", 1)`, false}, // the script's mistake
		{nil, `args.flag(3)`, false},
		{nil, `throw new Error("args.flag(): --days wants a number")`, false},
		{[]string{"--days", "x"}, `try { args.flag("days", 30) } catch (e) { throw new Error(e.message) }`, false},
	} {
		h := setup(t, withArgs(c.args...))
		_, err := h.run(t, c.src)
		if err == nil {
			t.Fatalf("%s: no error", c.src)
		}
		if got := stdlib.IsUsageError(err); got != c.usage {
			t.Errorf("%s %q: IsUsageError = %v, want %v (%v)", c.src, c.args, got, c.usage, err)
		}
		if strings.Contains(err.Error(), "icscript.usage") {
			t.Errorf("%s: the mark shows in the message: %v", c.src, err)
		}
	}
}

// TestArgsRequiredAndUsageError: a declared {required: true} flag the run
// lacks, and args.usageError(msg), print the message and the usage line on
// stderr and end the run with exit 2 before the script goes on.
func TestArgsRequiredAndUsageError(t *testing.T) {
	for _, c := range []struct {
		args      []string
		src, want string
	}{
		{nil, `args.declare({file: {required: true, help: "CSV file"}, days: 30})`, "close-stale.js: --file is required"},
		{[]string{"--file="}, `args.declare({file: {required: true}})`, "close-stale.js: --file is required"},
		{[]string{"--file", "a.csv"}, `args.declare({file: {required: true}}); args.usageError("no rows in a.csv")`, "close-stale.js: no rows in a.csv"},
	} {
		h := setup(t, func(e *stdlib.Env) {
			e.ScriptArgs = c.args
			e.ScriptName = "close-stale.js"
		})
		out, err := h.run(t, c.src+`; console.log("not reached")`)
		if err == nil || strings.Contains(out, "not reached") {
			t.Errorf("%s: the run went on: out %q, err %v", c.src, out, err)
		}
		if got := h.exitCodes(); len(got) != 1 || got[0] != 2 {
			t.Errorf("%s: exit codes %v; want [2]", c.src, got)
		}
		stderr := h.stderr.String()
		for _, want := range []string{c.want + "\n", "usage: icscript close-stale.js --file VALUE", "(--help for the flags)"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", c.src, want, stderr)
			}
		}
	}
}

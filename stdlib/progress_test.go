package stdlib_test

import (
	"strings"
	"testing"

	"github.com/icscript/icscript/stdlib"
)

func TestProgressShowsOnlyWhenInteractive(t *testing.T) {
	h := setup(t, nil)
	h.ok(t, `const p = progress(3, "contacts"); p.tick(); p.tick(2); p.done(); p.done();`)
	if got := h.stderr.String(); got != "" {
		t.Fatalf("non-interactive progress printed %q", got)
	}

	h = setup(t, func(e *stdlib.Env) { e.Interactive, e.Quiet = true, true })
	h.ok(t, `const p = progress(3); p.tick(); p.done();`)
	if got := h.stderr.String(); got != "" {
		t.Fatalf("quiet progress printed %q", got)
	}

	h = setup(t, func(e *stdlib.Env) { e.Interactive = true })
	h.ok(t, `
const p = progress(3, "contacts");
p.tick(); p.tick(); p.tick();
p.done();
const q = progress("unknown total");
q.tick(5);
q.done();
throws(() => progress("x", "y"), "progress(): the total must be a number");
`)
	out := h.stderr.String()
	for _, want := range []string{"contacts", "3/3", "unknown total"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress output lacks %q: %q", want, out)
		}
	}
}

func TestNewProgress(t *testing.T) {
	var buf syncBuffer
	env := stdlib.Env{Stderr: &buf, Interactive: true}
	total := 0
	p := stdlib.NewProgress(env, false)("pages", func() int { return total })
	p.Tick() // total unknown: a spinner
	total = 4
	for range 3 {
		p.Tick()
	}
	p.Done()
	p.Tick() // after Done: ignored
	if out := buf.String(); !strings.Contains(out, "pages") || !strings.Contains(out, "4/4") {
		t.Fatalf("output %q; want the label and the count against the learnt total", out)
	}

	var quiet syncBuffer
	p = stdlib.NewProgress(stdlib.Env{Stderr: &quiet, Interactive: true}, true)("x", nil)
	p.Tick()
	p.Done()
	p = stdlib.NewProgress(stdlib.Env{Stderr: &quiet}, false)("x", nil)
	p.Tick()
	p.Done()
	if quiet.String() != "" {
		t.Fatalf("quiet or non-interactive progress printed %q", quiet.String())
	}
}

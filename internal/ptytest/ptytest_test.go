package ptytest

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTerminal drives a shell as the REPL's tests drive icscript: a
// prompt, a typed line, the answer, and output read to its end once the
// process has exited.
func TestTerminal(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh:", err)
	}
	term := Start(t, exec.Command(sh, "-c", `printf '\033[1m> \033[0m'; read line; echo "got $line"; printf 'last words'`))
	term.Expect(Prompt)
	term.Line("hi")
	term.Expect("got hi")
	term.WaitExit()
	term.Expect("last words")
	if strings.Contains(term.Screen(), "\x1b") || !strings.Contains(term.Raw(), "\x1b[1m") {
		t.Errorf("Screen keeps terminal codes, or Raw lost them: %q", term.Raw())
	}
}

package bench

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/ptytest"
	"github.com/icscript/icscript/internal/testsupport"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// BenchmarkREPL: the REPL as people use it, the real binary on a
// pseudo-terminal. "prompt" is the time from starting the process to its
// first prompt on the terminal; "tab" the time from a TAB after
// `intercom.contacts.` to the list of its methods on the terminal. Each
// reports ms/op. The binary is $ICSCRIPT_BINARY (else built from this
// tree); the workspace $BASE_URL with $INTERCOM_ACCESS_TOKEN (else an
// in-process sandbox), as bench/run.sh gives them:
//
//	go test -run '^$' -bench REPL -benchtime 15x ./bench/
func BenchmarkREPL(b *testing.B) {
	bin := os.Getenv("ICSCRIPT_BINARY")
	if bin == "" {
		bin = testsupport.Binary(b)
	}
	base, token := os.Getenv("BASE_URL"), os.Getenv("INTERCOM_ACCESS_TOKEN")
	if base == "" {
		sb, url := sandboxtest.Start(b, sandbox.Options{Seed: 1})
		base, token = url, sb.Token()
	}
	home := b.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home + "/config", "XDG_STATE_HOME=" + home + "/state",
		"XDG_CACHE_HOME=" + home + "/cache", "PATH=" + os.Getenv("PATH"), "TERM=xterm", "NO_COLOR=1", "INTERCOM_ACCESS_TOKEN=" + token}
	args := []string{"--base-url", base, "--no-audit"}

	b.Run("prompt", func(b *testing.B) {
		var total time.Duration
		var faults int64
		for range b.N {
			start := time.Now()
			r := startTerminal(b, bin, args, env)
			r.Expect("> ")
			total += time.Since(start)
			endSession(r)
			faults += pageFaults(r)
		}
		reportMs(b, total)
		// The whole session's page faults (start, prompt, Ctrl-C Ctrl-D):
		// unlike the time, they hardly move with the machine's load.
		b.ReportMetric(float64(faults)/float64(b.N), "faults/op")
	})
	methods := catalog.InNamespace("contacts")
	last := methods[len(methods)-1].Name // completion lists them sorted
	b.Run("tab", func(b *testing.B) {
		r := startTerminal(b, bin, args, env)
		defer endSession(r)
		r.Expect("> ")
		var total time.Duration
		for range b.N {
			r.Send("intercom.contacts.")
			r.Expect("intercom.contacts.")
			start := time.Now()
			r.Send("\t")
			r.Expect(last) // the whole list
			total += time.Since(start)
			r.Send("\x03\x03") // Ctrl-C leaves the list, then clears the line
			r.Expect("> ")
		}
		reportMs(b, total)
	})
}

func reportMs(b *testing.B, total time.Duration) {
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/op")
}

// startTerminal runs the binary on a pseudo-terminal, in a folder of its own.
func startTerminal(b *testing.B, bin string, args, env []string) *ptytest.Terminal {
	b.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Dir = env, b.TempDir()
	return ptytest.Start(b, cmd)
}

// pageFaults are the page faults of the session's process, once it ended.
func pageFaults(r *ptytest.Terminal) int64 {
	ru, ok := r.Cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	return ru.Minflt + ru.Majflt
}

// endSession ends the session with Ctrl-C and Ctrl-D, as a user would.
func endSession(r *ptytest.Terminal) {
	r.Send("\x03\x04")
	r.WaitExit()
}

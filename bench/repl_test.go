package bench

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/icscript/icscript/intercom/catalog"
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
		for range b.N {
			start := time.Now()
			r := startTerminal(b, bin, args, env)
			r.waitFor(b, "> ")
			total += time.Since(start)
			r.close(b)
		}
		reportMs(b, total)
	})
	methods := catalog.InNamespace("contacts")
	last := methods[len(methods)-1].Name // completion lists them sorted
	b.Run("tab", func(b *testing.B) {
		r := startTerminal(b, bin, args, env)
		defer r.close(b)
		r.waitFor(b, "> ")
		var total time.Duration
		for range b.N {
			r.send(b, "intercom.contacts.")
			r.waitFor(b, "intercom.contacts.")
			start := time.Now()
			r.send(b, "\t")
			r.waitFor(b, last) // the whole list
			total += time.Since(start)
			r.send(b, "\x03\x03") // Ctrl-C leaves the list, then clears the line
			r.waitFor(b, "> ")
		}
		reportMs(b, total)
	})
}

func reportMs(b *testing.B, total time.Duration) {
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/op")
}

// terminal is one process on a pseudo-terminal; what it writes is read as
// it comes, so that waitFor returns as soon as the text is there.
type terminal struct {
	cmd     *exec.Cmd
	tty     *os.File
	mu      sync.Mutex
	out     bytes.Buffer
	seen    int           // how much of the stripped output waitFor has consumed
	changed chan struct{} // a token after each read
	done    chan struct{}
}

func startTerminal(b *testing.B, bin string, args, env []string) *terminal {
	b.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Dir = env, b.TempDir()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 160})
	if err != nil {
		b.Fatal(err)
	}
	t := &terminal{cmd: cmd, tty: tty, changed: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(t.done)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			t.mu.Lock()
			t.out.Write(buf[:n])
			t.mu.Unlock()
			select {
			case t.changed <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	return t
}

var terminalCodes = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r|\a`)

// waitFor returns when want appears after what earlier waits consumed, and
// consumes up to it.
func (t *terminal) waitFor(b *testing.B, want string) {
	b.Helper()
	timeout := time.After(30 * time.Second)
	for {
		t.mu.Lock()
		s := terminalCodes.ReplaceAllString(t.out.String(), "")
		t.mu.Unlock()
		if i := strings.Index(s[min(t.seen, len(s)):], want); i >= 0 {
			t.seen = min(t.seen, len(s)) + i + len(want)
			return
		}
		select {
		case <-t.changed:
		case <-t.done:
			b.Fatalf("the process ended before %q:\n%s", want, s)
		case <-timeout:
			b.Fatalf("no %q within 30s:\n%s", want, s)
		}
	}
}

func (t *terminal) send(b *testing.B, keys string) {
	b.Helper()
	if _, err := io.WriteString(t.tty, keys); err != nil {
		b.Fatal(err)
	}
}

// close ends the session with Ctrl-D, as a user would (killing it if it
// does not end).
func (t *terminal) close(b *testing.B) {
	b.Helper()
	t.send(b, "\x03\x04")
	stop := time.AfterFunc(10*time.Second, func() { _ = t.cmd.Process.Kill() })
	defer stop.Stop()
	if err := t.cmd.Wait(); err != nil {
		b.Errorf("the REPL ended with %v", err)
	}
	_ = t.tty.Close()
	<-t.done
}

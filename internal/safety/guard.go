package safety

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
)

// StopError is why a safety rail stopped a run: an irreversible call not
// confirmed, or an audit line that could not be written. The run's VM is
// interrupted with it (try/catch and the bulk helpers cannot swallow it)
// and nothing more is sent.
type StopError struct{ msg string }

func (e *StopError) Error() string { return e.msg }

// Refusal is the StopError of a rail that refuses a run before it starts
// (an audit log that cannot be written): err's message, exit 3 as a stop.
func Refusal(err error) *StopError { return &StopError{msg: err.Error()} }

// Rails stops a run from inside. While a script runs, Stop interrupts
// its VM and halts the transport: no request of any kind leaves the
// process afterwards. In the REPL (no run begun) an unconfirmed call is
// only refused, but a broken audit log still halts the transport.
type Rails struct {
	mu        sync.Mutex
	interrupt func(any) // the running script's VM.Interrupt; nil in the REPL
	cause     *StopError
	halted    atomic.Bool
}

// Stop records the first cause, halts the transport and interrupts the
// running script. It returns the cause in effect.
func (r *Rails) Stop(e *StopError) *StopError {
	r.mu.Lock()
	if r.cause == nil {
		r.cause = e
	}
	e = r.cause
	r.halted.Store(true)
	interrupt := r.interrupt
	r.mu.Unlock()
	if interrupt != nil {
		interrupt(e)
	}
	return e
}

// running reports whether a script run (not the REPL) is going.
func (r *Rails) running() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.interrupt != nil
}

// Stopped is the cause of the stop; nil while the run goes on.
func (r *Rails) Stopped() *StopError {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cause
}

// Begin arms the rails for one script run, whose VM interrupt stops:
// the cause of an earlier stop is forgotten and the transport opened again.
func (r *Rails) Begin(interrupt func(any)) {
	r.mu.Lock()
	r.interrupt, r.cause = interrupt, nil
	r.halted.Store(false)
	r.mu.Unlock()
}

// End ends the run Begin armed and returns the cause of its stop, nil
// when nothing stopped it.
func (r *Rails) End() *StopError {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.interrupt = nil
	return r.cause
}

// Gate is the last step before the wire. Once the run is stopped it sends
// nothing; and it guards what the catalogue cannot vouch for: a mutation
// whose wire path matches no operation (intercom.raw to an unknown or
// encoded path) has an unknown effect, so it is treated as irreversible,
// as is one that matches an irreversible operation.
type Gate struct {
	next   http.RoundTripper
	rails  *Rails
	guard  *Guard // nil for the sandbox
	prefix string // the base URL's path, stripped before matching
}

// NewGate puts rails and guard (nil for the sandbox) in front of next, for
// requests to baseURL.
func NewGate(next http.RoundTripper, rails *Rails, guard *Guard, baseURL string) *Gate {
	g := &Gate{next: next, rails: rails, guard: guard}
	if u, err := url.Parse(baseURL); err == nil && baseURL != "" {
		g.prefix = strings.TrimSuffix(u.EscapedPath(), "/")
	}
	return g
}

// RoundTrip sends req unless the run is stopped or the guard refuses it.
func (g *Gate) RoundTrip(req *http.Request) (*http.Response, error) {
	if g.rails.halted.Load() {
		if req.Body != nil {
			req.Body.Close()
		}
		msg := "not sent: the run was stopped"
		if s := g.rails.Stopped(); s != nil {
			msg += ": " + s.msg
		}
		return nil, errors.New(msg)
	}
	if g.guard != nil && mutatingMethod(req.Method) {
		if err := g.guard.checkWire(req.Method, g.wirePaths(req.URL)); err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
	}
	return g.next.RoundTrip(req)
}

// wirePaths are the request's path as sent and decoded, without the base
// URL's own path.
func (g *Gate) wirePaths(u *url.URL) []string {
	var out []string
	for _, p := range []string{u.EscapedPath(), u.Path} {
		if g.prefix != "" {
			p = strings.TrimPrefix(p, g.prefix)
		}
		if len(out) == 0 || out[0] != p {
			out = append(out, p)
		}
	}
	return out
}

func mutatingMethod(m string) bool {
	switch strings.ToUpper(m) {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// Guard asks once per run before the first irreversible operation against
// a real workspace; without a terminal the run needs --yes. A "no", or no
// terminal, stops the run (see Rails). The sandbox is never guarded.
type Guard struct {
	// Yes allows every irreversible operation (--yes).
	Yes bool
	// Label names the workspace and region, for the question.
	Label string
	// Rails stop the run when a call is refused.
	Rails *Rails
	// Catalog is the run's API version, to match paths on the wire in.
	Catalog *catalog.Catalog
	// Terminal says a person can answer (stdin and stderr are terminals).
	Terminal bool
	// Ask puts the question to that person and returns the answer line.
	Ask func(question string) string

	mu       sync.Mutex
	answered bool
	allowed  bool
}

// AskOn is a Guard's Ask that writes the question to out and reads the
// answer line from in.
func AskOn(out io.Writer, in io.Reader) func(string) string {
	return func(question string) string {
		fmt.Fprint(out, question)
		answer, _ := bufio.NewReader(in).ReadString('\n')
		return answer
	}
}

// Reset forgets the answer: the next run asks again.
func (g *Guard) Reset() {
	g.mu.Lock()
	g.answered, g.allowed = false, false
	g.mu.Unlock()
}

// Check is the client's Guard: asked before an irreversible catalogue call.
func (g *Guard) Check(op *catalog.Operation) error {
	return g.confirm(op, op.Method, op.Path)
}

// checkWire guards a mutation as it goes on the wire: when any of its
// paths (as sent, decoded) matches no operation or an irreversible one.
func (g *Guard) checkWire(method string, paths []string) error {
	for _, p := range paths {
		op := intercom.MatchOperationIn(g.Catalog, method, p)
		if op == nil || op.Irreversible {
			return g.confirm(op, method, paths[0])
		}
	}
	return nil
}

// confirm allows an irreversible call, asks, or refuses it; op is nil for a
// call that matches no operation (its effect is unknown).
func (g *Guard) confirm(op *catalog.Operation, method, path string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.Yes {
		return nil
	}
	if s := g.Rails.Stopped(); s != nil {
		return s
	}
	what := fmt.Sprintf("%s (%s %s)", callName(op), method, path)
	why := "is irreversible"
	if op == nil {
		what = fmt.Sprintf("raw %s %s", method, path)
		why = "matches no operation of the catalogue, so its effect is unknown and it is treated as irreversible"
	}
	refuse := func(msg string) error {
		e := &StopError{msg: msg}
		if g.Rails.running() {
			return g.Rails.Stop(e)
		}
		return e
	}
	if g.answered {
		if g.allowed {
			return nil
		}
		return refuse(fmt.Sprintf("%s %s and irreversible operations were not confirmed for %s", what, why, g.Label))
	}
	g.answered = true
	if !g.Terminal {
		return refuse(fmt.Sprintf("%s %s: against %s it needs confirmation, and there is no terminal to ask, so it was not sent; rerun with --yes to allow irreversible operations, or with --dry-run to see what the run would change", what, why, g.Label))
	}
	which := "which cannot be undone"
	if op == nil {
		which = "which matches no operation of the catalogue (its effect is unknown, so it is treated as irreversible)"
	}
	answer := g.Ask(fmt.Sprintf("This run is about to call %s, %s, against %s.\nAllow irreversible operations for the rest of this run? [y/N] ", what, which, g.Label))
	answer = strings.ToLower(strings.TrimSpace(answer))
	g.allowed = answer == "y" || answer == "yes"
	if !g.allowed {
		return refuse(fmt.Sprintf("%s %s and you did not confirm it, so it was not sent and the run ends here (--dry-run shows what the run would change)", what, why))
	}
	return nil
}

// callName names a call for people: the operation, else "raw".
func callName(op *catalog.Operation) string {
	if op == nil {
		return "raw"
	}
	return op.JSName()
}

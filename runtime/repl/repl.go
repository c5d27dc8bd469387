package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/runtime"
)

// Config is one REPL session's world. Everything from the process (streams,
// terminal, signals, history path, secrets) comes from cmd/icscript.
type Config struct {
	// NewVM makes the session's VM, with the bindings and the standard
	// library installed: once at the start, and again on .clear.
	NewVM func() (*runtime.VM, error)

	In       io.Reader // user input
	Out, Err io.Writer // results and errors; warnings about the session itself
	// Terminal turns on line editing, completion and history; without it
	// lines are read as they come and no prompt is shown.
	Terminal bool
	Color    bool // colour results (a terminal, and no NO_COLOR)

	// HistoryFile keeps the input lines across sessions ("" keeps none).
	// A line holding one of Secrets, or assigning INTERCOM_ACCESS_TOKEN or
	// INTERCOM_API_KEY, is never recorded.
	HistoryFile string
	Secrets     []string

	Banner string // printed first
	// Help explains an operation (`.help contacts.search`); ok is false for
	// an unknown topic, whose text then says what was meant.
	Help       func(topic string) (text string, ok bool)
	HelpTopics []string // completions after ".help "

	// Interrupts delivers Ctrl-C while an input runs (the terminal is not
	// raw then, so Ctrl-C is a signal): it cancels that evaluation.
	Interrupts <-chan struct{}
}

var (
	errExit      = errors.New("exit")
	errInterrupt = errors.New("interrupt")
)

// errCtrlC is the cause of an evaluation cancelled by Ctrl-C.
var errCtrlC = errors.New("Ctrl-C")

// Run runs a session until .exit, Ctrl-D, Ctrl-C twice on an empty line, the
// end of input, or ctx's end (then it returns ctx's error).
func Run(ctx context.Context, cfg Config) error {
	s := &session{cfg: cfg}
	if err := s.newVM(); err != nil {
		return err
	}
	defer func() { s.vm.Close() }()
	in, err := s.openInput()
	if err != nil {
		return err
	}
	defer in.Close()
	stop := context.AfterFunc(ctx, func() { _ = in.Close() })
	defer stop()
	if cfg.Banner != "" {
		// Piped, the output is the results alone: the banner goes to stderr.
		out := cfg.Out
		if !cfg.Terminal && cfg.Err != nil {
			out = cfg.Err
		}
		fmt.Fprintln(out, cfg.Banner)
	}
	for {
		entry, err := s.read(in)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		switch {
		case errors.Is(err, io.EOF), errors.Is(err, errExit):
			return nil
		case err != nil:
			return err
		}
		if err := s.run(ctx, in, entry); errors.Is(err, errExit) {
			return nil
		}
	}
}

type session struct {
	cfg Config
	// mu is held while the session uses the VM. Readline completes on a
	// goroutine of its own, even while an input runs (keys typed ahead), so
	// the completer only takes it when free.
	mu          sync.Mutex
	vm          *runtime.VM
	props       *props
	interrupted bool // the last key was Ctrl-C on an empty line
}

// newVM makes (or, on .clear, replaces) the session's VM. Hold mu.
func (s *session) newVM() error {
	vm, err := s.cfg.NewVM()
	if err != nil {
		return err
	}
	if s.vm != nil {
		s.vm.Close()
	}
	s.vm, s.props = vm, newProps(vm.Runtime())
	return nil
}

// borrowProps lends the completer the VM's props, unless the session is
// using the VM.
func (s *session) borrowProps() (*props, func(), bool) {
	if !s.mu.TryLock() {
		return nil, nil, false
	}
	return s.props, s.mu.Unlock, true
}

func (s *session) openInput() (input, error) {
	if !s.cfg.Terminal {
		return newLineInput(s.cfg.In, s.cfg.Interrupts), nil
	}
	comp := &completer{props: s.borrowProps, topics: s.cfg.HelpTopics}
	in, err := newTerminalInput(s.cfg, comp)
	if err != nil {
		return nil, err
	}
	return in, nil
}

// read reads one entry: a dot command, or JS lines until they make a
// complete input (or a syntax error).
func (s *session) read(in input) (string, error) {
	var lines []string
	for {
		prompt := "> "
		if len(lines) > 0 {
			prompt = "... "
		}
		line, err := in.ReadLine(prompt)
		switch {
		case errors.Is(err, errInterrupt):
			if len(lines) == 0 && strings.TrimSpace(line) == "" {
				if s.interrupted {
					return "", errExit
				}
				s.interrupted = true
				fmt.Fprintln(s.cfg.Out, "(To exit, press Ctrl+C again or Ctrl+D or type .exit)")
			}
			lines = nil
			continue
		case err != nil:
			return "", err
		}
		s.interrupted = false
		if len(lines) == 0 && isCommand(line) {
			s.record(in, []string{line})
			return strings.TrimSpace(line), nil
		}
		if len(lines) > 0 && strings.TrimSpace(line) == ".break" {
			lines = nil
			continue
		}
		lines = append(lines, line)
		code := strings.Join(lines, "\n")
		if kind, _ := Classify(code); kind != Incomplete {
			s.record(in, lines)
			return code, nil
		}
	}
}

// run runs one entry; errExit ends the session.
func (s *session) run(ctx context.Context, in input, entry string) error {
	if isCommand(entry) {
		return s.command(ctx, in, entry)
	}
	if strings.TrimSpace(entry) == "" {
		return nil
	}
	s.evaluate(ctx, entry, "REPL", true)
	return nil
}

// evaluate runs code as one REPL input and prints its value (when show)
// or its error.
func (s *session) evaluate(ctx context.Context, code, name string, show bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	js, err := Rewrite(code)
	if err != nil {
		s.fail(err)
		return
	}
	var v goja.Value
	err = s.interruptible(ctx, func(ctx context.Context) error {
		var err error
		v, err = s.vm.EvalContext(ctx, js, runtime.EvalOptions{Name: name, AwaitResult: true})
		return err
	})
	if err != nil {
		s.fail(err)
		return
	}
	if !show {
		return
	}
	if out := formatValue(s.vm.Runtime(), s.props, v, s.cfg.Color); out != "" {
		fmt.Fprintln(s.cfg.Out, out)
		_ = s.vm.Set("_", v)
	}
}

// interruptible runs fn with a context that Ctrl-C cancels.
func (s *session) interruptible(ctx context.Context, fn func(context.Context) error) error {
	for drained := false; !drained; { // a Ctrl-C from before this input is stale
		select {
		case <-s.cfg.Interrupts:
		default:
			drained = true
		}
	}
	ectx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-s.cfg.Interrupts:
			cancel(errCtrlC)
		case <-done:
		}
	}()
	return fn(ectx)
}

// fail prints an error on one line and keeps the thrown value as _error.
// Hold mu.
func (s *session) fail(err error) {
	fmt.Fprintln(s.cfg.Out, formatError(s.props, err, s.cfg.Color))
	var se *runtime.ScriptError
	if errors.As(err, &se) && se.Value != nil {
		_ = s.vm.Set("_error", se.Value)
	} else if !errors.Is(err, runtime.ErrInterrupted) {
		_ = s.vm.Set("_error", err.Error())
	}
}

// record adds an entry's lines to the history, unless one holds a secret.
func (s *session) record(in input, lines []string) {
	for _, l := range lines {
		if !recordable(l, s.cfg.Secrets) {
			return
		}
	}
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			in.Save(l)
		}
	}
}

package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/chzyer/readline"
)

// input reads lines: ReadLine returns errInterrupt (with the line as typed
// so far) for Ctrl-C and io.EOF at the end; Save adds a line to the
// history.
type input interface {
	ReadLine(prompt string) (string, error)
	Save(line string)
	Close() error
}

// terminalInput is readline: line editing, completion, history.
type terminalInput struct {
	rl *readline.Instance
}

func newTerminalInput(cfg Config, comp readline.AutoCompleter) (*terminalInput, error) {
	history := cfg.HistoryFile
	if history != "" {
		if err := prepareHistory(history); err != nil {
			fmt.Fprintf(cfg.Err, "icscript: no REPL history: %v\n", err)
			history = ""
		}
	}
	rl, err := readline.NewEx(&readline.Config{
		Prompt:                 "> ",
		HistoryFile:            history,
		HistoryLimit:           1000,
		DisableAutoSaveHistory: true, // record() filters secrets first
		AutoComplete:           comp,
		Stdin:                  readline.NewCancelableStdin(cfg.In),
		Stdout:                 cfg.Out,
		Stderr:                 cfg.Err,
		FuncIsTerminal:         func() bool { return true },
	})
	if err != nil {
		return nil, err
	}
	return &terminalInput{rl: rl}, nil
}

func (t *terminalInput) ReadLine(prompt string) (string, error) {
	t.rl.SetPrompt(prompt)
	line, err := t.rl.Readline()
	if errors.Is(err, readline.ErrInterrupt) {
		return line, errInterrupt
	}
	return line, err
}

func (t *terminalInput) Save(line string) { _ = t.rl.SaveHistory(line) }

func (t *terminalInput) Close() error { return t.rl.Close() }

// lineInput reads piped input: no prompt, no editing, no history. Ctrl-C
// (a signal) while waiting counts as on a terminal.
type lineInput struct {
	lines      chan lineResult
	end        error // the error that ended the input, returned from then on
	interrupts <-chan struct{}
	done       chan struct{}
	once       sync.Once
}

type lineResult struct {
	line string
	err  error
}

func newLineInput(r io.Reader, interrupts <-chan struct{}) *lineInput {
	in := &lineInput{lines: make(chan lineResult), interrupts: interrupts, done: make(chan struct{})}
	go in.pump(bufio.NewReader(r))
	return in
}

func (in *lineInput) pump(r *bufio.Reader) {
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			err = nil
		}
		select {
		case in.lines <- lineResult{strings.TrimRight(line, "\r\n"), err}:
		case <-in.done:
			return
		}
		if err != nil {
			return
		}
	}
}

func (in *lineInput) ReadLine(string) (string, error) {
	if in.end != nil {
		return "", in.end
	}
	select {
	case r := <-in.lines:
		in.end = r.err
		return r.line, r.err
	case <-in.interrupts:
		return "", errInterrupt
	case <-in.done:
		return "", io.EOF
	}
}

func (in *lineInput) Save(string) {}

func (in *lineInput) Close() error {
	in.once.Do(func() { close(in.done) })
	return nil
}

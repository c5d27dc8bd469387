package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/icscript/icscript/internal/lazyregexp"
)

var commands = []struct{ name, usage, help string }{
	{".break", ".break", "abandon the multi-line input being typed"},
	{".clear", ".clear", "start afresh: a new context, with no variables of yours"},
	{".editor", ".editor", "type or paste several lines; Ctrl-D runs them, Ctrl-C cancels"},
	{".exit", ".exit", "leave (also Ctrl-D, or Ctrl-C twice)"},
	{".help", ".help [OP]", "this help; with an operation (.help contacts.search): its call, route, paging and an example"},
	{".load", ".load FILE", "run a script into this session: its variables stay"},
}

const tour = `
A short tour (TAB completes everywhere):
  intercom.<TAB>                                  the API's namespaces; intercom.contacts.<TAB> its methods
  const c = await intercom.contacts.find("…")     one contact
  intercom.conversations.list().first(3)          a Promise is awaited and its value printed
  for (const t of intercom.tags.list()) console.log(t.name)   a Pager fetches pages as you go
  .help contacts.search                           how to call an operation, with an example
  _ is the last result, _error the last error. Ctrl-C cancels a running call.`

var commandLine = lazyregexp.New(`^\s*\.[A-Za-z]+(\s|$)`)

func isCommand(line string) bool { return commandLine.MatchString(line) }

// command runs a dot command; errExit ends the session.
func (s *session) command(ctx context.Context, in input, line string) error {
	name, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case ".exit":
		return errExit
	case ".help":
		s.help(arg)
	case ".clear":
		fmt.Fprintln(s.cfg.Out, "Clearing context...")
		s.mu.Lock()
		if err := s.newVM(); err != nil {
			s.fail(err)
		}
		s.mu.Unlock()
	case ".load":
		s.load(ctx, arg)
	case ".editor":
		return s.editor(ctx, in)
	case ".break":
	default:
		fmt.Fprintf(s.cfg.Out, "Invalid REPL keyword %s: .help lists the commands\n", name)
	}
	return nil
}

func (s *session) help(topic string) {
	if topic != "" && s.cfg.Help != nil {
		text, _ := s.cfg.Help(topic)
		fmt.Fprintln(s.cfg.Out, strings.TrimRight(text, "\n"))
		return
	}
	for _, c := range commands {
		fmt.Fprintf(s.cfg.Out, "%-12s %s\n", c.usage, c.help)
	}
	fmt.Fprintln(s.cfg.Out, tour)
}

// load runs a file into the session. A plain script goes through the REPL's
// rewriting, so its top-level variables, functions and classes stay
// defined; a module (import/export, require of files) or TypeScript is
// bundled and run, so its side effects and globalThis assignments stay.
func (s *session) load(ctx context.Context, path string) {
	if path == "" {
		fmt.Fprintln(s.cfg.Out, "usage: .load FILE")
		return
	}
	src, err := os.ReadFile(path)
	if err == nil && plainScript(path, string(src)) {
		if _, err := Rewrite(string(src)); err == nil {
			s.evaluate(ctx, string(src), filepath.Base(path), false)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.fail(fmt.Errorf(".load: %w", err))
		return
	}
	err = s.interruptible(ctx, func(ctx context.Context) error { return s.vm.RunFileContext(ctx, path) })
	if err != nil {
		s.fail(err)
	}
}

func plainScript(path, src string) bool {
	switch filepath.Ext(path) {
	case ".js", ".cjs", "":
		return !strings.Contains(src, "require(")
	}
	return false
}

// editor reads lines until Ctrl-D, then runs them as one input.
func (s *session) editor(ctx context.Context, in input) error {
	fmt.Fprintln(s.cfg.Out, "// Entering editor mode (Ctrl-D to finish, Ctrl-C to cancel)")
	var lines []string
	for {
		line, err := in.ReadLine("")
		switch {
		case errors.Is(err, errInterrupt):
			fmt.Fprintln(s.cfg.Out, "(cancelled)")
			return nil
		case errors.Is(err, io.EOF):
			s.record(in, lines)
			s.evaluate(ctx, strings.Join(lines, "\n"), "REPL", true)
			return nil
		case err != nil:
			return err
		}
		lines = append(lines, line)
	}
}

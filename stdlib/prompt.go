package stdlib

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// promptModule is the prompt global: questions on stderr, answers read
// line by line from stdin, off the loop (so Ctrl-C interrupts a prompt).
// Every function returns a Promise. confirm needs a terminal unless --yes;
// input and select also read piped answers.
type promptModule struct {
	s     *lib
	turn  chan struct{} // one prompt at a time
	lines *lineSource
}

func newPrompt(s *lib) *promptModule {
	return &promptModule{s: s, turn: make(chan struct{}, 1), lines: &lineSource{r: bufio.NewReader(s.env.Stdin)}}
}

func (m *promptModule) exports() map[string]jsFunc {
	return map[string]jsFunc{
		"input":   m.input,
		"confirm": m.confirm,
		"select":  m.choose,
	}
}

// lineSource reads stdin a line at a time; a read abandoned by a
// cancelled prompt hands its line to the next one.
type lineSource struct {
	r       *bufio.Reader
	pending chan lineResult // the read in flight, if any
}

type lineResult struct {
	line string
	err  error
}

func (l *lineSource) read(ctx context.Context) (string, error) {
	if l.pending == nil {
		ch := make(chan lineResult, 1)
		l.pending = ch
		go func() {
			line, err := l.r.ReadString('\n')
			if err != nil && line != "" && errors.Is(err, io.EOF) {
				err = nil
			}
			ch <- lineResult{strings.TrimRight(line, "\r\n"), err}
		}()
	}
	select {
	case r := <-l.pending:
		l.pending = nil
		return r.line, r.err
	case <-ctx.Done():
		return "", context.Cause(ctx)
	}
}

// ask takes the prompt's turn, then runs fn (which writes the question and
// reads answers); a cancelled run gives up waiting.
func (m *promptModule) ask(ctx context.Context, fn func() (any, error)) (any, error) {
	select {
	case m.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
	defer func() { <-m.turn }()
	return fn()
}

func (m *promptModule) write(s string) {
	_, _ = io.WriteString(m.s.env.Stderr, s)
}

// questionArg is the question, a string.
func questionArg(call string, v goja.Value) (string, error) {
	return stringArg(call, "the question", v)
}

// input is prompt.input(question, {default}): the line typed (trimmed), or
// the default for an empty line or the end of input.
func (m *promptModule) input(call goja.FunctionCall) (any, error) {
	const name = "prompt.input"
	q, err := questionArg(name, call.Argument(0))
	if err != nil {
		return nil, err
	}
	opts, err := options(name, call.Argument(1))
	if err != nil {
		return nil, err
	}
	def, hasDef := "", false
	if d := option(opts, "default"); !isNullish(d) {
		def, hasDef = d.String(), true
	}
	text := q + " "
	if hasDef {
		text = fmt.Sprintf("%s [%s] ", q, def)
	}
	return m.s.vm.Async(func(ctx context.Context) (any, error) {
		return m.ask(ctx, func() (any, error) {
			m.write(text)
			line, err := m.lines.read(ctx)
			line = strings.TrimSpace(line)
			switch {
			case err != nil && !errors.Is(err, io.EOF):
				return nil, errorf(name, "%q: %v", q, err)
			case line != "":
				return line, nil
			case hasDef:
				return def, nil
			case err != nil:
				return nil, errorf(name, "no answer to '%s' (end of input); give a {default}", q)
			}
			return "", nil
		})
	}, nil), nil
}

// confirm is prompt.confirm(question, {default: false}): true or false.
// With --yes it answers yes without asking; without a terminal it refuses.
func (m *promptModule) confirm(call goja.FunctionCall) (any, error) {
	const name = "prompt.confirm"
	q, err := questionArg(name, call.Argument(0))
	if err != nil {
		return nil, err
	}
	opts, err := options(name, call.Argument(1))
	if err != nil {
		return nil, err
	}
	def := option(opts, "default").ToBoolean()
	hint := "[y/N]"
	if def {
		hint = "[Y/n]"
	}
	return m.s.vm.Async(func(ctx context.Context) (any, error) {
		switch {
		case m.s.env.Yes:
			return m.ask(ctx, func() (any, error) {
				m.write(fmt.Sprintf("%s %s yes (--yes)\n", q, hint))
				return true, nil
			})
		case !m.s.env.Interactive:
			return nil, errorf(name, "no terminal to ask '%s'; pass --yes to answer yes", q)
		}
		return m.ask(ctx, func() (any, error) {
			for {
				m.write(q + " " + hint + " ")
				line, err := m.lines.read(ctx)
				if err != nil && line == "" {
					if errors.Is(err, io.EOF) {
						return nil, errorf(name, "no answer to '%s' (end of input)", q)
					}
					return nil, errorf(name, "%q: %v", q, err)
				}
				switch strings.ToLower(strings.TrimSpace(line)) {
				case "":
					return def, nil
				case "y", "yes":
					return true, nil
				case "n", "no":
					return false, nil
				}
				m.write("Please answer y or n.\n")
			}
		})
	}, nil), nil
}

// choice is one option of prompt.select: what is shown and what is
// returned.
type choice struct {
	label string
	value goja.Value
}

// choose is prompt.select(question, options): options are strings or
// {label, value} objects, listed numbered; the answer is a number, and the
// chosen option (its value) is returned.
func (m *promptModule) choose(call goja.FunctionCall) (any, error) {
	const name = "prompt.select"
	q, err := questionArg(name, call.Argument(0))
	if err != nil {
		return nil, err
	}
	choices, err := choicesArg(name, call.Argument(1))
	if err != nil {
		return nil, err
	}
	var menu strings.Builder
	menu.WriteString(q + "\n")
	for i, c := range choices {
		fmt.Fprintf(&menu, "  %d) %s\n", i+1, c.label)
	}
	ask := fmt.Sprintf("Choose 1-%d: ", len(choices))
	p := m.s.vm.Async(func(ctx context.Context) (any, error) {
		return m.ask(ctx, func() (any, error) {
			m.write(menu.String())
			for {
				m.write(ask)
				line, err := m.lines.read(ctx)
				if err != nil && line == "" {
					if errors.Is(err, io.EOF) {
						return nil, errorf(name, "no answer to '%s' (end of input)", q)
					}
					return nil, errorf(name, "%q: %v", q, err)
				}
				n, err := strconv.Atoi(strings.TrimSpace(line))
				if err == nil && n >= 1 && n <= len(choices) {
					return n - 1, nil
				}
				m.write(fmt.Sprintf("Please type a number from 1 to %d.\n", len(choices)))
			}
		})
	}, func(_ *goja.Runtime, v any) (goja.Value, error) { return choices[v.(int)].value, nil })
	return p, nil
}

func choicesArg(call string, v goja.Value) ([]choice, error) {
	arr, ok := v.(*goja.Object)
	if !ok || arr.ClassName() != "Array" {
		return nil, typeErrorf(call, "the options must be an array of strings or {label, value} objects, got %s", describe(v))
	}
	n := int(arr.Get("length").ToInteger())
	if n == 0 {
		return nil, typeErrorf(call, "the options are empty: nothing to choose from")
	}
	out := make([]choice, n)
	for i := range n {
		item := arr.Get(strconv.Itoa(i))
		if obj, ok := item.(*goja.Object); ok && obj.ClassName() == "Object" {
			label, value := obj.Get("label"), obj.Get("value")
			if value == nil {
				value = goja.Undefined()
			}
			if isNullish(label) {
				label = value
			}
			out[i] = choice{label: label.String(), value: value}
			continue
		}
		if isNullish(item) {
			return nil, typeErrorf(call, "options[%d] is %s", i, describe(item))
		}
		out[i] = choice{label: item.String(), value: item}
	}
	return out, nil
}

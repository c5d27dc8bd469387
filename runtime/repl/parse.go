package repl

import (
	"fmt"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/evanw/esbuild/pkg/api"

	"github.com/icscript/icscript/internal/lazyregexp"
	"github.com/icscript/icscript/runtime"
)

// SyntaxError is input that does not parse. Incomplete means the input
// ended too early (an open brace, an unfinished template): more lines may
// complete it.
type SyntaxError struct {
	Message      string
	Line, Column int // 1-based, in the input
	Incomplete   bool
}

func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return "SyntaxError: " + e.Message
	}
	return fmt.Sprintf("SyntaxError: %s (%d:%d)", e.Message, e.Line, e.Column)
}

// parsed is one input as goja's parser sees it. In async mode the input
// (which uses await at top level) was parsed as the body of an async arrow
// function: text is the wrapped source and body its statements. offset is
// where the input starts in text.
type parsed struct {
	text   string
	offset int
	body   []ast.Statement
	async  bool
}

const (
	asyncPrefix = "(async () => {"
	asyncSuffix = "\n})"
)

var (
	forAwait    = lazyregexp.New(`\bfor\s+await\b`)
	endOfInput  = "Unexpected end of input"
	esbuildEOF  = "Unexpected end of file"
	gojaMissing = map[string]bool{"for-await": false, "async-generator": false}
)

// parseInput parses REPL input: as a script, or, when it only parses with
// top-level await, as the body of an async function. for await (which
// goja cannot parse) is lowered by esbuild first.
func parseInput(src string) (*parsed, error) {
	if forAwait.MatchString(src) {
		lowered, err := lowerForAwait(src)
		if err != nil {
			return nil, err
		}
		src = lowered
	}
	prog, err := parser.ParseFile(nil, "", src, 0)
	if err == nil {
		return &parsed{text: src, body: prog.Body}, nil
	}
	scriptErr := syntaxError(err, src, 0)
	wrapped := asyncPrefix + src + asyncSuffix
	prog, aerr := parser.ParseFile(nil, "", wrapped, 0)
	if aerr == nil {
		if body := arrowBody(prog); body != nil {
			return &parsed{text: wrapped, offset: len(asyncPrefix), body: body, async: true}, nil
		}
	}
	if scriptErr.Incomplete || aerr == nil {
		return nil, scriptErr
	}
	asyncErr := syntaxError(aerr, wrapped, len(asyncPrefix))
	// The error found further into the input is the real one: "await x"
	// fails at x as a script, and parses as an async body.
	if asyncErr.Incomplete || asyncErr.Line > scriptErr.Line ||
		(asyncErr.Line == scriptErr.Line && asyncErr.Column > scriptErr.Column) {
		return nil, asyncErr
	}
	return nil, scriptErr
}

// arrowBody returns the statements of the wrapping async arrow function.
func arrowBody(prog *ast.Program) []ast.Statement {
	if len(prog.Body) != 1 {
		return nil
	}
	es, ok := prog.Body[0].(*ast.ExpressionStatement)
	if !ok {
		return nil
	}
	fn, ok := es.Expression.(*ast.ArrowFunctionLiteral)
	if !ok {
		return nil
	}
	block, ok := fn.Body.(*ast.BlockStatement)
	if !ok {
		return nil
	}
	return block.List
}

// syntaxError turns goja's parse error into a SyntaxError located in the
// input (which starts at offset in text). An error at the very end of the
// input, or at the wrapper's closing brace, means the input is incomplete.
func syntaxError(err error, text string, offset int) *SyntaxError {
	list, ok := err.(parser.ErrorList)
	if !ok || len(list) == 0 {
		return &SyntaxError{Message: err.Error()}
	}
	first := list[0]
	se := &SyntaxError{Message: first.Message, Line: first.Position.Line, Column: first.Position.Column}
	if se.Line == 1 {
		se.Column -= offset
	}
	if strings.HasPrefix(first.Message, endOfInput) {
		se.Incomplete = true
	}
	if offset > 0 {
		// In the wrapped text the input ends where the suffix starts: an
		// error there means the input left a bracket open, unless it closed
		// the wrapper's own.
		input := text[offset : len(text)-len(asyncSuffix)]
		lines := strings.Count(text[:len(text)-len(asyncSuffix)], "\n") + 1
		if se.Line > lines && scan(input).incomplete() {
			se.Incomplete = true
		}
	}
	return se
}

// lowerForAwait has esbuild rewrite for-await loops (and async generators)
// into code goja runs.
func lowerForAwait(src string) (string, error) {
	res := api.Transform(src, api.TransformOptions{
		Loader:    api.LoaderJS,
		Target:    api.ESNext,
		Supported: gojaMissing,
		LogLevel:  api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		m := res.Errors[0]
		se := &SyntaxError{Message: m.Text}
		if m.Location != nil {
			se.Line, se.Column = m.Location.Line, m.Location.Column+1
		}
		se.Incomplete = strings.HasPrefix(m.Text, esbuildEOF)
		return "", se
	}
	return runtime.FixForAwait(string(res.Code)), nil
}

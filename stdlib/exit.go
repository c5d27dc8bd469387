package stdlib

import (
	"math"

	"github.com/dop251/goja"
)

// exit is the exit(code) global: exit() or exit(0) ends the run successfully,
// exit(n) with code n. Nothing after it runs (the VM is interrupted).
func (s *lib) exit(call goja.FunctionCall) (any, error) {
	code := 0.0
	if a := call.Argument(0); !goja.IsUndefined(a) {
		var err error
		if code, err = numberArg("exit", "the code", a); err != nil {
			return nil, err
		}
		if code != math.Trunc(code) || code < 0 || code > 255 {
			return nil, typeErrorf("exit", "the code must be an integer from 0 to 255, got %s", describe(a))
		}
	}
	s.exitWith(int(code))
	return nil, nil
}

// exitWith ends the run with code: Env.Exit, then an interruption with an
// *ExitError so no more JS runs.
func (s *lib) exitWith(code int) {
	if s.env.Exit != nil {
		s.env.Exit(code)
	}
	s.vm.Interrupt(&ExitError{Code: code})
}

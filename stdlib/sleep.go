package stdlib

import (
	"context"
	"math"
	"time"

	"github.com/dop251/goja"
)

// sleepModule is sleep(ms): a Promise resolved after ms milliseconds, or
// never when the run is cancelled first (Ctrl-C, --timeout).
type sleepModule struct{ s *lib }

func newSleep(s *lib) *sleepModule { return &sleepModule{s: s} }

func (m *sleepModule) sleep(call goja.FunctionCall) (any, error) {
	ms, err := numberArg("sleep", "the delay in milliseconds", call.Argument(0))
	if err != nil {
		return nil, err
	}
	if math.IsNaN(ms) || ms < 0 {
		ms = 0
	}
	d := time.Duration(math.Min(ms, float64(math.MaxInt64/int64(time.Millisecond))) * float64(time.Millisecond))
	return m.s.vm.Async(func(ctx context.Context) (any, error) {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil, nil
		case <-ctx.Done():
			return nil, errorf("sleep", "cancelled: %v", context.Cause(ctx))
		}
	}, func(*goja.Runtime, any) (goja.Value, error) { return goja.Undefined(), nil }), nil
}

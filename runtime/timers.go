package runtime

import (
	"container/heap"
	"context"
	"math"
	"time"

	"github.com/dop251/goja"
)

// minTimerDelay is Node's clamp: a 0 ms timer still waits for the next turn,
// and a 0 ms interval cannot spin the loop.
const minTimerDelay = time.Millisecond

type timer struct {
	id       int64
	when     time.Time
	seq      uint64 // creation order breaks ties between equal deadlines
	interval time.Duration
	fn       goja.Callable
	args     []goja.Value
	index    int // in the heap
}

// timers is a min-heap of timers by deadline, owned by the loop goroutine.
type timers struct {
	heap   timerHeap
	byID   map[int64]*timer
	nextID int64
	seq    uint64
}

func newTimers() timers {
	return timers{byID: map[int64]*timer{}}
}

func (ts *timers) len() int { return len(ts.heap) }

func (ts *timers) reset() {
	ts.heap = nil
	clear(ts.byID)
}

func (ts *timers) add(fn goja.Callable, delay time.Duration, repeat bool, args []goja.Value) int64 {
	delay = max(delay, minTimerDelay)
	ts.nextID++
	ts.seq++
	t := &timer{id: ts.nextID, when: time.Now().Add(delay), seq: ts.seq, fn: fn, args: args}
	if repeat {
		t.interval = delay
	}
	ts.byID[t.id] = t
	heap.Push(&ts.heap, t)
	return t.id
}

func (ts *timers) clear(id int64) {
	if t, ok := ts.byID[id]; ok {
		delete(ts.byID, id)
		heap.Remove(&ts.heap, t.index)
	}
}

func (ts *timers) next() (time.Time, bool) {
	if len(ts.heap) == 0 {
		return time.Time{}, false
	}
	return ts.heap[0].when, true
}

// fire runs, in deadline order, the timers due at now. Intervals are
// rescheduled before their callback runs, so clearInterval inside works.
func (ts *timers) fire(now time.Time, ctx context.Context, task func(func() error) error) (bool, error) {
	ran := false
	for len(ts.heap) > 0 && !ts.heap[0].when.After(now) {
		if ctx.Err() != nil {
			return ran, interruptedError(context.Cause(ctx))
		}
		t := ts.heap[0]
		if t.interval > 0 {
			ts.seq++
			t.when, t.seq = now.Add(t.interval), ts.seq
			heap.Fix(&ts.heap, 0)
		} else {
			heap.Pop(&ts.heap)
			delete(ts.byID, t.id)
		}
		ran = true
		if err := task(t.call); err != nil {
			return ran, err
		}
	}
	return ran, nil
}

func (t *timer) call() error {
	_, err := t.fn(goja.Undefined(), t.args...)
	return err
}

type timerHeap []*timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].when.Equal(h[j].when) {
		return h[i].seq < h[j].seq
	}
	return h[i].when.Before(h[j].when)
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *timerHeap) Push(x any) {
	t := x.(*timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return t
}

// installTimers defines setTimeout, setInterval, clearTimeout, clearInterval.
func (vm *VM) installTimers() error {
	fns := map[string]func(goja.FunctionCall) goja.Value{
		"setTimeout":    vm.setTimer("setTimeout", false),
		"setInterval":   vm.setTimer("setInterval", true),
		"clearTimeout":  vm.clearTimer,
		"clearInterval": vm.clearTimer,
	}
	for name, fn := range fns {
		if err := vm.rt.Set(name, fn); err != nil {
			return err
		}
	}
	return nil
}

func (vm *VM) setTimer(name string, repeat bool) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		fn, ok := goja.AssertFunction(call.Argument(0))
		if !ok {
			panic(vm.rt.NewTypeError(name + "(): the callback must be a function"))
		}
		var args []goja.Value
		if len(call.Arguments) > 2 {
			args = append(args, call.Arguments[2:]...)
		}
		id := vm.loop.timers.add(fn, timerDelay(call.Argument(1)), repeat, args)
		return vm.rt.ToValue(id)
	}
}

func timerDelay(v goja.Value) time.Duration {
	ms := v.ToFloat()
	if math.IsNaN(ms) || ms < 0 {
		return 0
	}
	return time.Duration(min(ms, float64(math.MaxInt32)) * float64(time.Millisecond))
}

func (vm *VM) clearTimer(call goja.FunctionCall) goja.Value {
	if id := call.Argument(0); !goja.IsUndefined(id) && !goja.IsNull(id) {
		vm.loop.timers.clear(id.ToInteger())
	}
	return goja.Undefined()
}

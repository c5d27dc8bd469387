package runtime

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// EventLoop runs callbacks one at a time on the goroutine that runs the
// script, which is the only goroutine allowed to touch the goja runtime.
// Other goroutines hand work to it with RunOnLoop or through a reservation
// from RegisterCallback; goja runs its promise jobs after each callback.
//
// The loop ends when nothing is queued, no timer is set and no reservation is
// outstanding, or as soon as its context is cancelled.
type EventLoop struct {
	mu      sync.Mutex
	queue   []func() error
	pending int    // reservations not yet released
	gen     uint64 // bumped when a run ends, voiding its reservations
	running bool
	wakeup  chan struct{} // capacity 1: "the queue changed"

	// Loop goroutine only.
	spare  []func() error // the previous queue's array, reused
	timers timers
	clock  *time.Timer
	task   func(fn func() error) error // runs one callback (VM: recover, errors, rejections)
}

func newEventLoop(task func(fn func() error) error) *EventLoop {
	clock := time.NewTimer(time.Hour)
	clock.Stop()
	return &EventLoop{
		wakeup: make(chan struct{}, 1),
		timers: newTimers(),
		clock:  clock,
		task:   task,
	}
}

// RegisterCallback reserves a pending operation: the loop will not end until
// the returned function is called. Call it once, from any goroutine, with the
// callback to run on the loop; that queues the callback and releases the
// reservation. If the run has already ended (interrupted or failed) the
// callback is dropped.
func (l *EventLoop) RegisterCallback() func(func() error) {
	l.mu.Lock()
	l.pending++
	r := &reservation{loop: l, gen: l.gen}
	l.mu.Unlock()
	return r.release
}

type reservation struct {
	loop *EventLoop
	gen  uint64
	used atomic.Bool
}

func (r *reservation) release(fn func() error) {
	if r.used.Swap(true) {
		return
	}
	l := r.loop
	l.mu.Lock()
	if r.gen == l.gen {
		l.pending--
		l.queue = append(l.queue, fn)
	}
	l.mu.Unlock()
	l.wake()
}

// RunOnLoop queues fn if the loop is running and reports whether it did.
func (l *EventLoop) RunOnLoop(fn func() error) bool {
	l.mu.Lock()
	ok := l.running
	if ok {
		l.queue = append(l.queue, fn)
	}
	l.mu.Unlock()
	if ok {
		l.wake()
	}
	return ok
}

func (l *EventLoop) wake() {
	select {
	case l.wakeup <- struct{}{}:
	default:
	}
}

// Running reports whether a run is in progress.
func (l *EventLoop) Running() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.running
}

// run runs first, then callbacks and timers until the loop is idle, a
// callback fails or ctx is cancelled. It returns errBusy if a run is already
// in progress.
func (l *EventLoop) run(ctx context.Context, first func() error) error {
	if !l.start() {
		return errBusy
	}
	err := l.loop(ctx, first)
	l.stop(err != nil)
	return err
}

func (l *EventLoop) loop(ctx context.Context, first func() error) error {
	if ctx.Err() != nil {
		return interruptedError(context.Cause(ctx))
	}
	if err := l.task(first); err != nil {
		return err
	}
	for {
		if ctx.Err() != nil {
			return interruptedError(context.Cause(ctx))
		}
		ran, err := l.runReady(ctx)
		if err != nil {
			return err
		}
		if ran {
			continue
		}
		if l.idle() {
			return nil
		}
		l.wait(ctx)
	}
}

func (l *EventLoop) start() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.running {
		return false
	}
	l.running = true
	return true
}

// stop ends a run. After a failure, queued callbacks, timers and
// outstanding reservations belong to a dead run and are dropped.
func (l *EventLoop) stop(failed bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.running = false
	if failed {
		l.gen++
		l.pending = 0
		clear(l.queue)
		l.queue = l.queue[:0]
		l.timers.reset()
	}
}

// runReady runs the timers that are due, then the callbacks queued so far.
func (l *EventLoop) runReady(ctx context.Context) (bool, error) {
	ran, err := l.timers.fire(time.Now(), ctx, l.task)
	if err != nil {
		return ran, err
	}
	l.mu.Lock()
	batch := l.queue
	l.queue = l.spare[:0]
	l.mu.Unlock()
	defer l.recycle(batch)
	for i, fn := range batch {
		if ctx.Err() != nil {
			return true, interruptedError(context.Cause(ctx))
		}
		batch[i] = nil
		if err := l.task(fn); err != nil {
			return true, err
		}
	}
	return ran || len(batch) > 0, nil
}

func (l *EventLoop) recycle(batch []func() error) {
	clear(batch)
	l.spare = batch[:0]
}

func (l *EventLoop) idle() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.queue) == 0 && l.pending == 0 && l.timers.len() == 0
}

// wait blocks until something is queued, the next timer is due or ctx ends.
func (l *EventLoop) wait(ctx context.Context) {
	next, ok := l.timers.next()
	if !ok {
		select {
		case <-l.wakeup:
		case <-ctx.Done():
		}
		return
	}
	d := time.Until(next)
	if d <= 0 {
		return
	}
	l.clock.Reset(d)
	select {
	case <-l.wakeup:
	case <-l.clock.C:
	case <-ctx.Done():
	}
	l.clock.Stop()
}

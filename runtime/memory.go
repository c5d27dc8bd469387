package runtime

import (
	"fmt"
	goruntime "runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// MemoryError is the cause of a run stopped by the memory guard
// (Options.MaxMemory): errors.As finds it in the error the run returns.
type MemoryError struct {
	Limit int64 // bytes allowed
	Used  int64 // live heap bytes measured when the guard tripped
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("script used more than %s of memory (%s live), so it was stopped", formatBytes(e.Limit), formatBytes(e.Used))
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// The guard samples the heap every guardTick (often: a script doubling a
// string, s += s, doubles the heap in milliseconds). A heap past the limit
// by more than limit/guardSlack interrupts the VM at once, without
// collecting first: collecting a heap that large takes long enough for a
// few more doublings. Past the limit
// by less, the guard collects garbage once (at most every guardGCEvery) to
// measure the live heap; past it still, it interrupts the VM. goja notices
// an interruption between JS instructions only, so a single native call
// that keeps allocating (new Array(1e9).fill(0)) is not stopped by it: if
// the run is still going guardGrace later and the heap is still over the
// limit, the guard calls Options.MemoryHardStop, which ends the process
// before the machine runs out of memory.
const (
	guardTick    = 2 * time.Millisecond
	guardGCEvery = 200 * time.Millisecond
	guardGrace   = time.Second
)

// guardSlack is how far past the limit (a fraction of it) the heap may be
// before the guard trips without collecting first.
const guardSlack = 4 // limit/4

var heapSamples = []string{"/memory/classes/heap/objects:bytes", "/gc/heap/live:bytes"}

// memoryGuard watches the process's Go heap for one VM.
type memoryGuard struct {
	vm       *VM
	limit    int64
	hardStop func(error)
	stopOnce sync.Once
	stopped  chan struct{}
	done     chan struct{}
}

func (vm *VM) startMemoryGuard() {
	if vm.opts.MaxMemory <= 0 {
		return
	}
	g := &memoryGuard{vm: vm, limit: vm.opts.MaxMemory, hardStop: vm.opts.MemoryHardStop,
		stopped: make(chan struct{}), done: make(chan struct{})}
	vm.guard = g
	go g.run()
}

// stop ends the guard's goroutine and waits for it.
func (g *memoryGuard) stop() {
	if g == nil {
		return
	}
	g.stopOnce.Do(func() { close(g.stopped) })
	<-g.done
}

func (g *memoryGuard) run() {
	defer close(g.done)
	samples := make([]metrics.Sample, len(heapSamples))
	for i, name := range heapSamples {
		samples[i].Name = name
	}
	tick := time.NewTicker(guardTick)
	defer tick.Stop()
	var lastGC, tripped time.Time
	var trip *MemoryError
	for {
		select {
		case <-g.stopped:
			return
		case <-tick.C:
		}
		metrics.Read(samples)
		heap := int64(samples[0].Value.Uint64())
		if heap <= g.limit {
			continue
		}
		if trip != nil {
			if g.hardStop != nil && time.Since(tripped) > guardGrace && g.vm.loop.Running() {
				trip.Used = heap
				g.hardStop(trip)
				return
			}
			continue
		}
		if heap > g.limit+g.limit/guardSlack {
			trip, tripped = &MemoryError{Limit: g.limit, Used: heap}, time.Now()
			g.vm.Interrupt(trip)
			continue
		}
		if time.Since(lastGC) < guardGCEvery {
			continue
		}
		goruntime.GC()
		lastGC = time.Now()
		metrics.Read(samples)
		live := int64(samples[1].Value.Uint64())
		if live <= g.limit {
			continue
		}
		trip, tripped = &MemoryError{Limit: g.limit, Used: live}, time.Now()
		g.vm.Interrupt(trip)
	}
}

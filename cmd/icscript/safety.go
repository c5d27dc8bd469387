package main

import (
	"errors"
	"fmt"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/internal/safety"
	"github.com/icscript/icscript/runtime"
)

// beginRun arms the rails for one script run (see safety.Rails); the
// function returned ends it and returns the run's error, which is the stop
// when there was one.
func (ws *workspace) beginRun(interrupt func(any)) func(error) error {
	ws.stopper.Begin(interrupt)
	if ws.guard != nil {
		ws.guard.Reset()
	}
	return func(err error) error {
		cause := ws.stopper.End()
		var se *safety.StopError
		if cause != nil && !errors.As(err, &se) {
			return fmt.Errorf("%w: %w", runtime.ErrInterrupted, cause)
		}
		return err
	}
}

// reportStop says why a safety rail stopped the run and what was done
// before, and returns the exit code.
func reportStop(sys *System, stop *safety.StopError, c *intercom.Client, before intercom.Stats) int {
	fmt.Fprintf(sys.Stderr, "icscript: stopped: %s\nicscript: nothing was sent after that; done before the stop: %s\n",
		stop.Error(), doneSummary(statsSince(before, settledStats(c))))
	return exitStopped
}

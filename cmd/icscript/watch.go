package main

import (
	"context"
	"errors"

	"github.com/icscript/icscript/internal/watch"
)

// watchLoop is watch.Loop for a command: it runs the script with runOnce
// on every change and returns the exit code once Ctrl-C or SIGTERM ends it.
func watchLoop(ctx context.Context, file string, sys *System, runOnce func(ctx context.Context) int) int {
	err := watch.Loop(ctx, watch.Options{Entry: file, Dir: sys.Dir, Stderr: sys.Stderr, Color: sys.stderrColor(), Now: sys.Now}, runOnce)
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return interruptedCode(ctx)
	}
	return fail(sys, err)
}

package safety

import (
	"fmt"
	"io"
	"sync"

	"github.com/icscript/icscript/intercom"
)

// DryRunPrinter prints each mutation a dry run skips to W, one line each;
// the request summary at the end of the run counts them.
type DryRunPrinter struct {
	mu sync.Mutex
	W  io.Writer
}

// Print is the client's mutation hook.
func (d *DryRunPrinter) Print(ev intercom.MutationEvent) {
	if !ev.DryRun || ev.Phase != "start" {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	name := opName(ev)
	if name == "" {
		name = "raw"
	}
	line := fmt.Sprintf("dry run: would %s %s %s", name, ev.Method, ev.Path)
	if len(ev.Body) > 0 {
		line += " " + truncate(string(ev.Body), 400)
	}
	fmt.Fprintln(d.W, line)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

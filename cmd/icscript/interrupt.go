package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/internal/safety"
	"github.com/icscript/icscript/runtime"
)

// defaultMaxMemory is --max-memory's default: enough for any sane ops
// script, well below what takes a machine down.
const defaultMaxMemory = 2 << 30

// byteSize is a flag value such as 512MiB, 2GiB or 0 (no limit).
type byteSize int64

func (b *byteSize) String() string {
	n := int64(*b)
	switch {
	case n == 0:
		return "0"
	case n%(1<<30) == 0:
		return fmt.Sprintf("%dGiB", n>>30)
	case n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return strconv.FormatInt(n, 10)
}

var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"gib", 1 << 30}, {"mib", 1 << 20}, {"kib", 1 << 10},
	{"gb", 1e9}, {"mb", 1e6}, {"kb", 1e3},
	{"g", 1 << 30}, {"m", 1 << 20}, {"k", 1 << 10}, {"b", 1},
}

func (b *byteSize) Set(s string) error {
	v := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(v, u.suffix) {
			v, mult = strings.TrimSpace(strings.TrimSuffix(v, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n < 0 || n*float64(mult) > 1<<50 {
		return fmt.Errorf("want a size such as 512MiB or 2GiB (0 for no limit), got %q", s)
	}
	*b = byteSize(n * float64(mult))
	return nil
}

// memoryHardStop ends the process when the memory guard could not
// interrupt the script (a native call that keeps allocating): the audit log
// is flushed first, and the error says what happened.
func memoryHardStop(sys *System, ws *workspace) func(error) {
	return func(err error) {
		fmt.Fprintf(sys.Stderr, "icscript: error: %v; it could not be interrupted in time, so icscript exits (raise --max-memory if the script needs more)\n", err)
		ws.audit.Close()
		if sys.Exit != nil {
			sys.Exit(exitScriptError)
		}
	}
}

// reportInterrupted says how a run that was stopped before the end ended,
// and returns its exit code: the memory guard's stop is a script error; a
// signal or a watch reload says what was done and that the rest was not.
func reportInterrupted(sys *System, err error, c *intercom.Client, before intercom.Stats) int {
	var mem *runtime.MemoryError
	if errors.As(err, &mem) {
		fmt.Fprintf(sys.Stderr, "icscript: error: %v (raise --max-memory if the script needs more)\n", mem)
		return exitScriptError
	}
	var stop *safety.StopError
	if errors.As(err, &stop) {
		return reportStop(sys, stop, c, before)
	}
	fmt.Fprintf(sys.Stderr, "icscript: interrupted: the script did not finish; done before that: %s\n", doneSummary(statsSince(before, settledStats(c))))
	return exitInterrupted
}

// settledStats waits a moment for the calls the interruption cancelled to
// return (their outcome counted, their audit lines written), so that the
// figures are final.
func settledStats(c *intercom.Client) intercom.Stats {
	deadline := time.Now().Add(2 * time.Second)
	st := c.Stats()
	for st.InFlight > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		st = c.Stats()
	}
	return st
}

// doneSummary is what a run did, for the interruption message: requests
// sent, mutations applied, and those that failed or may have been applied.
func doneSummary(st intercom.Stats) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s applied", intercom.Count(st.Requests, "request", "requests"), intercom.Count(st.Mutations, "mutation", "mutations"))
	if st.Failures > 0 {
		fmt.Fprintf(&b, ", %s failed", intercom.Count(st.Failures, "call", "calls"))
	}
	if st.Ambiguous > 0 {
		fmt.Fprintf(&b, " (%d possibly applied: check by hand)", st.Ambiguous)
	}
	if st.DryRunSkipped > 0 {
		fmt.Fprintf(&b, ", %s not sent (dry run)", intercom.Count(st.DryRunSkipped, "mutation", "mutations"))
	}
	return b.String()
}

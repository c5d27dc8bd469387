package stdlib

import (
	"io"
	"time"

	"github.com/dop251/goja"
	"github.com/schollz/progressbar/v3"
)

// Progress is one progress display of a bulk job. It is an alias of the
// interface literal so a func returning it fits any package's identical
// interface type once that is an alias too (bindings.Progress is a named
// type today: wrap NewProgress's result in a one-line adapter).
type Progress = interface {
	Tick()
	Done()
}

// NewProgress returns the maker of progress displays for bulk jobs
// (bindings' Pager.forEach progress option): on Env.Stderr when a person is
// watching (Env.Interactive) and not quiet, showing the label, count, rate
// and ETA, with a spinner while the total is unknown (total returns 0); a
// display that shows nothing otherwise. total is asked again on every tick,
// so a total learnt later (total_count on the first page) is picked up.
func NewProgress(env Env, quiet bool) func(label string, total func() int) Progress {
	return func(label string, total func() int) Progress {
		if !env.Interactive || quiet || env.Stderr == nil {
			return noProgress{}
		}
		if total == nil {
			total = func() int { return 0 }
		}
		out := env.Stderr
		if env.ProgressOut != nil {
			out = env.ProgressOut
		}
		return newBar(out, label, total)
	}
}

type noProgress struct{}

func (noProgress) Tick()   {}
func (noProgress) Add(int) {}
func (noProgress) Done()   {}

// bar is a progressbar/v3 bar whose maximum follows total.
type bar struct {
	pb    *progressbar.ProgressBar
	total func() int
	max   int
	done  bool
}

func newBar(w io.Writer, label string, total func() int) *bar {
	n := max(total(), 0)
	pb := progressbar.NewOptions(maxOrUnknown(n),
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(label),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("items"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionOnCompletion(func() { _, _ = io.WriteString(w, "\n") }),
	)
	return &bar{pb: pb, total: total, max: n}
}

func maxOrUnknown(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

func (b *bar) Tick() { b.Add(1) }

// Add advances the bar by n items.
func (b *bar) Add(n int) {
	if b.done {
		return
	}
	if t := b.total(); t > 0 && t != b.max {
		b.max = t
		b.pb.ChangeMax(t)
	}
	_ = b.pb.Add(n)
}

// Done finishes the bar, leaving its last state on the screen.
func (b *bar) Done() {
	if b.done {
		return
	}
	b.done = true
	if b.max > 0 && b.pb.State().CurrentNum >= int64(b.max) {
		_ = b.pb.Finish()
		return
	}
	_ = b.pb.Exit()
}

// progressModule is progress(total?, label?) → {tick(n = 1), done()}: a bar
// on stderr when interactive and not quiet, otherwise nothing shown.
type progressModule struct{ s *lib }

func newProgressModule(s *lib) *progressModule { return &progressModule{s: s} }

type adder interface {
	Progress
	Add(n int)
}

func (m *progressModule) progress(call goja.FunctionCall) (any, error) {
	const name = "progress"
	total, label := 0, ""
	args := call.Arguments
	if len(args) > 0 && goja.IsString(args[0]) { // progress(label)
		label, args = args[0].String(), args[1:]
	}
	if len(args) > 0 && !isNullish(args[0]) {
		n, err := numberArg(name, "the total", args[0])
		if err != nil {
			return nil, err
		}
		total = max(int(n), 0)
		args = args[1:]
	}
	if len(args) > 0 && !isNullish(args[0]) {
		label = args[0].String()
	}
	var p adder = noProgress{}
	if made := NewProgress(m.s.env, m.s.env.Quiet)(label, func() int { return total }); made != nil {
		if a, ok := made.(adder); ok {
			p = a
		}
	}
	rt := m.s.rt
	obj := rt.NewObject()
	_ = obj.Set("tick", func(call goja.FunctionCall) goja.Value {
		n := int64(1)
		if a := call.Argument(0); !isNullish(a) {
			n = a.ToInteger()
		}
		if n > 0 {
			p.Add(int(n))
		}
		return goja.Undefined()
	})
	_ = obj.Set("done", func(goja.FunctionCall) goja.Value {
		p.Done()
		return goja.Undefined()
	})
	return obj, nil
}

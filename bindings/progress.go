package bindings

import "github.com/dop251/goja"

// progress is the prelude's define.progress(option, total): a display with
// tick() and done(), or one that shows nothing when the host gave no
// NewProgress (not a terminal, --quiet).
func (b *Bindings) progress(option goja.Value, total goja.Value) *goja.Object {
	o := b.rt.NewObject()
	if b.opts.NewProgress == nil {
		noop := func() {}
		_ = o.Set("tick", noop)
		_ = o.Set("done", noop)
		return o
	}
	label := ""
	if s, ok := option.Export().(string); ok {
		label = s
	}
	totalFn := func() int { return 0 }
	if f, ok := goja.AssertFunction(total); ok {
		totalFn = func() int {
			v, err := f(goja.Undefined())
			if err != nil || goja.IsUndefined(v) {
				return 0
			}
			return int(v.ToInteger())
		}
	} else if total != nil && !goja.IsUndefined(total) {
		n := int(total.ToInteger())
		totalFn = func() int { return n }
	}
	p := b.opts.NewProgress(label, totalFn)
	_ = o.Set("tick", p.Tick)
	_ = o.Set("done", p.Done)
	return o
}

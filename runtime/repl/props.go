package repl

import (
	"reflect"
	"unicode"

	"github.com/dop251/goja"
)

var proxyType = reflect.TypeOf(goja.Proxy{})

// isIdentifier reports whether s can follow a dot: /^[\p{L}_$][\p{L}\p{N}_$]*$/,
// without compiling that regexp's Unicode tables at every start.
func isIdentifier(s string) bool {
	for i, r := range s {
		if !unicode.IsLetter(r) && r != '_' && r != '$' && (i == 0 || !unicode.IsNumber(r)) {
			return false
		}
	}
	return s != ""
}

// props reads objects without running JS: only data properties, found with
// the built-in Object.getOwnPropertyDescriptor captured when the VM was
// new (so a script cannot swap it), never through a getter or a Proxy trap.
// Completion and the Pager check use it.
type props struct {
	rt       *goja.Runtime
	gopd     goja.Callable
	objProto *goja.Object // Object.prototype, as it was when the VM was new
}

func newProps(rt *goja.Runtime) *props {
	p := &props{rt: rt}
	_ = rt.Try(func() {
		object := rt.Get("Object").ToObject(rt)
		p.gopd, _ = goja.AssertFunction(object.Get("getOwnPropertyDescriptor"))
		p.objProto, _ = object.Get("prototype").(*goja.Object)
	})
	return p
}

// object returns v as an object whose properties may be read safely:
// primitives get their wrapper, proxies and null/undefined give nil.
func (p *props) object(v goja.Value) *goja.Object {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	if _, isSym := v.(*goja.Symbol); isSym {
		return nil
	}
	var obj *goja.Object
	_ = p.rt.Try(func() { obj = v.ToObject(p.rt) })
	if obj == nil || obj.ExportType() == proxyType {
		return nil
	}
	return obj
}

// get reads key of obj or its prototypes, if it is a data property.
func (p *props) get(obj *goja.Object, key string) (goja.Value, bool) {
	for depth := 0; obj != nil && depth < 64; depth++ {
		desc, ok := p.own(obj, key)
		if ok {
			if !hasKey(desc, "value") {
				return nil, false // an accessor: calling it could do anything
			}
			return desc.Get("value"), true
		}
		obj = p.proto(obj)
	}
	return nil, false
}

// own is the descriptor of obj's own property key.
func (p *props) own(obj *goja.Object, key string) (*goja.Object, bool) {
	if p.gopd == nil || obj.ExportType() == proxyType {
		return nil, false
	}
	var d goja.Value
	if ex := p.rt.Try(func() { d, _ = p.gopd(goja.Undefined(), obj, p.rt.ToValue(key)) }); ex != nil {
		return nil, false
	}
	desc, ok := d.(*goja.Object)
	return desc, ok
}

func (p *props) proto(obj *goja.Object) *goja.Object {
	if obj.ExportType() == proxyType {
		return nil
	}
	var proto *goja.Object
	_ = p.rt.Try(func() { proto = obj.Prototype() })
	if proto != nil && proto.ExportType() == proxyType {
		return nil
	}
	return proto
}

// members is what completion offers after a dot: names, nearest first,
// without "constructor" and, until a word is typed, without what every
// object inherits from Object.prototype (hasOwnProperty, toString…).
func (p *props) members(obj *goja.Object, word string) [][]string {
	var levels [][]string
	for depth := 0; obj != nil && depth < 16; depth++ {
		if word == "" && p.objProto != nil && obj.SameAs(p.objProto) {
			break
		}
		var names []string
		_ = p.rt.Try(func() { names = obj.GetOwnPropertyNames() })
		kept := names[:0:0]
		for _, n := range names {
			if n != "constructor" {
				kept = append(kept, n)
			}
		}
		levels = append(levels, kept)
		obj = p.proto(obj)
	}
	return levels
}

// className is the name of obj's constructor, read safely.
func (p *props) className(obj *goja.Object) string {
	proto := p.proto(obj)
	if proto == nil {
		return ""
	}
	ctor, ok := p.get(proto, "constructor")
	if !ok {
		return ""
	}
	cobj, ok := ctor.(*goja.Object)
	if !ok {
		return ""
	}
	name, ok := p.get(cobj, "name")
	if !ok || !goja.IsString(name) {
		return ""
	}
	return name.String()
}

// str reads a string data property ("" when there is none).
func (p *props) str(obj *goja.Object, key string) string {
	v, ok := p.get(obj, key)
	if !ok || v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return ""
	}
	if _, isObj := v.(*goja.Object); isObj {
		return ""
	}
	return v.String()
}

func hasKey(obj *goja.Object, key string) bool {
	for _, k := range obj.Keys() {
		if k == key {
			return true
		}
	}
	return false
}

package bindings

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// A script's arguments reach Go as JSON.stringify would send them, so that
// what goes on the wire is what the script holds:
//   - an undefined member of an object is left out, and undefined in an
//     array is null (JSON.stringify's rules); null stays null, which asks
//     Intercom to clear a field;
//   - toJSON is honoured (a Date becomes its ISO string), getters and Proxy
//     traps run, class instances give their own enumerable fields;
//   - what JSON would silently change is refused with a TypeError naming
//     where it is: functions and symbols (JSON.stringify drops them), NaN and
//     Infinity (sent as null), Map, Set, WeakMap and WeakSet (sent as {}),
//     promises (an await forgotten), BigInt, and cycles.
//
// goja's Export does not do this: it turns a nested undefined into nil (sent
// as null) and a Proxy into {}.

// The walk below does what JSON.stringify would with the replacer of
// delegateSource, in Go, for what it can read without changing what runs:
// primitives, and ordinary objects and arrays (their toJSON, getters and
// refusals run in JSON.stringify's order). Anything else — a Proxy, a
// primitive wrapper, a Go value, a BigInt, a function — is handed with its
// key to delegateSource, which is JSON.stringify itself, so it behaves as it
// always did.

// delegateSource makes {kinds, one}: kinds the constructors JSON would send
// as {} (in the order of jsonKinds), read when first needed as a script
// would read them; one(key, value, viaToJSON, at, where, seen, ancestors)
// gives [JSON text of {[key]: value}, seen] with a replacer that refuses
// what JSON would not carry faithfully. viaToJSON says value is what a
// toJSON already gave (it is not asked again); at names value in errors;
// seen counts the objects met so far; ancestors are the objects being
// walked around it (a cycle through them is a cycle). It keeps the
// JSON.stringify of the moment it is made, so a script that replaces
// JSON.stringify cannot change what is sent.
const delegateSource = `(function (whys) {
  const stringify = JSON.stringify, isArray = Array.isArray, isFinite = Number.isFinite, create = Object.create;
  const ctors = [Map, Set, WeakMap, WeakSet, Promise];
  return {kinds: ctors, one: function (key, value, viaToJSON, at, where, seen, ancestors) {
    const h = create(null);
    h[key] = viaToJSON ? {toJSON() { return value; }} : value;
    const paths = new Map();
    let outer = true;
    // h is given in place of an empty root: its own toJSON, if key is
    // "toJSON", is not called.
    const text = stringify(create(null), function (k, v) {
      if (outer) { outer = false; return h; }
      const here = this === h ? at : isArray(this) ? paths.get(this) + "[" + k + "]" : paths.get(this) + "." + k;
      switch (typeof v) {
      case "function": throw new TypeError(here + " is a function, which JSON cannot carry");
      case "symbol": throw new TypeError(here + " is a symbol, which JSON cannot carry");
      case "bigint": throw new TypeError(here + " is a BigInt, which JSON cannot carry: pass a number or a string");
      case "number":
        if (!isFinite(v)) throw new TypeError(here + " is " + v + ", which JSON would send as null");
        break;
      case "object":
        if (v === null) break;
        for (let i = 0; i < ctors.length; i++) if (v instanceof ctors[i]) throw new TypeError(here + " is " + whys[i]);
        if (++seen > maxObjects) throw new TypeError(where + " is too large to send");
        if (ancestors.includes(v)) throw new TypeError("Converting circular structure to JSON");
        paths.set(v, here);
      }
      return v;
    });
    return [text, seen];
  }};
})`

// jsonKinds: why each of delegateSource's kinds is refused.
var jsonKinds = []string{
	"a Map, which JSON would send as {}: pass Object.fromEntries(map)",
	"a Set, which JSON would send as {}: pass [...set]",
	"a WeakMap, which JSON would send as {}",
	"a WeakSet, which JSON would send as {}",
	"a Promise: did you forget await?",
}

// maxObjects is how many objects one argument may hold.
const maxObjects = 1000000

var delegateProgram = sync.OnceValue(func() *goja.Program {
	src := strings.Replace(delegateSource, "maxObjects", strconv.Itoa(maxObjects), 1)
	return goja.MustCompile("icscript:json-of", src, true)
})

// jsonOf is what exportJSON needs of the VM, made on first use.
type jsonOf struct {
	kinds []*goja.Object // Map, Set, WeakMap, WeakSet, Promise
	one   goja.Callable  // delegateSource's one
	walk  goja.Callable  // runs the current exporter, catching what scripts throw
	cur   *exporter      // the exporter walk runs
}

func (b *Bindings) jsonOfVM() (*jsonOf, error) {
	if b.jsonOf != nil {
		return b.jsonOf, nil
	}
	factory, err := b.rt.RunProgram(delegateProgram())
	if err != nil {
		return nil, fmt.Errorf("bindings: %w", err)
	}
	newJSONOf, _ := goja.AssertFunction(factory)
	made, err := newJSONOf(goja.Undefined(), b.rt.ToValue(jsonKinds))
	if err != nil {
		return nil, fmt.Errorf("bindings: %w", err)
	}
	obj := made.ToObject(b.rt)
	j := &jsonOf{}
	kinds := obj.Get("kinds").ToObject(b.rt)
	for i := range jsonKinds {
		j.kinds = append(j.kinds, kinds.Get(strconv.Itoa(i)).ToObject(b.rt))
	}
	j.one, _ = goja.AssertFunction(obj.Get("one"))
	// A native function called as a JS one, so that what a getter or toJSON
	// throws reaches exportError as it did from inside JSON.stringify.
	j.walk, _ = goja.AssertFunction(b.rt.ToValue(func(goja.FunctionCall) goja.Value {
		e := j.cur
		e.out, e.ok, e.err = e.value("", e.root, jsonPath{root: true})
		return goja.Undefined()
	}))
	b.jsonOf = j
	return j, nil
}

// exportJSON gives v as JSON.stringify would send it (see above), decoded:
// map[string]any, []any, string, bool, nil, int64 for whole numbers that
// fit, float64 for the others; undefined{} when JSON.stringify gives
// nothing (v is undefined). where names v in error messages ("fields").
// Errors are TypeErrors' messages, ready to be prefixed with the call.
func (b *Bindings) exportJSON(v goja.Value, where string) (any, error) {
	if v == nil || goja.IsUndefined(v) {
		return undefined{}, nil
	}
	// Primitives JSON carries as they are take a short cut; a symbol (and
	// anything else) goes the long way, which refuses it as JSON.stringify's
	// replacer does, and -0 is sent as 0, as JSON.stringify sends it.
	if _, isObj := v.(*goja.Object); !isObj {
		if _, isSym := v.(*goja.Symbol); !isSym {
			switch x := v.Export().(type) {
			case nil, bool, string, int64:
				return x, nil
			case float64:
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return nil, fmt.Errorf("%s is %s, which JSON would send as null", where, v.String())
				}
				if x == 0 {
					return int64(0), nil
				}
				return x, nil
			}
		}
	}
	j, err := b.jsonOfVM()
	if err != nil {
		return nil, err
	}
	e := &exporter{j: j, rt: b.rt, where: where, root: v}
	prev := j.cur
	j.cur = e
	_, err = j.walk(goja.Undefined())
	j.cur = prev
	if err == nil {
		err = e.err
	}
	var r refusal
	switch {
	case errors.As(err, &r):
		return nil, err
	case err != nil:
		return nil, exportError(err, where)
	case !e.ok:
		return undefined{}, nil
	}
	return e.out, nil
}

// exporter is one exportJSON's walk.
type exporter struct {
	j     *jsonOf
	rt    *goja.Runtime
	where string
	root  goja.Value
	seen  int            // objects met, as delegateSource counts them
	stack []*goja.Object // the objects being walked, for cycles

	out any
	ok  bool
	err error
}

// refusal is the walk's own TypeError: its message is final.
type refusal struct{ msg string }

func (r refusal) Error() string { return r.msg }

// jsonPath names a value in errors, built only when one is reported: the
// root is where; a member is its holder's name and .key, or [key] in an
// array.
type jsonPath struct {
	holder *jsonPath
	key    string
	index  bool
	root   bool
}

func (p jsonPath) name(where string) string {
	switch {
	case p.root:
		return where
	case p.index:
		return p.holder.name(where) + "[" + p.key + "]"
	}
	return p.holder.name(where) + "." + p.key
}

var (
	mapType    = reflect.TypeOf(map[string]any{})
	sliceType  = reflect.TypeOf([]any{})
	bigIntType = reflect.TypeOf((*big.Int)(nil))
)

// ordinary reports whether o is an object or array the walk reads itself:
// a plain one (not a Proxy, a primitive wrapper, a Go value or any other
// exotic object), found without running anything of the script.
func ordinary(o *goja.Object) (isArray, ok bool) {
	switch o.ExportType() {
	case mapType:
		return false, o.ClassName() == "Object"
	case sliceType:
		return true, o.ClassName() == "Array"
	}
	return false, false
}

// value is JSON.stringify's SerializeJSONProperty of v, found at key: ok
// false when nothing is sent (undefined: left out of an object, null in an
// array).
func (e *exporter) value(key string, v goja.Value, at jsonPath) (any, bool, error) {
	if o, isObj := v.(*goja.Object); isObj {
		if _, plain := ordinary(o); !plain {
			return e.delegate(key, v, false, at)
		}
		if toJSON, ok := goja.AssertFunction(o.Get("toJSON")); ok {
			r, err := toJSON(o, e.rt.ToValue(key))
			if err != nil {
				return nil, false, err
			}
			return e.resolved(key, r, at)
		}
	} else if v != nil && v.ExportType() == bigIntType {
		return e.delegate(key, v, false, at) // BigInt.prototype.toJSON, if a script gave it one
	}
	return e.resolved(key, v, at)
}

// resolved checks and gives v, past toJSON, as the replacer of
// delegateSource and JSON.stringify would.
func (e *exporter) resolved(key string, v goja.Value, at jsonPath) (any, bool, error) {
	if v == nil || goja.IsUndefined(v) {
		return nil, false, nil
	}
	o, isObj := v.(*goja.Object)
	if !isObj {
		if _, isSym := v.(*goja.Symbol); isSym {
			return nil, false, refusal{at.name(e.where) + " is a symbol, which JSON cannot carry"}
		}
		switch x := v.Export().(type) {
		case nil, bool, string, int64:
			return x, true, nil
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, false, refusal{at.name(e.where) + " is " + v.String() + ", which JSON would send as null"}
			}
			return jsonFloat(v, x), true, nil
		case *big.Int:
			return nil, false, refusal{at.name(e.where) + " is a BigInt, which JSON cannot carry: pass a number or a string"}
		}
		return e.delegate(key, v, true, at)
	}
	isArray, plain := ordinary(o)
	if !plain {
		return e.delegate(key, v, true, at)
	}
	for i, k := range e.j.kinds {
		if e.rt.InstanceOf(o, k) {
			return nil, false, refusal{at.name(e.where) + " is " + jsonKinds[i]}
		}
	}
	if e.seen++; e.seen > maxObjects {
		return nil, false, refusal{e.where + " is too large to send"}
	}
	for _, s := range e.stack {
		if s == o {
			return nil, false, cycle(e.where)
		}
	}
	e.stack = append(e.stack, o)
	defer func() { e.stack = e.stack[:len(e.stack)-1] }()
	holder := new(jsonPath)
	*holder = at
	if isArray {
		return e.array(o, holder)
	}
	return e.object(o, holder)
}

func (e *exporter) array(o *goja.Object, holder *jsonPath) (any, bool, error) {
	n := o.Get("length").ToInteger()
	out := make([]any, max(n, 0))
	for i := range out {
		key := strconv.Itoa(i)
		v, ok, err := e.value(key, o.Get(key), jsonPath{holder: holder, key: key, index: true})
		if err != nil {
			return nil, false, err
		}
		if ok {
			out[i] = v
		}
	}
	return out, true, nil
}

func (e *exporter) object(o *goja.Object, holder *jsonPath) (any, bool, error) {
	keys := o.Keys()
	for _, key := range keys {
		if strings.ContainsRune(key, utf8.RuneError) {
			// A key with a lone surrogate reads back as another: let
			// JSON.stringify read this object.
			e.seen--
			e.stack = e.stack[:len(e.stack)-1]
			defer func() { e.stack = append(e.stack, o) }()
			return e.delegate(holder.key, o, true, *holder)
		}
	}
	out := make(map[string]any, len(keys))
	for _, key := range keys {
		v, ok, err := e.value(key, o.Get(key), jsonPath{holder: holder, key: key})
		if err != nil {
			return nil, false, err
		}
		if ok {
			out[key] = v
		}
	}
	return out, true, nil
}

// delegate gives v, at key, through delegateSource: JSON.stringify itself.
func (e *exporter) delegate(key string, v goja.Value, viaToJSON bool, at jsonPath) (any, bool, error) {
	ancestors := make([]any, len(e.stack))
	for i, s := range e.stack {
		ancestors[i] = s
	}
	r, err := e.j.one(goja.Undefined(), e.rt.ToValue(key), v, e.rt.ToValue(viaToJSON), e.rt.ToValue(at.name(e.where)),
		e.rt.ToValue(e.where), e.rt.ToValue(e.seen), e.rt.NewArray(ancestors...))
	if err != nil {
		return nil, false, err
	}
	pair := r.ToObject(e.rt)
	e.seen = int(pair.Get("1").ToInteger())
	dec := json.NewDecoder(strings.NewReader(pair.Get("0").String()))
	dec.UseNumber()
	var holder map[string]any
	if err := dec.Decode(&holder); err != nil {
		return nil, false, refusal{fmt.Sprintf("%s cannot be sent as JSON: %v", e.where, err)}
	}
	for _, v := range holder { // its one member, if JSON sends it
		return numbers(v), true, nil
	}
	return nil, false, nil
}

// cycle is the error of a value that holds itself.
func cycle(where string) error {
	return refusal{where + " refers to itself (a cycle), which JSON cannot carry"}
}

// jsonFloat is a finite number as its JSON text reads back: whole numbers
// that int64 holds as int64 (beyond 2^53, those of the digits JavaScript
// prints), the others float64.
func jsonFloat(v goja.Value, f float64) any {
	switch {
	case f != math.Trunc(f):
		return f // its shortest form reads back as itself
	case math.Abs(f) < 1<<53:
		return int64(f)
	}
	return numbers(json.Number(v.String()))
}

// exportError words an exception raised while serialising: our own
// TypeErrors as they are, a cycle as a cycle, a script's error (a getter or
// toJSON that throws) as where it came from.
func exportError(err error, where string) error {
	ex, ok := err.(*goja.Exception)
	if !ok {
		return fmt.Errorf("%s cannot be read as JSON: %v", where, err)
	}
	msg := ex.Value().String()
	if obj, ok := ex.Value().(*goja.Object); ok {
		if m := obj.Get("message"); m != nil && !goja.IsUndefined(m) {
			msg = m.String()
		}
		if name := obj.Get("name"); name != nil && name.String() == "TypeError" {
			if strings.Contains(msg, "circular") || strings.Contains(msg, "cyclic") {
				return cycle(where)
			}
			if strings.HasPrefix(msg, where) {
				return errors.New(msg)
			}
		}
	}
	return fmt.Errorf("%s cannot be read as JSON: %s", where, msg)
}

// numbers turns json.Numbers into int64 when whole and in range, else float64.
func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return n
		}
		f, _ := strconv.ParseFloat(string(x), 64)
		return f
	case []any:
		for i := range x {
			x[i] = numbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = numbers(x[k])
		}
	}
	return v
}

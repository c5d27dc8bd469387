package bindings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

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

// jsonOfSource is a function (value, where) → JSON text or undefined, with a
// replacer that refuses what JSON would not carry faithfully. It keeps the
// JSON.stringify of the moment it is installed, so a script that replaces
// JSON.stringify cannot change what is sent.
const jsonOfSource = `(function () {
  const stringify = JSON.stringify, isArray = Array.isArray, isFinite = Number.isFinite;
  const kinds = [[Map, "a Map, which JSON would send as {}: pass Object.fromEntries(map)"],
    [Set, "a Set, which JSON would send as {}: pass [...set]"],
    [WeakMap, "a WeakMap, which JSON would send as {}"], [WeakSet, "a WeakSet, which JSON would send as {}"],
    [Promise, "a Promise: did you forget await?"]];
  return function (value, where) {
    const paths = new WeakMap();
    let seen = 0;
    return stringify(value, function (key, v) {
      const holder = paths.get(this);
      const at = holder === undefined ? where : isArray(this) ? holder + "[" + key + "]" : holder + "." + key;
      switch (typeof v) {
      case "function": throw new TypeError(at + " is a function, which JSON cannot carry");
      case "symbol": throw new TypeError(at + " is a symbol, which JSON cannot carry");
      case "bigint": throw new TypeError(at + " is a BigInt, which JSON cannot carry: pass a number or a string");
      case "number":
        if (!isFinite(v)) throw new TypeError(at + " is " + v + ", which JSON would send as null");
        break;
      case "object":
        if (v === null) break;
        for (const [ctor, why] of kinds) if (v instanceof ctor) throw new TypeError(at + " is " + why);
        if (++seen > 1000000) throw new TypeError(where + " is too large to send");
        paths.set(v, at);
      }
      return v;
    });
  };
})()`

var jsonOfProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("icscript:json-of", jsonOfSource, true)
})

// exportJSON gives v as JSON.stringify would send it (see above), decoded:
// map[string]any, []any, string, bool, nil, int64 for whole numbers that
// fit, float64 for the others; undefined{} when JSON.stringify gives
// nothing (v is undefined). where names v in error messages ("fields").
// Errors are TypeErrors' messages, ready to be prefixed with the call.
func (b *Bindings) exportJSON(v goja.Value, where string) (any, error) {
	if v == nil || goja.IsUndefined(v) {
		return undefined{}, nil
	}
	if _, isObj := v.(*goja.Object); !isObj {
		switch x := v.Export().(type) {
		case nil, bool, string, int64:
			return x, nil
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%s is %s, which JSON would send as null", where, v.String())
			}
			return x, nil
		}
	}
	if b.jsonOf == nil {
		fn, err := b.rt.RunProgram(jsonOfProgram())
		if err != nil {
			return nil, fmt.Errorf("bindings: %w", err)
		}
		b.jsonOf, _ = goja.AssertFunction(fn)
	}
	text, err := b.jsonOf(goja.Undefined(), v, b.rt.ToValue(where))
	if err != nil {
		return nil, exportError(err, where)
	}
	if goja.IsUndefined(text) {
		return undefined{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text.String())))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("%s cannot be sent as JSON: %v", where, err)
	}
	return numbers(out), nil
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
				return fmt.Errorf("%s refers to itself (a cycle), which JSON cannot carry", where)
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

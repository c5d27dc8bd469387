// Package jsonjs decodes JSON text straight into goja values.
//
// Parse gives the same values as goja's own JSON.parse (without a reviver) at
// a fraction of its cost: JSON.parse goes through encoding/json's token API,
// which allocates an interface, and on some paths an error, per token. Parse
// is a hand-written scanner over the bytes; it keeps no intermediate tree,
// reuses its buffers between calls and interns the short strings and object
// keys an API repeats in every response. Objects are filled while they have
// no prototype, so that no inherited property (__proto__'s accessor, a setter
// a script put on Object.prototype) is involved, then given Object.prototype.
//
// Semantics, as goja's JSON.parse:
//   - objects are ordinary objects whose own properties are defined in
//     document order (goja, like JS, then lists integer-like keys first);
//     a repeated key keeps its first position and its last value;
//     "__proto__" is an ordinary own property, never the prototype;
//   - numbers are strconv.ParseFloat's (correctly rounded), turned into goja
//     values as goja does (integral values within ±2^53, except -0, are
//     integers);
//   - in strings, an invalid UTF-8 byte and a \u escape of a lone surrogate
//     both become U+FFFD, as encoding/json (and so goja's JSON.parse) has it;
//   - nesting has no limit of its own: the decoder is iterative, so depth
//     costs heap, not Go stack.
//
// One deliberate difference: a number too large for a float64 (1e400) is
// ±Infinity, as ECMAScript's JSON.parse specifies, where goja's JSON.parse
// throws.
package jsonjs

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// SyntaxError is the error of Parse on text that is not JSON.
type SyntaxError struct {
	Offset int // byte offset of the offending byte, or len(data) at end of input
	msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at offset %d", e.msg, e.Offset)
}

// Parse decodes one JSON value, surrounded by optional whitespace, into a
// value of rt. It must be called on rt's goroutine, like any use of rt; calls
// for different runtimes may run concurrently. Parse keeps no reference to
// data. On text that is not JSON, the error is a *SyntaxError.
func Parse(rt *goja.Runtime, data []byte) (goja.Value, error) {
	primOnce.Do(func() { initPrimitives(rt) })
	d := decoders.Get().(*decoder)
	v, err := d.parse(rt, data)
	d.reset()
	decoders.Put(d)
	return v, err
}

var decoders = sync.Pool{New: func() any {
	return &decoder{intern: new([internSize]internEntry)}
}}

// Interning: object keys and short ASCII strings seen before are reused, the
// key as a Go string, the ASCII string also as its goja value (an immutable
// primitive that belongs to no runtime, so it may be shared between runtimes).
// The table is a 2-way set-associative cache: a new string evicts the least
// recently used of the two of its set.
const (
	maxInternKey   = 32 // longest interned key, in bytes
	maxInternValue = 32 // longest interned string value
	internBits     = 10
	internSize     = 1 << internBits
)

// lookup returns the entry of s (at most maxInternKey bytes), made if new.
func (d *decoder) lookup(s []byte) *internEntry {
	set := d.intern[internSet(s):]
	if set[0].s == string(s) {
		return &set[0]
	}
	if set[1].s != string(s) {
		set[1] = internEntry{s: string(s)}
	}
	set[0], set[1] = set[1], set[0]
	return &set[0]
}

// internSet is the first slot of the set of s: a hash of its length and of
// its first and last 8 bytes.
func internSet(s []byte) int {
	n := len(s)
	var h uint64
	switch {
	case n >= 8:
		h = binary.LittleEndian.Uint64(s) ^ bits.RotateLeft64(binary.LittleEndian.Uint64(s[n-8:]), 31)
	case n >= 4:
		h = uint64(binary.LittleEndian.Uint32(s))<<32 | uint64(binary.LittleEndian.Uint32(s[n-4:]))
	case n > 0:
		h = uint64(s[0])<<16 | uint64(s[n/2])<<8 | uint64(s[n-1])
	}
	h = (h ^ uint64(n)) * 0x9e3779b97f4a7c15
	return int(h>>(64-internBits)) &^ 1
}

type internEntry struct {
	s string
	v goja.Value // nil until the string is used as a value
}

// frame is an object or an array being filled.
type frame struct {
	obj   *goja.Object // the object; nil for an array
	key   string       // the key whose value is being decoded
	start int          // arrays: start of the elements in decoder.vals
}

type decoder struct {
	rt     *goja.Runtime
	data   []byte
	pos    int
	frames []frame
	vals   []any // elements of the arrays being filled, as goja.Value
	buf    []byte
	u16    []uint16
	intern *[internSize]internEntry

	// objectProto is Object.prototype, once an object has been made.
	objectProto *goja.Object
}

func (d *decoder) reset() {
	// Containers closed during the call cleared their slots; after an
	// error, those still open are cleared here.
	clear(d.frames)
	d.frames = d.frames[:0]
	clear(d.vals)
	d.vals = d.vals[:0]
	d.rt, d.data = nil, nil
	d.objectProto = nil
	if cap(d.buf) > 64<<10 {
		d.buf = nil
	}
	if cap(d.frames) > 1024 {
		d.frames = nil
	}
	if cap(d.vals) > 1<<16 {
		d.vals = nil
	}
}

// Primitive values, which belong to no runtime, made once with the first.
var (
	primOnce sync.Once
	valTrue  goja.Value
	valFalse goja.Value
	valNull  = goja.Null()
	negZero  goja.Value
	smallInt [1024]goja.Value
)

func initPrimitives(rt *goja.Runtime) {
	valTrue = rt.ToValue(true)
	valFalse = rt.ToValue(false)
	negZero = rt.ToValue(math.Copysign(0, -1))
	for i := range smallInt {
		smallInt[i] = rt.ToValue(int64(i))
	}
}

func (d *decoder) errorf(off int, format string, args ...any) error {
	return &SyntaxError{Offset: off, msg: fmt.Sprintf(format, args...)}
}

// unexpected is the error for the byte at d.pos (or the end of input).
func (d *decoder) unexpected(what string) error {
	if d.pos >= len(d.data) {
		return d.errorf(len(d.data), "unexpected end of JSON input")
	}
	if what == "" {
		return d.errorf(d.pos, "invalid character %s", quoteByte(d.data[d.pos]))
	}
	return d.errorf(d.pos, "invalid character %s %s", quoteByte(d.data[d.pos]), what)
}

func quoteByte(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	if c < utf8.RuneSelf {
		s := strconv.QuoteRune(rune(c))
		return "'" + s[1:len(s)-1] + "'"
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func (d *decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) parse(rt *goja.Runtime, data []byte) (goja.Value, error) {
	d.rt, d.data, d.pos = rt, data, 0
	var v goja.Value
	var err error
	for {
		// A value starts here.
		d.skipSpace()
		if d.pos >= len(data) {
			return nil, d.unexpected("")
		}
		switch c := data[d.pos]; c {
		case '{':
			d.pos++
			d.skipSpace()
			if d.pos < len(data) && data[d.pos] == '}' {
				d.pos++
				v = rt.NewObject()
				break
			}
			// The object is filled with Set while it has no prototype, so
			// that no property of Object.prototype (__proto__'s accessor, a
			// setter a script defined) is involved and no prototype lookup
			// is paid; it gets Object.prototype when complete. That is
			// JSON.parse's CreateDataProperty, and the same object as
			// rt.NewObject's.
			obj := rt.CreateObject(nil)
			if d.objectProto == nil {
				d.objectProto = rt.NewObject().Prototype()
			}
			key, err := d.objectKey()
			if err != nil {
				return nil, err
			}
			d.frames = append(d.frames, frame{obj: obj, key: key})
			continue
		case '[':
			d.pos++
			d.skipSpace()
			if d.pos < len(data) && data[d.pos] == ']' {
				d.pos++
				v = rt.NewArray()
				break
			}
			d.frames = append(d.frames, frame{start: len(d.vals)})
			continue
		case '"':
			if v, err = d.stringValue(); err != nil {
				return nil, err
			}
		case 't':
			if err = d.literal("true"); err != nil {
				return nil, err
			}
			v = valTrue
		case 'f':
			if err = d.literal("false"); err != nil {
				return nil, err
			}
			v = valFalse
		case 'n':
			if err = d.literal("null"); err != nil {
				return nil, err
			}
			v = valNull
		default:
			if c != '-' && (c < '0' || c > '9') {
				return nil, d.unexpected("looking for beginning of value")
			}
			if v, err = d.number(); err != nil {
				return nil, err
			}
		}

		// A value ends here: store it in its container, closing the
		// containers it completes, until one wants another value.
		for {
			n := len(d.frames)
			if n == 0 {
				d.skipSpace()
				if d.pos < len(data) {
					return nil, d.unexpected("after top-level value")
				}
				return v, nil
			}
			f := &d.frames[n-1]
			d.skipSpace()
			if f.obj != nil {
				if err := f.obj.Set(f.key, v); err != nil {
					return nil, err // cannot happen on an extensible ordinary object
				}
				if d.pos < len(data) && data[d.pos] == ',' {
					d.pos++
					d.skipSpace()
					if f.key, err = d.objectKey(); err != nil {
						return nil, err
					}
					break // to the next value
				}
				if d.pos < len(data) && data[d.pos] == '}' {
					d.pos++
					if err := f.obj.SetPrototype(d.objectProto); err != nil {
						return nil, err // cannot happen either
					}
					v = f.obj
					d.frames[n-1] = frame{}
					d.frames = d.frames[:n-1]
					continue
				}
				return nil, d.unexpected("after object key:value pair")
			}
			d.vals = append(d.vals, v)
			if d.pos < len(data) && data[d.pos] == ',' {
				d.pos++
				break // to the next value
			}
			if d.pos < len(data) && data[d.pos] == ']' {
				d.pos++
				elems := d.vals[f.start:]
				v = rt.NewArray(elems...)
				clear(elems)
				d.vals = d.vals[:f.start]
				d.frames = d.frames[:n-1]
				continue
			}
			return nil, d.unexpected("after array element")
		}
	}
}

// objectKey reads `"key" :` at d.pos (whitespace skipped before it), leaving
// d.pos after the colon.
func (d *decoder) objectKey() (string, error) {
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		return "", d.unexpected("looking for beginning of object key string")
	}
	raw, esc, ascii, err := d.scanString()
	if err != nil {
		return "", err
	}
	var key string
	if esc {
		key = d.unquote(raw)
	} else if !ascii && !utf8.Valid(raw) {
		key = d.unquote(raw)
	} else if len(raw) <= maxInternKey {
		key = d.lookup(raw).s
	} else {
		key = string(raw)
	}
	d.skipSpace()
	if d.pos >= len(d.data) || d.data[d.pos] != ':' {
		return "", d.unexpected("after object key")
	}
	d.pos++
	return key, nil
}

// stringValue reads the string at d.pos.
func (d *decoder) stringValue() (goja.Value, error) {
	raw, esc, ascii, err := d.scanString()
	if err != nil {
		return nil, err
	}
	switch {
	case esc || (!ascii && !utf8.Valid(raw)):
		return d.rt.ToValue(d.unquote(raw)), nil
	case !ascii:
		return d.rt.ToValue(string(raw)), nil
	case len(raw) > maxInternValue:
		return d.asciiValue(raw), nil
	}
	e := d.lookup(raw)
	if e.v == nil {
		e.v = d.asciiValue(raw)
	}
	return e.v, nil
}

// asciiValue makes the value of an ASCII string: goja.StringFromUTF16 makes
// the same immutable asciiString as goja's JSON.parse, in fewer allocations
// than rt.ToValue(string(raw)).
func (d *decoder) asciiValue(raw []byte) goja.Value {
	u := d.u16[:0]
	for _, c := range raw {
		u = append(u, uint16(c))
	}
	d.u16 = u
	return goja.StringFromUTF16(u)
}

// plain marks the bytes that may stand for themselves in a string: all but
// the quote, the backslash and the control characters.
var plain = func() (t [256]bool) {
	for c := ' '; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanString finds the end of the string whose opening quote is at d.pos and
// returns its raw contents, whether they hold escapes and whether they are
// all ASCII; d.pos is left after the closing quote.
func (d *decoder) scanString() (raw []byte, esc, ascii bool, err error) {
	data := d.data
	start := d.pos + 1
	i := start
	for {
		for i < len(data) && plain[data[i]] {
			i++
		}
		if i >= len(data) {
			d.pos = len(data)
			return nil, false, false, d.unexpected("")
		}
		switch c := data[i]; c {
		case '"':
			d.pos = i + 1
			raw = data[start:i]
			return raw, esc, isASCII(raw), nil
		case '\\':
			esc = true
			i++
			if i >= len(data) {
				d.pos = len(data)
				return nil, false, false, d.unexpected("")
			}
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				for j := 1; j <= 4; j++ {
					if i+j >= len(data) {
						d.pos = len(data)
						return nil, false, false, d.unexpected("")
					}
					if !isHex(data[i+j]) {
						d.pos = i + j
						return nil, false, false, d.unexpected("in \\u hexadecimal character escape")
					}
				}
				i += 5
			default:
				d.pos = i
				return nil, false, false, d.unexpected("in string escape code")
			}
		default: // a control character
			d.pos = i
			return nil, false, false, d.unexpected("in string literal")
		}
	}
}

// isASCII reports whether s is all ASCII, 8 bytes at a time.
func isASCII(s []byte) bool {
	for len(s) >= 8 {
		if binary.LittleEndian.Uint64(s)&0x8080808080808080 != 0 {
			return false
		}
		s = s[8:]
	}
	for _, c := range s {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func hexVal(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c <= '9':
			c -= '0'
		case c <= 'F':
			c -= 'A' - 10
		default:
			c -= 'a' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// unquote decodes the contents of a string already checked by scanString,
// as encoding/json does: a lone surrogate escape and an invalid UTF-8 byte
// each become U+FFFD.
func (d *decoder) unquote(s []byte) string {
	b := d.buf[:0]
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			switch e := s[r+1]; e {
			case 'u':
				rr := hexVal(s[r+2:])
				r += 6
				if utf16.IsSurrogate(rr) {
					if r+6 <= len(s) && s[r] == '\\' && s[r+1] == 'u' {
						if dec := utf16.DecodeRune(rr, hexVal(s[r+2:])); dec != utf8.RuneError {
							r += 6
							b = utf8.AppendRune(b, dec)
							break
						}
					}
					rr = utf8.RuneError
				}
				b = utf8.AppendRune(b, rr)
			default:
				r += 2
				switch e {
				case 'b':
					e = '\b'
				case 'f':
					e = '\f'
				case 'n':
					e = '\n'
				case 'r':
					e = '\r'
				case 't':
					e = '\t'
				}
				b = append(b, e)
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	d.buf = b
	return string(b)
}

func (d *decoder) literal(lit string) error {
	for i := 1; i < len(lit); i++ {
		p := d.pos + i
		if p >= len(d.data) {
			d.pos = len(d.data)
			return d.unexpected("")
		}
		if d.data[p] != lit[i] {
			d.pos = p
			return d.unexpected("in literal " + lit + " (expecting " + quoteByte(lit[i]) + ")")
		}
	}
	d.pos += len(lit)
	return nil
}

// number reads the number at d.pos.
func (d *decoder) number() (goja.Value, error) {
	data := d.data
	start := d.pos
	i := start
	neg := false
	if data[i] == '-' {
		neg = true
		i++
	}
	if i >= len(data) {
		d.pos = i
		return nil, d.unexpected("")
	}
	var n int64
	digits := 0
	switch c := data[i]; {
	case c == '0':
		i++
		digits = 1
	case '1' <= c && c <= '9':
		for ; i < len(data) && '0' <= data[i] && data[i] <= '9'; i++ {
			n = n*10 + int64(data[i]-'0')
			digits++
			if digits > 18 {
				n = 0 // too long for the fast path; keep scanning
			}
		}
	default:
		d.pos = i
		return nil, d.unexpected("in numeric literal")
	}
	isInt := true
	if i < len(data) && data[i] == '.' {
		isInt = false
		i++
		j := i
		for ; i < len(data) && '0' <= data[i] && data[i] <= '9'; i++ {
		}
		if i == j {
			d.pos = i
			return nil, d.unexpected("after decimal point in numeric literal")
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		isInt = false
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		j := i
		for ; i < len(data) && '0' <= data[i] && data[i] <= '9'; i++ {
		}
		if i == j {
			d.pos = i
			return nil, d.unexpected("in exponent of numeric literal")
		}
	}
	d.pos = i
	if isInt && digits <= 15 { // exact in a float64 and within ±2^53
		if neg {
			if n == 0 {
				return negZero, nil
			}
			n = -n
		} else if n < int64(len(smallInt)) {
			return smallInt[n], nil
		}
		return d.rt.ToValue(n), nil
	}
	f, err := strconv.ParseFloat(string(data[start:i]), 64)
	if err != nil && !math.IsInf(f, 0) { // ±Inf: out of range, as JSON.parse
		return nil, d.errorf(start, "invalid number %q", data[start:i])
	}
	return d.rt.ToValue(f), nil
}

package intercom

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/icscript/icscript/intercom/catalog"
)

// ExpandPath fills an operation's path template with params, in path order,
// each escaped with url.PathEscape, so that a value holding "/", "?", "#"
// or "%" stays one segment. Placeholders without a value are left as they
// are (callers check arity before). Callers refuse what escaping cannot
// make safe with CheckPathParam first: "." and ".." are not escaped by
// url.PathEscape, and a proxy that normalises paths would resolve them.
func ExpandPath(op *catalog.Operation, params []string) string {
	tmpl := op.Path
	if len(params) == 0 || strings.IndexByte(tmpl, '{') < 0 {
		return tmpl
	}
	var b strings.Builder
	b.Grow(len(tmpl) + 32)
	i := 0
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(tmpl[open:], '}')
		if end < 0 {
			break
		}
		end += open
		b.WriteString(tmpl[:open])
		if i < len(params) {
			b.WriteString(url.PathEscape(params[i]))
		} else {
			b.WriteString(tmpl[open : end+1])
		}
		i++
		tmpl = tmpl[end+1:]
	}
	b.WriteString(tmpl)
	return b.String()
}

// CheckPathParam refuses a path parameter value that no escaping keeps one
// segment of its own: empty, "." or "..". (RFC 3986 §6.2.2 lets a proxy
// decode %2E and then remove dot segments, so escaping dots is not enough.)
func CheckPathParam(v string) error {
	switch v {
	case "":
		return errors.New("must not be empty")
	case ".", "..":
		return fmt.Errorf("must not be %q: a proxy would read it as a path step", v)
	}
	return nil
}

// NormalizePath gives the path a server will route a raw request on, so that
// the catalogue can recognise it (and the guard, dry runs and the audit log
// name its operation): percent-encoded unreserved characters are decoded
// ("/%63ontacts" is "/contacts") and hex digits upper-cased. It refuses, with
// an error saying why, what servers and proxies read differently: an encoded
// "/" or "\" (%2F, %5C), a backslash, an empty segment ("//"), a "." or ".."
// segment (plain or encoded), an invalid escape, a fragment, and control
// characters. A query string ("?…") is kept as it is.
func NormalizePath(p string) (string, error) {
	path, query, hasQuery := strings.Cut(p, "?")
	if strings.IndexByte(path, '#') >= 0 || strings.IndexByte(query, '#') >= 0 {
		return "", errors.New("must not hold a fragment (#); escape it as %23")
	}
	if !strings.HasPrefix(path, "/") {
		return "", errors.New(`must start with /, e.g. "/contacts"`)
	}
	segs := strings.Split(path[1:], "/")
	for i, seg := range segs {
		if seg == "" && i < len(segs)-1 {
			return "", errors.New(`must not hold an empty segment ("//")`)
		}
		norm, err := normalizeSegment(seg)
		if err != nil {
			return "", err
		}
		segs[i] = norm
	}
	out := "/" + strings.Join(segs, "/")
	if hasQuery {
		out += "?" + query
	}
	return out, nil
}

func normalizeSegment(seg string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch {
		case c == '\\':
			return "", errors.New(`must not hold a backslash`)
		case c < 0x20 || c == 0x7f:
			return "", fmt.Errorf("must not hold the control character %q", c)
		case c != '%':
			b.WriteByte(c)
			continue
		}
		if i+2 >= len(seg) || !isHex(seg[i+1]) || !isHex(seg[i+2]) {
			return "", fmt.Errorf("holds an invalid escape %q", seg[i:min(i+3, len(seg))])
		}
		d := unhex(seg[i+1])<<4 | unhex(seg[i+2])
		switch {
		case d == '/' || d == '\\':
			return "", fmt.Errorf("must not hold an encoded %q (%s): servers differ on whether it splits the path", string(d), seg[i:i+3])
		case unreserved(d):
			b.WriteByte(d)
		default:
			b.WriteString(strings.ToUpper(seg[i : i+3]))
		}
		i += 2
	}
	if s := b.String(); s == "." || s == ".." {
		return "", fmt.Errorf("must not hold a %q segment: a server or proxy would read it as a path step", s)
	}
	return b.String(), nil
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

type route struct {
	segs     []string // "" for a parameter
	literals int
	op       *catalog.Operation
}

// routesOf holds each catalogue's routes by method, built on first use.
var routesOf sync.Map // *catalog.Catalog -> func() map[string][]route

func routesIn(cat *catalog.Catalog) map[string][]route {
	f, ok := routesOf.Load(cat)
	if !ok {
		f, _ = routesOf.LoadOrStore(cat, sync.OnceValue(func() map[string][]route { return buildRoutes(cat) }))
	}
	return f.(func() map[string][]route)()
}

func buildRoutes(cat *catalog.Catalog) map[string][]route {
	routes := make(map[string][]route)
	for _, op := range cat.Operations {
		segs := strings.Split(strings.Trim(op.Path, "/"), "/")
		r := route{segs: segs, op: op}
		for i, s := range segs {
			if strings.HasPrefix(s, "{") {
				segs[i] = ""
			} else {
				r.literals++
			}
		}
		routes[op.Method] = append(routes[op.Method], r)
	}
	return routes
}

// MatchOperation finds the catalogue operation of a method and an expanded
// path ("/contacts/abc/tags"), preferring literal segments over parameters
// ("/contacts/search" over "/contacts/{id}"); nil when none matches. A query
// string is ignored. It matches in API 2.10's catalogue; MatchOperationIn
// in another's.
func MatchOperation(method, path string) *catalog.Operation {
	return MatchOperationIn(catalog.MustFor(catalog.Default), method, path)
}

// MatchOperationIn is MatchOperation in a version's catalogue (2.10's when
// cat is nil).
func MatchOperationIn(cat *catalog.Catalog, method, path string) *catalog.Operation {
	if cat == nil {
		cat = catalog.MustFor(catalog.Default)
	}
	routes := routesIn(cat)
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	path = strings.Trim(path, "/")
	n := strings.Count(path, "/") + 1
	var best *route
	for i := range routes[strings.ToUpper(method)] {
		r := &routes[strings.ToUpper(method)][i]
		if len(r.segs) != n || (best != nil && r.literals <= best.literals) {
			continue
		}
		rest, ok := path, true
		for _, s := range r.segs {
			seg := rest
			if j := strings.IndexByte(rest, '/'); j >= 0 {
				seg, rest = rest[:j], rest[j+1:]
			} else {
				rest = ""
			}
			if s != "" && s != seg && s != unescape(seg) || s == "" && seg == "" {
				ok = false
				break
			}
		}
		if ok {
			best = r
		}
	}
	if best == nil {
		return nil
	}
	return best.op
}

// unescape decodes a path segment for comparison with a literal one; an
// invalid escape compares as it is.
func unescape(seg string) string {
	if strings.IndexByte(seg, '%') < 0 {
		return seg
	}
	if d, err := url.PathUnescape(seg); err == nil {
		return d
	}
	return seg
}

package sandbox

import (
	"sort"
	"strings"

	"github.com/icscript/icscript/intercom/catalog"
)

// route is one catalogue operation's path template, split into segments.
type route struct {
	op       *catalog.Operation
	segs     []string // a literal, or "" for a parameter
	names    []string // parameter name per segment, "" for literals
	literals int
}

// router finds the catalogue operation of a request. It is built from
// catalog.Operations only, so every operation of the description is routed.
type router struct {
	bySegs map[int][]route
}

func newRouter(ops []*catalog.Operation) *router {
	rt := &router{bySegs: map[int][]route{}}
	for _, op := range ops {
		r := route{op: op}
		for _, s := range splitPath(op.Path) {
			if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
				r.segs = append(r.segs, "")
				r.names = append(r.names, s[1:len(s)-1])
				continue
			}
			r.segs = append(r.segs, s)
			r.names = append(r.names, "")
			r.literals++
		}
		rt.bySegs[len(r.segs)] = append(rt.bySegs[len(r.segs)], r)
	}
	for _, rs := range rt.bySegs { // most literal first: /companies/scroll before /companies/{id}
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].literals > rs[j].literals })
	}
	return rt
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match returns the operation for method and path with its path parameters.
// With no operation, allowed lists the methods the path accepts (empty when
// the path is unknown).
func (rt *router) match(method, path string) (op *catalog.Operation, params map[string]string, allowed []string) {
	segs := splitPath(path)
	for _, r := range rt.bySegs[len(segs)] {
		if !r.matches(segs) {
			continue
		}
		if r.op.Method != method {
			if !contains(allowed, r.op.Method) {
				allowed = append(allowed, r.op.Method)
			}
			continue
		}
		params = make(map[string]string, len(r.names))
		for i, n := range r.names {
			if n != "" {
				params[n] = segs[i]
			}
		}
		return r.op, params, nil
	}
	sort.Strings(allowed)
	return nil, nil, allowed
}

// matchAll returns every operation for method whose template matches
// path, not only the most literal one.
func (rt *router) matchAll(method, path string) []*catalog.Operation {
	segs := splitPath(path)
	var out []*catalog.Operation
	for _, r := range rt.bySegs[len(segs)] {
		if r.op.Method == method && r.matches(segs) {
			out = append(out, r.op)
		}
	}
	return out
}

func (r *route) matches(segs []string) bool {
	for i, s := range r.segs {
		if s != "" && s != segs[i] {
			return false
		}
		if s == "" && segs[i] == "" {
			return false
		}
	}
	return true
}

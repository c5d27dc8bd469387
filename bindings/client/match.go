package client

import (
	"net/url"
	"strings"
	"sync"

	"github.com/icscript/icscript/bindings/catalog"
)

// ExpandPath fills an operation's path template with params, in path order,
// each escaped with url.PathEscape. Placeholders without a value are left as
// they are (callers check arity before).
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

type route struct {
	segs     []string // "" for a parameter
	literals int
	op       *catalog.Operation
}

var (
	routesOnce sync.Once
	routes     map[string][]route // by method
)

func buildRoutes() {
	routes = make(map[string][]route)
	for _, op := range catalog.Operations {
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
}

// MatchOperation finds the catalogue operation of a method and an expanded
// path ("/contacts/abc/tags"), preferring literal segments over parameters
// ("/contacts/search" over "/contacts/{id}"); nil when none matches. A query
// string is ignored.
func MatchOperation(method, path string) *catalog.Operation {
	routesOnce.Do(buildRoutes)
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
			if s != "" && s != seg || s == "" && seg == "" {
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

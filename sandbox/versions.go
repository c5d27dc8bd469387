package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/icscript/icscript/intercom/catalog"
)

// apiVersion is what the sandbox serves for one API version: the version's
// catalogue, a router over its operations, and for each operation how it is
// answered. It depends on the catalogue only, so it is built once per
// version (on the first request that asks for it) and shared by every
// Sandbox.
type apiVersion struct {
	cat    *catalog.Catalog
	routes *router
	served map[*catalog.Operation]served
	// By path shape (pathShape), for the generic handler: whether the
	// version has a POST on it, and the response schema of its GET that
	// lists (the first, in catalogue order).
	creates map[string]bool
	lists   map[string]*catalog.Schema
	// searches are the field sets of the version's searches, by the id of
	// the handler's operation (see searchFieldsOf).
	searches map[string]searchFields
}

// served is how one operation of a version is answered: by the 2.10 handler
// of the operation with the same method and path (base, its path parameters
// renamed to 2.10's), or, for an operation 2.10 lacks, by the generic
// resource handler (base nil).
type served struct {
	fn     handler
	base   *catalog.Operation
	rename map[string]string // the version's path parameter name -> 2.10's
	shaped bool              // fn answers in the version's shape (the generic handler)
}

type loadedVersion struct {
	once sync.Once
	v    *apiVersion
	err  error
}

var apiVersions = new(sync.Map) // version -> *loadedVersion

// versionOf returns what the sandbox serves for API version v; an unknown
// version is an error.
func versionOf(v string) (*apiVersion, error) {
	if !catalog.Known(v) {
		return nil, fmt.Errorf("unknown API version %q", v)
	}
	x, _ := apiVersions.LoadOrStore(v, &loadedVersion{})
	l := x.(*loadedVersion)
	l.once.Do(func() {
		cat, err := catalog.For(v)
		if err != nil {
			l.err = err
			return
		}
		l.v = newAPIVersion(cat)
	})
	return l.v, l.err
}

func newAPIVersion(cat *catalog.Catalog) *apiVersion {
	av := &apiVersion{cat: cat, routes: newRouter(cat.Operations), served: map[*catalog.Operation]served{},
		creates: map[string]bool{}, lists: map[string]*catalog.Schema{}}
	for _, op := range cat.Operations {
		shape := catalog.PathShape(op.Path)
		switch {
		case op.Method == http.MethodPost:
			av.creates[shape] = true
		case op.Method == http.MethodGet && op.Response != "" && av.lists[shape] == nil:
			if s := cat.Schemas[op.Response]; itemsOf(cat, s) != nil {
				av.lists[shape] = s
			}
		}
	}
	base := map[string]*catalog.Operation{}
	for _, op := range operations() {
		base[op.Method+" "+catalog.PathShape(op.Path)] = op
	}
	for _, op := range cat.Operations {
		b := base[op.Method+" "+catalog.PathShape(op.Path)]
		if b == nil || handlers[b.ID] == nil {
			sv := served{fn: handlers[op.ID]}
			if sv.fn == nil || catalog.ByID(op.ID) != nil { // a 2.10 id on another path is not its 2.10 handler's
				sv = served{fn: hGeneric, shaped: true}
			}
			av.served[op] = sv
			continue
		}
		sv := served{fn: handlers[b.ID], base: b}
		if b != op {
			sv.rename = renameParams(op.Path, b.Path)
		}
		av.served[op] = sv
	}
	av.searches = searchFieldsOf(av)
	return av
}

// renameParams maps the path parameters of template from to those of
// template to at the same positions.
func renameParams(from, to string) map[string]string {
	out := map[string]string{}
	a, b := splitPath(from), splitPath(to)
	for i := range a {
		if i < len(b) && strings.HasPrefix(a[i], "{") && a[i] != b[i] {
			out[strings.Trim(a[i], "{}")] = strings.Trim(b[i], "{}")
		}
	}
	return out
}

// requestVersion is the API version a request asks for in Intercom-Version;
// without one the sandbox answers as catalog.Default.
func requestVersion(r *http.Request) (*apiVersion, *apiError) {
	v := r.Header.Get("Intercom-Version")
	if v == "" {
		v = catalog.Default
	}
	if !versionRE.MatchString(v) {
		return nil, newError(http.StatusBadRequest, codeVersionInvalid, fmt.Sprintf(msgVersionInvalid, v, strings.Join(catalog.Versions(), ", ")))
	}
	av, err := versionOf(v)
	if err != nil {
		return nil, newError(http.StatusBadRequest, codeVersionInvalid, fmt.Sprintf(msgVersionUnknown, v, strings.Join(catalog.Versions(), ", ")))
	}
	return av, nil
}

// routeError answers a request no operation of av matches: 405 when the
// path takes other methods, else 404 naming the versions that have the
// operation, if any does.
func (av *apiVersion) routeError(r *http.Request, allowed []string) *apiError {
	if len(allowed) > 0 {
		return newError(http.StatusMethodNotAllowed, codeMethodNotAllowed, fmt.Sprintf(msgMethodNotAllowed, r.URL.Path, r.Method, strings.Join(allowed, ", ")))
	}
	var having []string
	for _, v := range otherRoutes().versionsOf(r.Method, r.URL.Path) {
		if v != av.cat.Version {
			having = append(having, v)
		}
	}
	if len(having) > 0 {
		return newError(http.StatusNotFound, codeNotFound, fmt.Sprintf(msgRouteInOthers, r.Method, r.URL.Path, av.cat.Version, catalog.Span(having)))
	}
	return newError(http.StatusNotFound, codeNotFound, fmt.Sprintf(msgNoRoute, r.Method, r.URL.Path, av.cat.Version, len(av.cat.Operations)))
}

// otherRoutes routes the requests no operation of their version matches
// to the versions that have one, from the catalogue's table of every
// version's routes: it decodes no catalogue.
var otherRoutes = sync.OnceValue(func() *versionRoutes {
	rs := catalog.Routes()
	vr := &versionRoutes{versions: map[*catalog.Operation][]string{}}
	ops := make([]*catalog.Operation, len(rs))
	for i, r := range rs {
		ops[i] = &catalog.Operation{Method: r.Method, Path: r.Path}
		vr.versions[ops[i]] = r.Versions
	}
	vr.router = newRouter(ops)
	return vr
})

// versionRoutes is a router over every version's routes.
type versionRoutes struct {
	router   *router
	versions map[*catalog.Operation][]string
}

// versionsOf lists the versions with an operation that matches method and
// path, oldest first.
func (vr *versionRoutes) versionsOf(method, path string) []string {
	have := map[string]bool{}
	for _, op := range vr.router.matchAll(method, path) {
		for _, v := range vr.versions[op] {
			have[v] = true
		}
	}
	var out []string
	for _, v := range catalog.Versions() {
		if have[v] {
			out = append(out, v)
		}
	}
	return out
}

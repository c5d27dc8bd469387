package catalog

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Default is the API version a script uses unless it pins another: the one
// icscript was first built for, so that a script keeps its meaning.
const Default = "2.10"

// Catalog is the catalogue of one API version.
type Catalog struct {
	Version    string
	Operations []*Operation       // in the description's order
	Schemas    map[string]*Schema // component schemas, by name
	byID, byJS map[string]*Operation
}

// versions lists every API version with a catalogue, oldest first;
// calls has, for every call ("contacts.find") of any version, the
// versions that have it as bits (1<<i for versions[i]), so that naming them
// decodes no catalogue; routes the same for every route ("GET
// /admins/{}/away": the method and PathShape). All are filled by
// catalog_gen.go.
var (
	versions []string
	calls    []callVersions // sorted by name
	routes   []callVersions // sorted by name
)

// callVersions is one call (or route) and the versions that have it.
type callVersions struct {
	name     string
	versions uint64
}

// namedSchema is one component schema of catalog_gen.go's list.
type namedSchema struct {
	name   string
	schema *Schema
}

// versionFiles holds the later versions, written by internal/gen.
//
//go:embed versions
var versionFiles embed.FS

// encoded is the form of a versions/*.json.gz file.
type encoded struct {
	Operations []*Operation
	Schemas    map[string]*Schema
}

var (
	catalogs   sync.Map // version -> *loaded
	defaultOne = sync.OnceValue(func() *Catalog { return newCatalog(Default, Operations, Schemas) })
)

type loaded struct {
	once sync.Once
	c    *Catalog
	err  error
}

func defaultCatalog() *Catalog { return defaultOne() }

// Versions lists every API version with a catalogue, oldest first.
func Versions() []string { return slices.Clone(versions) }

// Newest is the latest API version with a catalogue.
func Newest() string { return versions[len(versions)-1] }

// Known reports whether v is a version with a catalogue.
func Known(v string) bool { return slices.Contains(versions, v) }

// For returns the catalogue of API version v, decoding it on first use. An
// unknown version is an error listing the known ones.
func For(v string) (*Catalog, error) {
	if v == Default {
		return defaultCatalog(), nil
	}
	if !Known(v) {
		return nil, fmt.Errorf("unknown API version %q: icscript knows %s", v, strings.Join(versions, ", "))
	}
	x, _ := catalogs.LoadOrStore(v, &loaded{})
	l := x.(*loaded)
	l.once.Do(func() { l.c, l.err = decode(v) })
	return l.c, l.err
}

// MustFor is For for a version known to be valid (Known or from Versions).
func MustFor(v string) *Catalog {
	c, err := For(v)
	if err != nil {
		panic(err)
	}
	return c
}

func decode(v string) (*Catalog, error) {
	data, err := versionFiles.ReadFile("versions/" + v + ".json.gz")
	if err != nil {
		return nil, fmt.Errorf("catalogue of API %s: %w", v, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("catalogue of API %s: %w", v, err)
	}
	var e encoded
	if err := json.NewDecoder(zr).Decode(&e); err != nil {
		return nil, fmt.Errorf("catalogue of API %s: %w", v, err)
	}
	c := newCatalog(v, e.Operations, e.Schemas)
	for _, s := range c.Schemas {
		c.link(s)
	}
	for _, op := range c.Operations {
		c.link(op.Body)
		for _, q := range op.Query {
			c.link(q.Schema)
		}
	}
	return c, nil
}

// link resolves every reference in s to this catalogue's schemas, so that
// Lookup resolves them in this version whoever calls it; a dangling one
// stands for any value.
func (c *Catalog) link(s *Schema) {
	if s == nil {
		return
	}
	if s.Ref != "" {
		if s.target = c.Schemas[s.Ref]; s.target == nil {
			s.target = &Schema{}
		}
	}
	c.link(s.Items)
	c.link(s.MapOf)
	for _, p := range s.Properties {
		c.link(p.Schema)
	}
	for _, g := range [][]*Schema{s.OneOf, s.AnyOf, s.AllOf} {
		for _, x := range g {
			c.link(x)
		}
	}
}

func newCatalog(v string, ops []*Operation, schemas map[string]*Schema) *Catalog {
	c := &Catalog{Version: v, Operations: ops, Schemas: schemas,
		byID: make(map[string]*Operation, len(ops)), byJS: make(map[string]*Operation, len(ops))}
	for _, op := range ops {
		op.cat = c
		c.byID[op.ID] = op
		c.byJS[op.JSName()] = op
	}
	return c
}

// ByID finds an operation by its operationId.
func (c *Catalog) ByID(id string) *Operation { return c.byID[id] }

// ByJSName finds an operation by "namespace.method".
func (c *Catalog) ByJSName(name string) *Operation { return c.byJS[name] }

// Lookup resolves a schema reference to its definition in this version;
// other schemas are returned as they are. A dangling reference stands for
// any value.
func (c *Catalog) Lookup(s *Schema) *Schema {
	for s != nil && s.Ref != "" {
		if s.target != nil {
			s = s.target
			continue
		}
		next, ok := c.Schemas[s.Ref]
		if !ok {
			return &Schema{}
		}
		s = next
	}
	return s
}

// Namespaces lists every JS namespace, sorted, including parents of nested
// ones ("helpCenters" for "helpCenters.collections").
func (c *Catalog) Namespaces() []string {
	seen := map[string]bool{}
	for _, op := range c.Operations {
		parts := strings.Split(op.Namespace, ".")
		for i := range parts {
			seen[strings.Join(parts[:i+1], ".")] = true
		}
	}
	out := make([]string, 0, len(seen))
	for ns := range seen {
		out = append(out, ns)
	}
	sort.Strings(out)
	return out
}

// InNamespace lists the operations directly in a namespace, sorted by name.
func (c *Catalog) InNamespace(ns string) []*Operation {
	var out []*Operation
	for _, op := range c.Operations {
		if op.Namespace == ns {
			out = append(out, op)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Having lists the versions whose catalogue has the call "namespace.method",
// oldest first.
func Having(jsName string) []string {
	var bits uint64
	if i, ok := slices.BinarySearchFunc(calls, jsName, func(c callVersions, name string) int { return strings.Compare(c.name, name) }); ok {
		bits = calls[i].versions
	}
	return bitsVersions(bits)
}

// bitsVersions lists the versions of a set of bits, oldest first.
func bitsVersions(bits uint64) []string {
	var out []string
	for i, v := range versions {
		if bits&(1<<i) != 0 {
			out = append(out, v)
		}
	}
	return out
}

// Route is one route of any version: its method, its path template with
// the parameters unnamed (PathShape), and the versions that have an
// operation on it, oldest first.
type Route struct {
	Method, Path string
	Versions     []string
}

// Routes lists the routes of every version, by method then path, without
// decoding any catalogue. The slice is shared: do not modify it.
func Routes() []Route { return allRoutes() }

var allRoutes = sync.OnceValue(func() []Route {
	out := make([]Route, len(routes))
	for i, r := range routes {
		method, path, _ := strings.Cut(r.name, " ")
		out[i] = Route{Method: method, Path: path, Versions: bitsVersions(r.versions)}
	}
	return out
})

// PathShape is a path template with its parameters unnamed:
// "/admins/{admin_id}/away" and "/admins/{id}/away" are both
// "/admins/{}/away", the same route in two versions.
func PathShape(p string) string {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			segs[i] = "{}"
		}
	}
	return "/" + strings.Join(segs, "/")
}

// Calls lists every call ("contacts.find") of any version, sorted. The
// slice is shared: do not modify it.
func Calls() []string { return allCalls() }

var allCalls = sync.OnceValue(func() []string {
	names := make([]string, len(calls))
	for i, c := range calls {
		names[i] = c.name
	}
	return names
})

// Span writes a list of versions as ranges of consecutive known versions:
// "2.13–2.16", "2.10–2.11, 2.14".
func Span(vs []string) string {
	var parts []string
	for i := 0; i < len(vs); {
		j := i
		for j+1 < len(vs) && slices.Index(versions, vs[j+1]) == slices.Index(versions, vs[j])+1 {
			j++
		}
		if j == i {
			parts = append(parts, vs[i])
		} else {
			parts = append(parts, vs[i]+"–"+vs[j])
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// NotInVersion is the error message for a call ("contacts.find") that
// version v lacks: the versions that have it, then pick(newest of them),
// the caller's advice on using that version (none when pick is nil); or
// that no version has it.
func NotInVersion(v, jsName string, pick func(version string) string) string {
	have := Having(jsName)
	if len(have) == 0 {
		return fmt.Sprintf("intercom.%s is not an operation of any API version icscript knows (%s)", jsName, strings.Join(versions, ", "))
	}
	msg := fmt.Sprintf("intercom.%s is not in API %s; it is in %s", jsName, v, Span(have))
	if pick != nil {
		msg += ": " + pick(have[len(have)-1])
	}
	return msg
}

// CompareVersions orders API versions by number: "2.9" < "2.10" < "2.16"
// (a plain string comparison puts 2.10 first); it returns a negative
// number, zero or a positive number as a is before, equal to or after b.
func CompareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, errx := strconv.Atoi(pa[i])
		y, erry := strconv.Atoi(pb[i])
		if errx != nil || erry != nil {
			if c := strings.Compare(pa[i], pb[i]); c != 0 {
				return c
			}
			continue
		}
		if x != y {
			return x - y
		}
	}
	return len(pa) - len(pb)
}

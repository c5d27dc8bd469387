package sandbox_test

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/icscript/icscript/internal/lazyregexp"
	"github.com/icscript/icscript/internal/testsupport"
	"github.com/icscript/icscript/sandbox"
)

// The searches of the sandbox and their paths.
var searchPaths = map[string]string{
	"SearchContacts": "/contacts/search", "searchConversations": "/conversations/search", "searchTickets": "/tickets/search",
}

// describedSearch is what one version's description says of one search:
// the rows of its "Accepted Fields" table (field → the type's first word;
// a family as its name with "x" for the placeholder: "custom_attributes.x"),
// the "Valid Types" cell of each row of its "Accepted Operators" table, and
// the fields the prose restricts to = and !=.
type describedSearch struct {
	fields   map[string]string
	families map[string]bool
	validFor map[string]string
	eqOnly   map[string]bool
}

var (
	fieldRow    = lazyregexp.New(`(?m)^\s*\|\s*([a-z_.]+(?:\.\{[a-z_]+\})?)\s*\|\s*([^|]+?)\s*\|`)
	operatorRow = lazyregexp.New(`(?m)^\s*\|\s*(!?[=~]|IN|NIN|[<>]=?|\^|\$)\s*\|\s*([^|]+?)\s*\|`)
	eqOnlyProse = lazyregexp.New("Searching by `([a-z_]+)` supports only the `=` and `!=` operators")
)

// describedSearches reads version v's description (not the catalogue).
func describedSearches(t *testing.T, v string) map[string]describedSearch {
	t.Helper()
	data, err := os.ReadFile(testsupport.DescriptionOf(t, v))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]describedSearch{}
	for id, path := range searchPaths {
		op, _ := doc.Paths[path]["post"].(map[string]any)
		desc, _ := op["description"].(string)
		if got, _ := op["operationId"].(string); got != id || desc == "" {
			t.Fatalf("%s: no POST %s %s with a description", v, path, id)
		}
		ds := describedSearch{fields: map[string]string{}, families: map[string]bool{}, validFor: map[string]string{}, eqOnly: map[string]bool{}}
		for _, r := range fieldRow.FindAllStringSubmatch(section(desc, "### Accepted Fields"), -1) {
			name, typ := r[1], strings.Fields(strings.ReplaceAll(r[2], "<br>", " "))[0]
			if family, _, ok := strings.Cut(name, ".{"); ok {
				ds.families[family+".x"] = true
				continue
			}
			ds.fields[name] = typ
		}
		for _, r := range operatorRow.FindAllStringSubmatch(section(desc, "### Accepted Operators"), -1) {
			ds.validFor[r[1]] = r[2]
		}
		for _, r := range eqOnlyProse.FindAllStringSubmatch(desc, -1) {
			ds.eqOnly[r[1]] = true
		}
		if len(ds.fields) < 10 || ds.validFor["~"] == "" || ds.validFor[">"] == "" {
			t.Fatalf("%s %s: read %d fields and the operators %v from the description", v, id, len(ds.fields), ds.validFor)
		}
		out[id] = ds
	}
	return out
}

// section is the text after heading, up to the next heading of any level.
func section(desc, heading string) string {
	i := strings.Index(desc, heading)
	if i < 0 {
		return ""
	}
	rest := desc[i+len(heading):]
	if j := strings.Index(rest, "\n#"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// takes reports whether the description gives operator o to a field
// (name, typ): its "Valid Types" cell names the type, or is "All" not
// excepting it.
func (ds describedSearch) takes(o, name, typ string) bool {
	if ds.eqOnly[name] {
		return o == "=" || o == "!="
	}
	cell := ds.validFor[o]
	if rest, ok := strings.CutPrefix(cell, "All"); ok {
		_, except, _ := strings.Cut(rest, "except")
		return !slices.Contains(strings.Fields(strings.ReplaceAll(except, ",", " ")), typ) &&
			!slices.Contains(strings.Fields(strings.ReplaceAll(except, ",", " ")), name)
	}
	return slices.Contains(strings.Fields(strings.ReplaceAll(cell, "<br>", " ")), typ)
}

// sample is a value of a described type, and one the type refuses.
func sample(typ string) (good, bad any) {
	switch typ {
	case "Integer":
		return 1, "x"
	case "Date":
		return 1577836800, "x"
	case "Boolean":
		return true, "x"
	}
	return "x", true
}

// TestSearchFieldsFollowEachDescription asks the sandbox over HTTP, in
// every described version, to search by each field of each search's
// "Accepted Fields" table: it accepts a value of the field's type and
// refuses one of another; it accepts ~ and > where the "Accepted
// Operators" table gives them to the field's type (and the prose does not
// restrict the field) and refuses them elsewhere; and a field another
// version's table lists but this one's does not is refused exactly as an
// unknown field is.
func TestSearchFieldsFollowEachDescription(t *testing.T) {
	base := start(t, sandbox.Options{Seed: 7, Contacts: 20, Companies: 5, Conversations: 20})
	versions := testsupport.DescribedVersions(t)
	described := map[string]map[string]describedSearch{}
	everField := map[string]map[string]bool{} // search → the fields of any version
	for _, v := range versions {
		described[v] = describedSearches(t, v)
		for id, ds := range described[v] {
			if everField[id] == nil {
				everField[id] = map[string]bool{}
			}
			for f := range ds.fields {
				everField[id][f] = true
			}
		}
	}
	for _, v := range versions {
		c := *base
		c.version = v
		for id, ds := range described[v] {
			path := searchPaths[id]
			search := func(field, op string, value any) *response {
				return c.do("POST", path, obj{"query": eq(field, op, value), "pagination": obj{"per_page": 1}})
			}
			for name, typ := range ds.fields {
				good, bad := sample(typ)
				if r := search(name, "=", good); r.status != 200 {
					t.Errorf("%s %s: %s (%s) = %v: %s", v, id, name, typ, good, r)
				}
				if r := search(name, "=", bad); r.status != 400 || r.errorCode() != "parameter_invalid" {
					t.Errorf("%s %s: %s (%s) = %#v is accepted: %s", v, id, name, typ, bad, r)
				}
				for _, o := range []string{"~", ">"} {
					value := any("1")
					if typ == "Integer" || typ == "Date" {
						value = 1
					}
					r := search(name, o, value)
					if want := ds.takes(o, name, typ); want != (r.status == 200) {
						t.Errorf("%s %s: %s (%s) %s %v: the description gives the operator: %v; got %s", v, id, name, typ, o, value, want, r)
					}
				}
			}
			for family := range ds.families {
				if r := search(family, "=", "x"); r.status != 200 {
					t.Errorf("%s %s: %s = x: %s", v, id, family, r)
				}
			}
			unknown := search("no_such_field", "=", "x")
			if unknown.status != 400 || !strings.Contains(string(unknown.raw), "no_such_field") {
				t.Fatalf("%s %s: an unknown field: %s", v, id, unknown)
			}
			for name := range everField[id] {
				if _, ok := ds.fields[name]; ok {
					continue
				}
				want := strings.ReplaceAll(string(unknown.raw), "no_such_field", name)
				if r := search(name, "=", "x"); r.status != 400 || stripRequestID(string(r.raw)) != stripRequestID(want) {
					t.Errorf("%s %s: %s, which %s's table does not list: %s; want as an unknown field: %s", v, id, name, v, r, want)
				}
			}
		}
	}
}

// requestIDs differ between answers.
var requestID = lazyregexp.New(`"request_id":"[^"]*"`)

func stripRequestID(s string) string { return requestID.ReplaceAllString(s, "") }

// TestSearchContactsByTheVersionsFields: in each version, a contact search
// by the fields whose table rows change between versions finds what the
// records hold: formatted_phone where the table lists it (the phone), and
// owner_id as the table types it — a string that ~ matches within, or an
// integer that ~ is refused on.
func TestSearchContactsByTheVersionsFields(t *testing.T) {
	base := start(t, testOptions())
	contacts := base.allContacts()
	var phone string
	owners := map[int64][]string{}
	for _, r := range contacts {
		if phone == "" && s(r["phone"]) != "" {
			phone = s(r["phone"])
		}
		if o := n(r["owner_id"]); o != 0 {
			owners[o] = append(owners[o], s(r["id"]))
		}
	}
	var owner int64
	for o, ids := range owners {
		if len(ids) > len(owners[owner]) {
			owner = o
		}
	}
	if phone == "" || owner == 0 {
		t.Fatalf("no seeded contact with a phone (%q) or an owner (%d)", phone, owner)
	}
	ownerStr := fmt.Sprint(owner)
	sort.Strings(owners[owner])
	versions, phoneVersions := testsupport.DescribedVersions(t), 0
	for _, v := range versions {
		ds := describedSearches(t, v)["SearchContacts"]
		c := *base
		c.version = v
		t.Run(v, func(t *testing.T) {
			c.t = t
			if _, ok := ds.fields["formatted_phone"]; ok {
				phoneVersions++
				var want []string
				for _, r := range contacts {
					if s(r["phone"]) == phone {
						want = append(want, s(r["id"]))
					}
				}
				if got := c.searchAll("/contacts/search", "data", eq("formatted_phone", "=", phone), 50); !slices.Equal(got, want) {
					t.Errorf("formatted_phone = %s: %v, want %v", phone, got, want)
				}
			} else if r := c.do("POST", "/contacts/search", obj{"query": eq("formatted_phone", "=", phone)}); r.status != 400 ||
				!strings.Contains(string(r.raw), `\"formatted_phone\" is not a searchable field for contacts`) {
				t.Errorf("formatted_phone, which %s's table does not list: %s", v, r)
			}

			switch typ := ds.fields["owner_id"]; typ {
			case "String":
				if got := c.searchAll("/contacts/search", "data", eq("owner_id", "=", ownerStr), 50); !slices.Equal(got, owners[owner]) {
					t.Errorf("owner_id = %q: %v, want %v", ownerStr, got, owners[owner])
				}
				sub := ownerStr[1 : len(ownerStr)-1]
				var want []string
				for _, r := range contacts {
					if o := n(r["owner_id"]); o != 0 && strings.Contains(fmt.Sprint(o), sub) {
						want = append(want, s(r["id"]))
					}
				}
				if got := c.searchAll("/contacts/search", "data", eq("owner_id", "~", sub), 50); len(want) == 0 || !slices.Equal(got, want) {
					t.Errorf("owner_id ~ %q: %v, want %v", sub, got, want)
				}
				if r := c.do("POST", "/contacts/search", obj{"query": eq("owner_id", "=", "not a number")}); r.status != 200 || n(r.body["total_count"]) != 0 {
					t.Errorf("owner_id = a string: %s", r)
				}
			case "Integer":
				if got := c.searchAll("/contacts/search", "data", eq("owner_id", "=", owner), 50); !slices.Equal(got, owners[owner]) {
					t.Errorf("owner_id = %d: %v, want %v", owner, got, owners[owner])
				}
				for _, q := range []obj{eq("owner_id", "~", ownerStr), eq("owner_id", "=", "not a number")} {
					if r := c.do("POST", "/contacts/search", obj{"query": q}); r.status != 400 || r.errorCode() != "parameter_invalid" {
						t.Errorf("%v on an Integer owner_id: %s", q, r)
					}
				}
			default:
				t.Fatalf("%s's table types owner_id %q", v, typ)
			}
		})
	}
	if phoneVersions == 0 {
		t.Error("no description lists formatted_phone: the test tests nothing of it")
	}
}

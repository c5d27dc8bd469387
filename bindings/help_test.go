package bindings

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/testsupport"
)

// described is an operation as the OpenAPI description of a version has it.
type described struct {
	method, path string
	op           *openapi3.Operation
}

func describedOp(t *testing.T, version, id string) described {
	t.Helper()
	for path, item := range testsupport.LoadDescription(t, version).Doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == id {
				return described{method, path, op}
			}
		}
	}
	t.Fatalf("no operation %s in the %s description", id, version)
	return described{}
}

// route is the help's line of the route, from the description.
func (d described) route() string {
	return fmt.Sprintf("  %s %s   (operationId %s)\n", d.method, d.path, d.op.OperationID)
}

// query is the help's line of the query parameters, in the description's order.
func (d described) query() string {
	var list []string
	for _, p := range d.op.Parameters {
		if p.Value.In != "query" {
			continue
		}
		s := p.Value.Name + " (" + p.Value.Schema.Value.Type.Slice()[0]
		if p.Value.Required {
			s += ", required"
		}
		list = append(list, s+")")
	}
	return "  query: " + strings.Join(list, ", ") + "\n"
}

// pagedItems is the array member of the 200 response: what a Pager yields.
func (d described) pagedItems(t *testing.T) string {
	t.Helper()
	for name, p := range d.op.Responses.Value("200").Value.Content.Get("application/json").Schema.Value.Properties {
		if p.Value.Type.Is("array") {
			return name
		}
	}
	t.Fatalf("%s: no array in the 200 response", d.op.OperationID)
	return ""
}

// pagerHeading is how the help of a paged list without path parameters
// begins: its call, the description's summary and route, and the Pager's
// items.
func (d described) pagerHeading(t *testing.T, op *catalog.Operation) []string {
	return []string{
		"intercom." + op.JSName() + "(fields) — " + d.op.Summary + "\n" + d.route(),
		fmt.Sprintf("  returns a Pager over %q", d.pagedItems(t)),
	}
}

func mustContain(t *testing.T, what, help string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(help, w) {
			t.Errorf("%s: the help lacks %q:\n%s", what, w, help)
		}
	}
}

// TestHelp checks the help of one operation of each kind against the
// description: a list, a search, a create with enum fields, a verb, and
// an operation only later versions have.
func TestHelp(t *testing.T) {
	t.Run("list", func(t *testing.T) {
		d := describedOp(t, "2.10", "ListContacts")
		op := catalog.MustFor("2.10").ByID("ListContacts")
		help := Help(op)
		mustContain(t, "list", help, d.pagerHeading(t, op)...)
		mustContain(t, "list", help, "  read-only\n", "intercom."+op.JSName()+"().first(3)")
	})

	t.Run("search", func(t *testing.T) {
		d := describedOp(t, "2.10", "SearchContacts")
		op := catalog.MustFor("2.10").ByID("SearchContacts")
		help := Help(op)
		mustContain(t, "search", help, d.route(), "  searchable fields (query: {field, operator, value}):\n",
			`intercom.contacts.search({query: {field: "created_at", operator: ">", value: 1700000000}}).first(3)`)
		// Every row of the description's "Accepted Fields" table is listed
		// with its type.
		table := d.op.Description[strings.Index(d.op.Description, "### Accepted Fields"):]
		rows := regexp.MustCompile(`(?m)^\| ([a-z_.]+)\s+\| (String|Integer|Boolean|Date)`).FindAllStringSubmatch(table, -1)
		if len(rows) < 20 {
			t.Fatalf("only %d accepted fields read from the description", len(rows))
		}
		for _, r := range rows {
			line := regexp.MustCompile(`(?m)^    ` + regexp.QuoteMeta(r[1]) + `\s+` + r[2] + `\b`)
			if !line.MatchString(help) {
				t.Errorf("search: no searchable field %s of type %s:\n%s", r[1], r[2], help)
			}
		}
	})

	t.Run("create with enums", func(t *testing.T) {
		d := describedOp(t, "2.10", "createDataAttribute")
		op := catalog.MustFor("2.10").ByID("createDataAttribute")
		help := Help(op)
		schema := d.op.RequestBody.Value.Content.Get("application/json").Schema.Value
		var want []string
		for name, p := range schema.Properties {
			typ := p.Value.Type.Slice()[0]
			switch {
			case len(p.Value.Enum) > 0:
				var quoted []string
				for _, e := range p.Value.Enum {
					quoted = append(quoted, fmt.Sprintf("%q", e))
				}
				typ = strings.Join(quoted, " | ")
			case typ == "array":
				typ = "array of " + p.Value.Items.Value.Type.Slice()[0]
			}
			item := name + " (" + typ
			for _, r := range schema.Required {
				if r == name {
					item += ", required"
				}
			}
			want = append(want, item+")")
		}
		if len(want) < 6 || !strings.Contains(strings.Join(want, " "), `"contact" | "company", required`) {
			t.Fatalf("the description's body fields are not as expected: %q", want)
		}
		body := regexp.MustCompile(`(?m)^  body: .*$`).FindString(help)
		mustContain(t, "create", body, want...)
		if n := strings.Count(body, "), ") + 1; n != len(want) {
			t.Errorf("create: %d body fields, the description has %d: %s", n, len(want), body)
		}
		mustContain(t, "create", help, d.route(), "  changes data (--dry-run prints it instead)\n")
	})

	t.Run("verb", func(t *testing.T) {
		for _, v := range []string{"2.10", "2.16"} {
			d := describedOp(t, v, "manageConversation")
			cat := catalog.MustFor(v)
			help := VerbByName("conversations.close").Help(cat)
			mustContain(t, "verb of "+v, help,
				"intercom.conversations.close(id, body?) — ",
				fmt.Sprintf("  a verb over intercom.%s(%s): %s %s   (operationId %s)\n", cat.ByID("manageConversation").JSName(), Signature(cat.ByID("manageConversation")), d.method, d.path, d.op.OperationID),
				`await intercom.conversations.close("<id>")`)
			if got, ok := Describe(cat, "conversations.close"); !ok || got != help {
				t.Errorf("Describe(%s, conversations.close) = %q, %v", v, got, ok)
			}
		}
	})

	t.Run("only in later versions", func(t *testing.T) {
		for _, id := range []string{"listCalls"} {
			for path, item := range testsupport.LoadDescription(t, "2.10").Doc.Paths.Map() {
				for _, op := range item.Operations() {
					if op.OperationID == id {
						t.Fatalf("%s is in 2.10's description (%s): pick an operation 2.10 lacks", id, path)
					}
				}
			}
		}
		d := describedOp(t, "2.16", "listCalls")
		op := catalog.MustFor("2.16").ByID("listCalls")
		help := Help(op)
		mustContain(t, "2.16's listCalls", help, append(d.pagerHeading(t, op), d.query())...)
		if got, ok := Describe(catalog.MustFor("2.16"), op.JSName()); !ok || got != help {
			t.Errorf("Describe(2.16, %s) = %q, %v", op.JSName(), got, ok)
		}
		if got, ok := Describe(catalog.MustFor("2.10"), op.JSName()); ok {
			t.Errorf("Describe(2.10, %s) describes it: %q", op.JSName(), got)
		}
	})
}

// TestDescribeNamespace: a namespace's help lists its operations and
// verbs, and a parent namespace its children.
func TestDescribeNamespace(t *testing.T) {
	cat := catalog.MustFor("2.10")
	help, ok := Describe(cat, "conversations")
	if !ok {
		t.Fatal("no help of conversations")
	}
	d := describedOp(t, "2.10", "manageConversation")
	mustContain(t, "conversations", help, "intercom.conversations\n",
		fmt.Sprintf("  intercom.conversations.manage(id, fields)  %s %s  %s\n", d.method, d.path, d.op.Summary),
		"  intercom.conversations.snooze(id, until)  ")
	help, ok = Describe(cat, "helpCenters")
	mustContain(t, "helpCenters", help, "  intercom.helpCenters.collections.…\n")
	if !ok {
		t.Error("no help of helpCenters")
	}
	if _, ok := Describe(cat, "contactz"); ok {
		t.Error("Describe(contactz) describes something")
	}
}

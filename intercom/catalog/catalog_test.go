package catalog_test

import (
	"bufio"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/testsupport"
)

func sharedFile(t *testing.T, name string) string { return testsupport.SharedFile(t, name) }

func TestEveryOperationOfTheDescription(t *testing.T) {
	n := 0
	for _, op := range testsupport.DescribedOperations(t) {
		n++
		got := catalog.ByID(op.ID)
		if got == nil {
			t.Errorf("%s missing from the catalogue", op.ID)
			continue
		}
		if got.Path != op.Path || got.Method != op.Method {
			t.Errorf("%s: catalogue has %s %s, description %s %s", op.ID, got.Method, got.Path, op.Method, op.Path)
		}
	}
	if n == 0 || len(catalog.Operations) != n {
		t.Fatalf("description has %d operations, catalogue %d; want as many", n, len(catalog.Operations))
	}
}

// TestPagingMatchesFacts reads the table of FACTS.md §1 and checks the
// pagination style and items field of every operation against it.
func TestPagingMatchesFacts(t *testing.T) {
	f, err := os.Open(sharedFile(t, "FACTS.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	row := regexp.MustCompile("^\\| (\\w+) \\| (GET|POST|PUT|DELETE) \\| `([^`]+)` \\| ([a-z-]+)[†*]? \\| ([^|]+) \\|")
	items := regexp.MustCompile("`([\\w.]+)`")
	rows := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := row.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		rows++
		op := catalog.ByID(m[1])
		if op == nil {
			t.Errorf("FACTS.md names %s, not in the catalogue", m[1])
			continue
		}
		if string(op.Pagination) != m[4] {
			t.Errorf("%s: pagination %q, FACTS.md says %q", op.ID, op.Pagination, m[4])
		}
		// Where FACTS.md names two fields ("`x` (schema) / `y` (example)"),
		// the catalogue may follow either.
		var want []string
		for _, im := range items.FindAllStringSubmatch(strings.TrimSpace(m[5]), -1) {
			want = append(want, im[1])
		}
		if len(want) == 0 {
			want = []string{""}
		}
		if !slices.Contains(want, op.ItemsField) {
			t.Errorf("%s: items field %q, FACTS.md says %q", op.ID, op.ItemsField, want)
		}
	}
	if n := len(testsupport.DescribedOperations(t)); rows != n {
		t.Fatalf("read %d rows of FACTS.md's table, want one per operation of the description (%d)", rows, n)
	}
}

func TestNamesAreUniqueAndComplete(t *testing.T) {
	seen := map[string]string{}
	for _, op := range catalog.Operations {
		if prev, dup := seen[op.JSName()]; dup {
			t.Errorf("%s and %s share the JS name %s", prev, op.ID, op.JSName())
		}
		seen[op.JSName()] = op.ID
		if catalog.ByJSName(op.JSName()) != op {
			t.Errorf("ByJSName(%q) does not find %s", op.JSName(), op.ID)
		}
		if op.Status == 0 {
			t.Errorf("%s: no success status", op.ID)
		}
	}
}

// readOnlyPOSTs are the POSTs that only read, as FACTS.md §5 names them.
func readOnlyPOSTs(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(sharedFile(t, "FACTS.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`are read-only\*\* \([^)]*\): ([^⇒]+)⇒`).FindSubmatch(data)
	if m == nil {
		t.Fatal("FACTS.md §5 no longer names its read-only POSTs as this test reads them")
	}
	out := map[string]bool{}
	for _, id := range strings.Split(string(m[1]), ",") {
		out[strings.TrimSpace(id)] = true
	}
	return out
}

// TestSafetyFlags: an operation of the description mutates iff it is not a
// GET and not one of FACTS.md's read-only POSTs (§5).
func TestSafetyFlags(t *testing.T) {
	readOnly := readOnlyPOSTs(t)
	for _, d := range testsupport.DescribedOperations(t) {
		op := catalog.ByID(d.ID)
		if op == nil {
			continue // TestEveryOperationOfTheDescription names it
		}
		if want := d.Method != "GET" && !readOnly[d.ID]; op.Mutates != want {
			t.Errorf("%s %s %s: Mutates is %v, want %v", d.ID, d.Method, d.Path, op.Mutates, want)
		}
		if want := d.Method == "POST" && readOnly[d.ID]; op.ReadOnlyPOST != want {
			t.Errorf("%s: ReadOnlyPOST is %v, want %v", d.ID, op.ReadOnlyPOST, want)
		}
	}
	for _, op := range catalog.Operations {
		if op.ReadOnlyPOST && (op.Mutates || !op.Idempotent()) {
			t.Errorf("%s: a read-only POST must not mutate and must be retryable", op.ID)
		}
		if op.Irreversible && !op.Mutates {
			t.Errorf("%s: irreversible but not mutating", op.ID)
		}
	}
	for _, id := range []string{"DeleteContact", "deleteCompany", "MergeContact", "redactConversation", "deleteTag", "createMessage", "createPhoneSwitch", "convertVisitor"} {
		if !catalog.ByID(id).Irreversible {
			t.Errorf("%s should be irreversible", id)
		}
	}
}

func TestQuirksCorrected(t *testing.T) {
	if op := catalog.ByID("lisDataEvents"); !op.Query[0].Explode || op.Query[0].Name != "filter" {
		t.Errorf("lisDataEvents filter should be an exploded object: %+v", op.Query)
	}
	if op := catalog.ByID("UpdateCompany"); op.Body == nil {
		t.Error("UpdateCompany should accept a body")
	}
	if catalog.Lookup(&catalog.Schema{Ref: "custom_attributes"}).Type != "object" {
		t.Error("custom_attributes should resolve to an object")
	}
	if !catalog.ByID("downloadDataExport").Binary {
		t.Error("downloadDataExport answers with bytes")
	}
	for _, id := range []string{"detachTagFromConversation", "detachContactFromConversation", "detachTagFromTicket"} {
		if catalog.ByID(id).Body == nil {
			t.Errorf("%s: DELETE with a body", id)
		}
	}
	if p := catalog.ByID("listArticles").Query; len(p) != 2 || p[0].Name != "page" {
		t.Errorf("listArticles should take page/per_page: %+v", p)
	}
	if catalog.ByID("listConversations").Response != "conversation_list" {
		t.Error("listConversations' response schema should be corrected")
	}
}

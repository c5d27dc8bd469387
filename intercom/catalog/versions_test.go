package catalog_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/testsupport"
)

func TestVersionsAreTheDescriptions(t *testing.T) {
	want := testsupport.DescribedVersions(t)
	if got := catalog.Versions(); !slices.Equal(got, want) {
		t.Fatalf("Versions() = %v, descriptions %v", got, want)
	}
	if catalog.Default != "2.10" || catalog.Newest() != want[len(want)-1] {
		t.Fatalf("Default %s, Newest %s", catalog.Default, catalog.Newest())
	}
}

// TestEveryOperationOfEveryVersion checks each version's catalogue against
// that version's description: the same operations, by method and path, and
// the description's operationId where it gives one.
func TestEveryOperationOfEveryVersion(t *testing.T) {
	for _, v := range testsupport.DescribedVersions(t) {
		c, err := catalog.For(v)
		if err != nil {
			t.Fatal(err)
		}
		described := testsupport.DescribedOperationsOf(t, v)
		if len(c.Operations) != len(described) {
			t.Errorf("%s: catalogue has %d operations, description %d", v, len(c.Operations), len(described))
		}
		byRoute := map[string]*catalog.Operation{}
		for _, op := range c.Operations {
			byRoute[op.Method+" "+op.Path] = op
			if c.ByJSName(op.JSName()) != op || c.ByID(op.ID) != op {
				t.Errorf("%s: %s (%s) not found by its own names", v, op.ID, op.JSName())
			}
		}
		for _, d := range described {
			op := byRoute[d.Method+" "+d.Path]
			switch {
			case op == nil:
				t.Errorf("%s: %s %s (%s) missing from the catalogue", v, d.Method, d.Path, d.ID)
			case d.ID != "" && op.ID != d.ID:
				t.Errorf("%s: %s %s is %s in the catalogue, %s in the description", v, d.Method, d.Path, op.ID, d.ID)
			}
		}
	}
}

// TestNamesStayAcrossVersions: an operationId keeps its JS name in every
// version that has it, and the 2.10 names are those of the default catalogue.
func TestNamesStayAcrossVersions(t *testing.T) {
	names := map[string]string{}
	for _, v := range catalog.Versions() {
		for _, op := range catalog.MustFor(v).Operations {
			if prev, ok := names[op.ID]; ok && prev != op.JSName() {
				t.Errorf("%s is %s in an earlier version, %s in %s", op.ID, prev, op.JSName(), v)
			}
			names[op.ID] = op.JSName()
		}
	}
	for _, op := range catalog.Operations {
		if names[op.ID] != op.JSName() {
			t.Errorf("%s: %s, default catalogue %s", op.ID, names[op.ID], op.JSName())
		}
	}
}

func TestUnknownVersionListsTheKnownOnes(t *testing.T) {
	_, err := catalog.For("2.9")
	if err == nil || !strings.Contains(err.Error(), `"2.9"`) || !strings.Contains(err.Error(), strings.Join(catalog.Versions(), ", ")) {
		t.Fatalf("For(2.9): %v", err)
	}
}

// describedRoutes reads which versions' descriptions have METHOD path,
// whatever their path parameters are called.
func describedRoutes(t *testing.T, method, path string) []string {
	var out []string
	params := regexp.MustCompile(`\{[^}]*\}`)
	for _, v := range testsupport.DescribedVersions(t) {
		for _, d := range testsupport.DescribedOperationsOf(t, v) {
			if d.Method == method && params.ReplaceAllString(d.Path, "{}") == params.ReplaceAllString(path, "{}") {
				out = append(out, v)
			}
		}
	}
	return out
}

func TestHavingNamesTheVersionsOfTheDescriptions(t *testing.T) {
	calls := describedRoutes(t, "GET", "/calls")
	if len(calls) == 0 || slices.Contains(calls, "2.10") {
		t.Fatalf("descriptions with GET /calls: %v", calls)
	}
	if got := catalog.Having("calls.listCalls"); !slices.Equal(got, calls) {
		t.Errorf("Having(calls.listCalls) = %v, descriptions %v", got, calls)
	}
	want := calls[0] + "–" + calls[len(calls)-1]
	if got := catalog.Span(calls); got != want {
		t.Errorf("Span(%v) = %q, want %q", calls, got, want)
	}
	assign := describedRoutes(t, "POST", "/conversations/{id}/run_assignment_rules")
	if !slices.Equal(assign, []string{"2.10", "2.11"}) {
		t.Errorf("descriptions with run_assignment_rules: %v, the issue says 2.10 and 2.11", assign)
	}
	if got := catalog.Having("conversations.runAssignmentRules"); !slices.Equal(got, assign) {
		t.Errorf("Having(conversations.runAssignmentRules) = %v, descriptions %v", got, assign)
	}
	if got := catalog.Span([]string{"2.10", "2.11", "2.14"}); got != "2.10–2.11, 2.14" {
		t.Errorf("Span = %q", got)
	}
}

// TestLookupResolvesInItsVersion: a reference in a later version's catalogue
// resolves to that version's schema, whoever calls Lookup. The schema is
// one the newest description declares and 2.10's lacks.
func TestLookupResolvesInItsVersion(t *testing.T) {
	newest := catalog.Newest()
	old, recent := componentNames(t, "2.10"), componentNames(t, newest)
	c := catalog.MustFor(newest)
	checked := 0
	for _, op := range c.Operations {
		if op.Response == "" || old[op.Response] || !recent[op.Response] {
			continue
		}
		s := c.Lookup(&catalog.Schema{Ref: op.Response})
		if s != c.Schemas[op.Response] || s == nil {
			t.Errorf("%s: %s does not resolve to %s's schema", op.ID, op.Response, newest)
		}
		for _, p := range s.Properties {
			if p.Schema.Ref != "" && catalog.Lookup(p.Schema) != c.Lookup(p.Schema) {
				t.Errorf("%s.%s: package Lookup and %s's disagree", op.Response, p.Name, newest)
			}
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no response schema of the newest version is new")
	}
}

func componentNames(t *testing.T, v string) map[string]bool {
	data, err := os.ReadFile(testsupport.DescriptionOf(t, v))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]any `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for k := range doc.Components.Schemas {
		out[k] = true
	}
	return out
}

func TestCompareVersions(t *testing.T) {
	ordered := []string{"1.4", "2.9", "2.10", "2.11", "2.16", "3.0", "10.1"}
	for i, a := range ordered {
		for j, b := range ordered {
			got := catalog.CompareVersions(a, b)
			if (i < j && got >= 0) || (i == j && got != 0) || (i > j && got <= 0) {
				t.Errorf("catalog.CompareVersions(%q, %q) = %d", a, b, got)
			}
		}
	}
}

// TestRoutesAreTheDescriptions: Routes lists every method and path of every
// version's description (parameters unnamed), each with exactly the
// versions whose description has it.
func TestRoutesAreTheDescriptions(t *testing.T) {
	params := regexp.MustCompile(`\{[^}]*\}`)
	want := map[string][]string{}
	for _, v := range testsupport.DescribedVersions(t) {
		for _, d := range testsupport.DescribedOperationsOf(t, v) {
			key := d.Method + " " + params.ReplaceAllString(d.Path, "{}")
			if !slices.Contains(want[key], v) {
				want[key] = append(want[key], v)
			}
		}
	}
	got := map[string][]string{}
	for _, r := range catalog.Routes() {
		got[r.Method+" "+r.Path] = r.Versions
	}
	for key, vs := range want {
		if !slices.Equal(got[key], vs) {
			t.Errorf("%s: Routes says %v, the descriptions %v", key, got[key], vs)
		}
	}
	for key := range got {
		if want[key] == nil {
			t.Errorf("%s: in Routes, in no description", key)
		}
	}
}

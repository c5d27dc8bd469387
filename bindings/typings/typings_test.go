package typings

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/icscript/icscript/intercom/catalog"
)

// namespaceBody returns the members of one namespace's interface.
func namespaceBody(t *testing.T, out, ns string) string {
	t.Helper()
	start := strings.Index(out, "\n  interface "+apiName(ns)+" {\n")
	if start < 0 {
		t.Fatalf("no interface %s for namespace %s", apiName(ns), ns)
	}
	end := strings.Index(out[start:], "\n  }\n")
	return out[start : start+end]
}

func TestEveryOperationIsDeclared(t *testing.T) {
	out := Generate()
	for _, op := range catalog.Operations {
		body := namespaceBody(t, out, op.Namespace)
		if !strings.Contains(body, "\n    "+op.Name+"(") {
			t.Errorf("%s: no method %s in %s", op.JSName(), op.Name, apiName(op.Namespace))
		}
	}
	for _, ns := range topNamespaces(catalog.MustFor(catalog.Default)) {
		if !strings.Contains(out, "    "+ns+": "+apiName(ns)+";\n") {
			t.Errorf("intercom.%s is not declared on Intercom.Client", ns)
		}
	}
	for _, verb := range []string{"close", "open", "snooze", "assign"} {
		if !strings.Contains(namespaceBody(t, out, "conversations"), "\n    "+verb+"(id: Id") {
			t.Errorf("conversations.%s is not declared", verb)
		}
	}
}

func TestEverySchemaIsDeclared(t *testing.T) {
	out := Generate()
	for name := range catalog.Schemas {
		tn := typeName(name)
		if !strings.Contains(out, "\n  interface "+tn+" {\n") && !strings.Contains(out, "\n  type "+tn+" = ") {
			t.Errorf("schema %s has no declaration %s", name, tn)
		}
	}
}

// Names the generated namespace uses must not be shadowed by a schema's.
func TestNoNameCollisions(t *testing.T) {
	taken := map[string]string{}
	for _, h := range helperTypes {
		taken[h] = "helper type"
	}
	for _, g := range []string{"Promise", "Record", "Array", "ArrayBuffer", "Date", "Pager", "Iterable", "AsyncIterable"} {
		taken[g] = "global used inside namespace Intercom"
	}
	for _, ns := range catalog.Namespaces() {
		taken[apiName(ns)] = "namespace interface"
	}
	for name := range catalog.Schemas {
		tn := typeName(name)
		if what, ok := taken[tn]; ok {
			t.Errorf("schema %s is named %s, which is also a %s", name, tn, what)
		}
		taken[tn] = "schema " + name
	}
}

func TestDeterministic(t *testing.T) {
	a, b := Generate(), Generate()
	if a != b {
		t.Fatal("two runs of Generate differ")
	}
}

func TestShapes(t *testing.T) {
	out := Generate()
	for _, want := range []string{
		// path params typed, listing ops return a Pager of their items
		"    find(id: Id): Promise<Contact>;\n",
		"    list(fields?: { per_page?: number; starting_after?: string }): Pager<Contact, ContactList>;\n",
		// a required body field is not optional, enums are literal unions
		`model: "contact" | "company"`,
		// searches take a request or a bare query
		"| (SingleFilterSearchRequest | MultipleFilterSearchRequest)): Pager<Contact, ContactList>;",
		// oneOf bodies are unions
		"manage(id: Id, fields: (CloseConversationRequest | SnoozeConversationRequest | OpenConversationRequest | AssignConversationRequest)): Promise<Conversation>;",
		// open response objects keep unknown keys
		"  interface CustomAttributes {\n    [key: string]: unknown;\n  }",
		`declare module "icscript:fs" {`,
		"declare class IntercomError extends Error {",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "*/ ") && regexp.MustCompile(`/\*\*[^\n]*\*/[^\n]*\*/`).MatchString(out) {
		t.Error("a summary closes its JSDoc comment early")
	}
}

func TestTypeName(t *testing.T) {
	for in, want := range map[string]string{"contact": "Contact", "admin_with_app": "AdminWithApp", "news-item": "NewsItem"} {
		if got := typeName(in); got != want {
			t.Errorf("typeName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ident("default"); got != "default_" {
		t.Errorf("ident(default) = %q", got)
	}
}

// The output must compile. The full check, with example scripts, is in
// cmd/icscript (typings_tsc_test.go); this one needs only tsc.
func TestCompilesWithTSC(t *testing.T) {
	tsc, err := filepath.Abs("../../tools/tsc/node_modules/.bin/tsc")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tsc); err != nil {
		if os.Getenv("ICSCRIPT_REQUIRE_TSC") == "1" {
			t.Fatalf("tsc is required (ICSCRIPT_REQUIRE_TSC=1) but missing: run npm ci --prefix tools/tsc")
		}
		t.Skip("tsc not installed (npm ci --prefix tools/tsc); skipping")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "icscript.d.ts"), []byte(Generate()), 0o644); err != nil {
		t.Fatal(err)
	}
	config := `{"compilerOptions": {"noEmit": true, "strict": true, "target": "ESNext", "lib": ["ESNext"], "types": []}, "files": ["icscript.d.ts"]}`
	if err := os.WriteFile(filepath.Join(dir, "tsconfig.json"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tsc, "-p", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tsc rejects icscript.d.ts: %v\n%s", err, out)
	}
}

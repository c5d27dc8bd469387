package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icscript/icscript/intercom/catalog"
)

// TestCatalogueIsFresh fails when the committed catalogues differ from what
// the generator makes of the descriptions: run `go generate ./intercom/catalog`.
func TestCatalogueIsFresh(t *testing.T) {
	spec, later := descriptions(t)
	got, err := Generate(spec, later)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "intercom", "catalog")
	stale := func(name string, want []byte) {
		committed, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(want, committed) {
			t.Errorf("intercom/catalog/%s is stale: run `go generate ./intercom/catalog` and commit the result", name)
		}
	}
	stale("catalog_gen.go", got.Go)
	for v, data := range got.Versions {
		stale("versions/"+v+".json.gz", data)
	}
	committed, _ := filepath.Glob(filepath.Join(dir, "versions", "*.json.gz"))
	if len(committed) != len(got.Versions) {
		t.Errorf("intercom/catalog/versions holds %d catalogues, the descriptions make %d", len(committed), len(got.Versions))
	}
}

func TestGenerateRejectsMissingDescription(t *testing.T) {
	if _, err := Generate(filepath.Join(t.TempDir(), "nope.yaml"), ""); err == nil {
		t.Fatal("no error for a missing description")
	}
	spec, _ := descriptions(t)
	if _, err := Generate(spec, t.TempDir()); err == nil || !strings.Contains(err.Error(), "no intercom-V.yaml") {
		t.Fatalf("an empty versions folder: %v", err)
	}
}

// TestQuirksAreReportedNotFatal feeds a description with a dangling $ref and
// an operation without operationId: the generator names both and goes on.
func TestQuirksAreReportedNotFatal(t *testing.T) {
	dir := t.TempDir()
	spec, versions := descriptions(t)
	src, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	// A later version: 2.10 plus the reporting-data download without an
	// operationId, answering a schema that does not exist.
	extra := "  \"/download/reporting_data/{job_identifier}\":\n    get:\n      summary: Download\n      responses:\n        '200':\n          content:\n            application/json:\n              schema:\n                \"$ref\": \"#/components/schemas/no_such_schema\"\n"
	text := strings.Replace(string(src), "\npaths:\n", "\npaths:\n"+extra, 1)
	if text == string(src) {
		t.Fatal("could not find paths: in the description")
	}
	if err := os.WriteFile(filepath.Join(dir, "intercom-2.99.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	later, _ := filepath.Glob(filepath.Join(versions, "intercom-*.yaml"))
	for _, p := range later {
		if err := os.Symlink(p, filepath.Join(dir, filepath.Base(p))); err != nil {
			t.Fatal(err)
		}
	}
	out, err := Generate(spec, dir)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(out.Quirks, "\n")
	for _, want := range []string{
		"2.99: GET /download/reporting_data/{job_identifier} has no operationId: named downloadReportingDataExport",
		"2.99: dangling $ref #/components/schemas/no_such_schema",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("quirks lack %q:\n%s", want, joined)
		}
	}
	if _, ok := out.Versions["2.99"]; !ok {
		t.Error("no catalogue for 2.99")
	}
}

// descriptions finds the 2.10 description and the folder of the later ones
// as the generator does.
func descriptions(t *testing.T) (spec, versions string) {
	t.Helper()
	files := finder("")
	spec, err := files.Description(catalog.Default)
	if err != nil {
		t.Fatal(err)
	}
	if versions, err = files.VersionsDir(); err != nil {
		t.Fatal(err)
	}
	return spec, versions
}

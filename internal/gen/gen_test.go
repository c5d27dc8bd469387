package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCatalogueIsFresh fails when the committed catalogue differs from what
// the generator makes of the description: run `go generate ./bindings/catalog`.
func TestCatalogueIsFresh(t *testing.T) {
	got, err := Generate(DescriptionPath())
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("..", "..", "bindings", "catalog", "catalog_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Fatal("bindings/catalog/catalog_gen.go is stale: run `go generate ./bindings/catalog` and commit the result")
	}
}

func TestGenerateRejectsMissingDescription(t *testing.T) {
	if _, err := Generate(filepath.Join(t.TempDir(), "nope.yaml")); err == nil {
		t.Fatal("no error for a missing description")
	}
}

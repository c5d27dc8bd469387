// Command gen writes the operation catalogue (bindings/catalog/catalog_gen.go)
// from Intercom's OpenAPI description of API 2.10 and the hand-kept
// corrections in corrections.go.
//
//	go run ./internal/gen -o bindings/catalog/catalog_gen.go
//
// The description is read from $ICSCRIPT_OPENAPI, else from
// ../shared/openapi/intercom-2.10.yaml beside the repository.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("o", "", "file to write (default: standard output)")
	spec := flag.String("spec", "", "OpenAPI description (default: $ICSCRIPT_OPENAPI or ../shared/openapi/intercom-2.10.yaml)")
	flag.Parse()
	if err := run(*spec, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(specPath, out string) error {
	if specPath == "" {
		specPath = DescriptionPath()
	}
	src, err := Generate(specPath)
	if err != nil {
		return err
	}
	if out == "" {
		_, err = os.Stdout.Write(src)
		return err
	}
	return os.WriteFile(out, src, 0o644)
}

// DescriptionPath finds the 2.10 description: $ICSCRIPT_OPENAPI, else
// shared/openapi beside the repository, looked for upwards from here.
func DescriptionPath() string {
	if p := os.Getenv("ICSCRIPT_OPENAPI"); p != "" {
		return p
	}
	dir, _ := os.Getwd()
	for {
		p := filepath.Join(dir, "..", "shared", "openapi", "intercom-2.10.yaml")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.Join("..", "shared", "openapi", "intercom-2.10.yaml")
		}
		dir = parent
	}
}

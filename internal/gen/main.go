// Command gen writes the operation catalogues from Intercom's OpenAPI
// descriptions and the hand-kept corrections in corrections.go and
// corrections_later.go: API 2.10 as Go (intercom/catalog/catalog_gen.go),
// every later version as gzipped JSON in intercom/catalog/versions/.
//
//	go run ./internal/gen -o intercom/catalog/catalog_gen.go
//
// The 2.10 description is read from $ICSCRIPT_OPENAPI, else from
// ../shared/openapi/intercom-2.10.yaml beside the repository; the later
// ones (intercom-V.yaml) from the folder $ICSCRIPT_OPENAPI_DIR, else from
// versions/ beside the 2.10 description. What the descriptions get wrong
// and the generator works around is reported on standard error.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/openapifiles"
)

func main() {
	out := flag.String("o", "", "file to write (default: standard output)")
	spec := flag.String("spec", "", "OpenAPI description of 2.10 (default: $ICSCRIPT_OPENAPI or ../shared/openapi/intercom-2.10.yaml)")
	dir := flag.String("versions", "", "folder of the later descriptions (default: $ICSCRIPT_OPENAPI_DIR or versions/ beside the 2.10 one)")
	flag.Parse()
	if err := run(*spec, *dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(specPath, dir, out string) error {
	files := finder(specPath)
	specPath, err := files.Description(catalog.Default)
	if err != nil {
		return err
	}
	if dir == "" {
		if dir, err = files.VersionsDir(); err != nil {
			return err
		}
	}
	o, err := Generate(specPath, dir)
	if err != nil {
		return err
	}
	for _, q := range o.Quirks {
		fmt.Fprintln(os.Stderr, "gen: quirk:", q)
	}
	if out == "" {
		_, err = os.Stdout.Write(o.Go)
		return err
	}
	if err := os.WriteFile(out, o.Go, 0o644); err != nil {
		return err
	}
	vdir := filepath.Join(filepath.Dir(out), "versions")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(vdir, "*.json.gz"))
	for _, p := range old {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	for v, data := range o.Versions {
		if err := os.WriteFile(filepath.Join(vdir, v+".json.gz"), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// finder finds the descriptions from the process's environment and
// working directory; spec, when given, stands for $ICSCRIPT_OPENAPI.
func finder(spec string) openapifiles.Finder {
	wd, _ := os.Getwd()
	getenv := func(k string) string {
		if k == "ICSCRIPT_OPENAPI" && spec != "" {
			return spec
		}
		return os.Getenv(k)
	}
	return openapifiles.Finder{Getenv: getenv, Dir: wd}
}

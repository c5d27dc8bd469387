// Package openapifiles finds Intercom's OpenAPI descriptions and the files
// beside them (FACTS.md), for the catalogue's generator (internal/gen) and
// the tests (internal/testsupport): the one place that knows where they are.
//
// The 2.10 description is $ICSCRIPT_OPENAPI when set, else
// shared/openapi/intercom-2.10.yaml in a folder beside the repository,
// looked for upwards from the working directory; a later version's,
// intercom-V.yaml, is in the folder $ICSCRIPT_OPENAPI_DIR when set, else
// in versions/ beside the 2.10 description.
//
// It reads nothing of the process: the caller gives the environment and the
// working directory. It imports nothing of icscript's.
package openapifiles

import (
	"fmt"
	"os"
	"path/filepath"
)

// Default is the version whose description the others are found beside.
const Default = "2.10"

// Finder finds the files from an environment and a working directory.
type Finder struct {
	Getenv func(string) string // the environment (os.Getenv)
	Dir    string              // where to look upwards from (the working directory)
}

// Shared finds a file of shared/openapi: the 2.10 description or a file
// beside it (FACTS.md).
func (f Finder) Shared(name string) (string, error) {
	if p := f.Getenv("ICSCRIPT_OPENAPI"); p != "" {
		if name == "intercom-"+Default+".yaml" {
			return p, nil
		}
		if q := filepath.Join(filepath.Dir(p), name); exists(q) {
			return q, nil
		}
	}
	for dir := f.Dir; ; dir = filepath.Dir(dir) {
		if p := filepath.Join(dir, "..", "shared", "openapi", name); exists(p) {
			return filepath.Clean(p), nil
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return "", fmt.Errorf("cannot find shared/openapi/%s above %s: set ICSCRIPT_OPENAPI to the %s description", name, f.Dir, Default)
}

// Description finds the description of API version v.
func (f Finder) Description(v string) (string, error) {
	if v == Default {
		return f.Shared("intercom-" + Default + ".yaml")
	}
	dir, err := f.VersionsDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "intercom-"+v+".yaml"), nil
}

// VersionsDir finds the folder of the later versions' descriptions.
func (f Finder) VersionsDir() (string, error) {
	if dir := f.Getenv("ICSCRIPT_OPENAPI_DIR"); dir != "" {
		return dir, nil
	}
	p, err := f.Shared("intercom-" + Default + ".yaml")
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(p), "versions"), nil
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

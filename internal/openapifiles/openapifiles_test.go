package openapifiles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func touch(t *testing.T, p string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFinder: the files are found beside the repository looked for
// upwards, or where the environment says; nothing found is an error naming
// the variable to set.
func TestFinder(t *testing.T) {
	root := t.TempDir()
	spec := touch(t, filepath.Join(root, "shared", "openapi", "intercom-2.10.yaml"))
	facts := touch(t, filepath.Join(root, "shared", "openapi", "FACTS.md"))
	pkg := filepath.Join(root, "repo", "sandbox", "search")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	f := Finder{Getenv: func(k string) string { return env[k] }, Dir: pkg}
	check := func(what string, got string, err error, want string) {
		t.Helper()
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", what, got, err, want)
		}
	}
	got, err := f.Description("2.10")
	check("2.10 found upwards", got, err, spec)
	got, err = f.Shared("FACTS.md")
	check("FACTS.md found upwards", got, err, facts)
	got, err = f.Description("2.16")
	check("2.16 beside 2.10", got, err, filepath.Join(root, "shared", "openapi", "versions", "intercom-2.16.yaml"))

	elsewhere := t.TempDir()
	env["ICSCRIPT_OPENAPI"] = filepath.Join(elsewhere, "desc.yaml")
	env["ICSCRIPT_OPENAPI_DIR"] = filepath.Join(elsewhere, "later")
	got, err = f.Description("2.10")
	check("2.10 from $ICSCRIPT_OPENAPI", got, err, env["ICSCRIPT_OPENAPI"])
	got, err = f.Description("2.16")
	check("2.16 from $ICSCRIPT_OPENAPI_DIR", got, err, filepath.Join(elsewhere, "later", "intercom-2.16.yaml"))
	got, err = f.Shared("FACTS.md")
	check("FACTS.md not beside $ICSCRIPT_OPENAPI: upwards", got, err, facts)
	beside := touch(t, filepath.Join(elsewhere, "FACTS.md"))
	got, err = f.Shared("FACTS.md")
	check("FACTS.md beside $ICSCRIPT_OPENAPI", got, err, beside)

	lost := Finder{Getenv: func(string) string { return "" }, Dir: t.TempDir()}
	if _, err := lost.Description("2.16"); err == nil || !strings.Contains(err.Error(), "ICSCRIPT_OPENAPI") {
		t.Errorf("nothing to find: %v, want an error naming ICSCRIPT_OPENAPI", err)
	}
}

// Package testsupport is what the project's tests share: a buffer safe to
// write from one goroutine while a test reads it, the icscript binary built
// once per test process, and the files of ../shared/openapi. It is imported
// by tests only.
package testsupport

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/openapifiles"
)

// Buffer is a bytes.Buffer safe for concurrent Write and String: a VM's
// loop or a child process writes while the test reads.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Len is the number of bytes written so far.
func (b *Buffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// Binary builds cmd/icscript on first use and returns its path: every test
// of the process that runs "the real binary" shares it. Main removes it.
func Binary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		root, err := ModuleRoot()
		if err != nil {
			binErr = err
			return
		}
		if binDir, binErr = os.MkdirTemp("", "icscript-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "icscript")
		build := exec.Command("go", "build", "-o", binPath, "./cmd/icscript")
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("building icscript: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// Main runs a package's tests and removes what Binary built:
//
//	func TestMain(m *testing.M) { os.Exit(testsupport.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	return code
}

// ModuleRoot is the folder of go.mod, found upwards from the working
// directory (a package's folder, under go test).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// SharedFile finds a file of shared/openapi (the OpenAPI description,
// FACTS.md) as internal/openapifiles says, from the module's folder. A test
// that needs it fails, never skips, when it cannot be found.
func SharedFile(t testing.TB, name string) string {
	t.Helper()
	p, err := finder(t).Shared(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// finder finds the descriptions from the test process's environment,
// upwards from the module's folder.
func finder(t testing.TB) openapifiles.Finder {
	t.Helper()
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return openapifiles.Finder{Getenv: os.Getenv, Dir: root}
}

// DescribedOperation is one operation as one of Intercom's descriptions
// states it, read apart from the generator so that tests check the
// catalogue and its consumers against the description, not against
// themselves.
type DescribedOperation struct {
	ID     string // operationId; "" where the description gives none
	Method string // upper case: "GET"
	Path   string // template: "/contacts/{id}"
}

// DescribedOperations reads every operation of the 2.10 description, sorted
// by operationId.
func DescribedOperations(t testing.TB) []DescribedOperation {
	t.Helper()
	return DescribedOperationsOf(t, "2.10")
}

// DescriptionOf finds the description of API version v (see
// internal/openapifiles).
func DescriptionOf(t testing.TB, v string) string {
	t.Helper()
	p, err := finder(t).Description(v)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// DescribedVersions lists the API versions with a description, 2.10 first,
// read from the folder of later versions (see DescriptionOf).
func DescribedVersions(t testing.TB) []string {
	t.Helper()
	dir, err := finder(t).VersionsDir()
	if err != nil {
		t.Fatal(err)
	}
	found, err := filepath.Glob(filepath.Join(dir, "intercom-*.yaml"))
	if err != nil || len(found) == 0 {
		t.Fatalf("no intercom-V.yaml in %s: set ICSCRIPT_OPENAPI_DIR to the folder of the later descriptions", dir)
	}
	out := []string{openapifiles.Default} // found apart from the later ones
	for _, p := range found {
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), "intercom-"), ".yaml"))
	}
	slices.SortFunc(out[1:], catalog.CompareVersions)
	return out
}

// DescribedOperationsOf reads every operation of version v's description,
// sorted by operationId (then method and path).
func DescribedOperationsOf(t testing.TB, v string) []DescribedOperation {
	t.Helper()
	data, err := os.ReadFile(DescriptionOf(t, v))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"` // path-level parameters are lists
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var ops []DescribedOperation
	for path, methods := range doc.Paths {
		for method, x := range methods {
			switch method {
			case "get", "post", "put", "delete", "patch":
				op, _ := x.(map[string]any)
				id, _ := op["operationId"].(string)
				ops = append(ops, DescribedOperation{ID: id, Method: strings.ToUpper(method), Path: path})
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		a, b := ops[i], ops[j]
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Method+a.Path < b.Method+b.Path
	})
	return ops
}

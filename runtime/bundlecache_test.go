package runtime

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// testProgram stands for the running program's identity, which package
// main gives (the executable's path, size and modification time).
const testProgram = "/usr/local/bin/icscript\x001234\x001700000000"

// cacheEntries lists the cache's entries.
func cacheEntries(t *testing.T, dir string) []string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	return names
}

// markEntry rewrites the one cached bundle's code so that a later hit shows.
func markEntry(t *testing.T, dir string) {
	t.Helper()
	names := cacheEntries(t, dir)
	if len(names) != 1 {
		t.Fatalf("want one cache entry, got %v", names)
	}
	var c cachedBundle
	data, _ := os.ReadFile(names[0])
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	c.Code += "/*from the cache*/"
	data, _ = json.Marshal(c)
	if err := os.WriteFile(names[0], data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestBundleCacheCode(t *testing.T) {
	cache, base := t.TempDir(), t.TempDir()
	opts := BundleOptions{BaseDir: base, CacheDir: cache, Program: testProgram}
	code := "const m = import.meta; console.log(1 + 1)"
	first, err := BundleCode(code, "<-e>", opts)
	if err != nil {
		t.Fatal(err)
	}
	uncached, err := BundleCode(code, "<-e>", BundleOptions{BaseDir: base})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, uncached) {
		t.Fatalf("a cached build differs from esbuild's:\n%+v\n%+v", first, uncached)
	}
	markEntry(t, cache)
	hit, err := BundleCode(code, "<-e>", opts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(hit.Code, "/*from the cache*/") {
		t.Fatal("the second build of the same code did not come from the cache")
	}
	hit.Code = strings.TrimSuffix(hit.Code, "/*from the cache*/")
	if !reflect.DeepEqual(hit, first) || len(hit.Warnings) != 1 {
		t.Fatalf("the cached bundle differs from the built one (warnings kept?):\n%+v\n%+v", hit, first)
	}
	// Other code, another name, or a tsconfig.json beside it: esbuild again.
	for _, change := range []func() (*Bundle, error){
		func() (*Bundle, error) { return BundleCode(code+";", "<-e>", opts) },
		func() (*Bundle, error) { return BundleCode(code, "<other>", opts) },
		func() (*Bundle, error) {
			if err := os.WriteFile(filepath.Join(base, "tsconfig.json"), []byte(`{}`), 0o600); err != nil {
				t.Fatal(err)
			}
			return BundleCode(code, "<-e>", opts)
		},
	} {
		b, err := change()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(b.Code, "/*from the cache*/") {
			t.Fatal("a changed input was answered from the cache")
		}
	}
}

func TestBundleCacheFile(t *testing.T) {
	cache, dir := t.TempDir(), t.TempDir()
	opts := BundleOptions{CacheDir: cache, Program: testProgram}
	main := filepath.Join(dir, "main.ts")
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(main, "const n: number = 1; console.log(n)")
	if _, err := BundleFileWith(main, opts); err != nil {
		t.Fatal(err)
	}
	markEntry(t, cache)
	hit, err := BundleFileWith(main, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(hit.Code, "/*from the cache*/") || !reflect.DeepEqual(hit.Inputs, []string{main}) {
		t.Fatalf("an unchanged file was bundled again, or lost its inputs: %+v", hit)
	}
	// An edit is a miss.
	write(main, "const n: number = 2; console.log(n)")
	b, err := BundleFileWith(main, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.Code, "2") || strings.HasSuffix(b.Code, "/*from the cache*/") {
		t.Fatalf("an edited file came from the cache: %s", b.Code)
	}
	// A script that imports another file is never cached: its import could
	// change without it.
	for _, e := range cacheEntries(t, cache) {
		os.Remove(e)
	}
	write(filepath.Join(dir, "lib.js"), "export const x = 41;")
	write(main, `import { x } from "./lib.js"; console.log(x + 1)`)
	if _, err := BundleFileWith(main, opts); err != nil {
		t.Fatal(err)
	}
	if got := cacheEntries(t, cache); len(got) != 0 {
		t.Fatalf("a bundle of two files was cached: %v", got)
	}
}

func TestBundleCacheIsBounded(t *testing.T) {
	cache := t.TempDir()
	for i := range bundleCacheMax + 3 {
		name := filepath.Join(cache, strings.Repeat("a", 4)+string(rune('a'+i%26))+strings.Repeat("b", i/26)+".json")
		if err := os.WriteFile(name, []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := BundleCode("1", "<-e>", BundleOptions{BaseDir: t.TempDir(), CacheDir: cache, Program: testProgram}); err != nil {
		t.Fatal(err)
	}
	if got := len(cacheEntries(t, cache)); got != bundleCacheMax {
		t.Fatalf("the cache holds %d entries, want at most %d", got, bundleCacheMax)
	}
}

// TestBundleCacheTsconfigExtends: a tsconfig that extends another file is
// not cached, so an edit of the file it extends takes effect.
func TestBundleCacheTsconfigExtends(t *testing.T) {
	cache, dir := t.TempDir(), t.TempDir()
	opts := BundleOptions{CacheDir: cache, Program: testProgram}
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	main := filepath.Join(dir, "main.ts")
	write("main.ts", "class A { x = 1 }\nconsole.log(new A().x)")
	write("tsconfig.json", `{ "extends": "./base.json" }`)
	write("base.json", `{ "compilerOptions": { "useDefineForClassFields": true } }`)
	first, err := BundleFileWith(main, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := cacheEntries(t, cache); len(got) != 0 {
		t.Fatalf("a script whose tsconfig extends another file was cached: %v", got)
	}
	write("base.json", `{ "compilerOptions": { "useDefineForClassFields": false } }`)
	second, err := BundleFileWith(main, opts)
	if err != nil {
		t.Fatal(err)
	}
	if first.Code == second.Code {
		t.Fatalf("an edit of the extended tsconfig did not change the bundle:\n%s", second.Code)
	}
}

// TestBundleKeepSource: with KeepSource the bundle gives the entry's
// content it was built from, whether esbuild ran or the cache answered.
func TestBundleKeepSource(t *testing.T) {
	cache, dir := t.TempDir(), t.TempDir()
	main := filepath.Join(dir, "main.ts")
	const src = "// @icscript api 2.16\nconst n: number = 1; console.log(n)\n"
	if err := os.WriteFile(main, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []BundleOptions{{KeepSource: true}, {KeepSource: true, CacheDir: cache, Program: testProgram}, {KeepSource: true, CacheDir: cache, Program: testProgram}} {
		b, err := BundleFileWith(main, opts)
		if err != nil {
			t.Fatal(err)
		}
		if string(b.Source) != src {
			t.Errorf("Source %q (cache %q), want the file's content", b.Source, opts.CacheDir)
		}
	}
	if len(cacheEntries(t, cache)) != 1 {
		t.Error("the bundle was not cached: the cache answer was not tried")
	}
	if b, err := BundleFileWith(main, BundleOptions{}); err != nil || b.Source != nil {
		t.Errorf("without KeepSource: Source %q, %v", b.Source, err)
	}
}

// TestBundleCacheKeysNameTheProgram: another program (a rebuilt or
// upgraded icscript) never reads the entries, and without a program's
// identity nothing is cached.
func TestBundleCacheKeysNameTheProgram(t *testing.T) {
	cache, base := t.TempDir(), t.TempDir()
	code := "console.log(1 + 1)"
	opts := BundleOptions{BaseDir: base, CacheDir: cache, Program: testProgram}
	if _, err := BundleCode(code, "<-e>", opts); err != nil {
		t.Fatal(err)
	}
	markEntry(t, cache)
	other := opts
	other.Program = testProgram + "-rebuilt"
	b, err := BundleCode(code, "<-e>", other)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(b.Code, "/*from the cache*/") {
		t.Fatal("another program read this program's cache entry")
	}
	for _, e := range cacheEntries(t, cache) {
		os.Remove(e)
	}
	none := opts
	none.Program = ""
	if _, err := BundleCode(code, "<-e>", none); err != nil {
		t.Fatal(err)
	}
	if got := cacheEntries(t, cache); len(got) != 0 {
		t.Fatalf("cached without a program's identity: %v", got)
	}
}

// TestBundleKeepSourceThroughSymlinks: a script reached through a linked
// folder or a linked file still gives its content (esbuild loads it by
// the path with the links resolved).
func TestBundleKeepSourceThroughSymlinks(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "real")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	const src = "// @icscript api 2.16\nconsole.log(1)\n"
	if err := os.WriteFile(filepath.Join(real, "main.js"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, filepath.Join(root, "linked")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.Symlink(filepath.Join(real, "main.js"), filepath.Join(root, "alias.js")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(root, "linked", "main.js"), filepath.Join(root, "alias.js")} {
		b, err := BundleFileWith(p, BundleOptions{KeepSource: true})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if string(b.Source) != src {
			t.Errorf("%s: Source %q, want the file's content", p, b.Source)
		}
	}
}

package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/icscript/icscript/internal/lazyregexp"
)

// Bundle is a script and everything it imports, bundled into one program that
// goja can run: an ES module wrapped in an async function (so top-level await
// works) with the features goja lacks lowered by esbuild.
type Bundle struct {
	Code      string   // the program, without a sourceMappingURL comment
	SourceMap []byte   // source map of Code; sources are relative to BaseDir
	Inputs    []string // absolute paths of the files the bundle was built from (for watch mode)
	Warnings  []string // esbuild warnings, "file:line:col: text"
	BaseDir   string   // directory file names in errors and stacks are relative to
	// Source is the entry file's content as it was bundled, with
	// BundleOptions.KeepSource (a caller that reads the file itself, as
	// check reads its pragma and calls, would read another version).
	Source []byte
}

// BundleOptions tunes BundleFileWith and BundleCode.
type BundleOptions struct {
	// IsBuiltin reports whether "icscript:<name>" exists. Nil accepts every
	// name (the VM then reports unknown ones when the script runs).
	IsBuiltin func(name string) bool
	// BaseDir is the directory file names in errors and stack traces are shown
	// relative to. Empty means the entry file's directory.
	BaseDir string
	// CacheDir, when set, keeps bundles of a single file (or -e code) there,
	// keyed by content hash, so an unchanged script skips esbuild (see
	// bundlecache.go).
	CacheDir string
	// Program identifies the running program in the cache's keys (package
	// main gives its executable's path, size and modification time), so that
	// another build of icscript never reads these entries; "" caches nothing.
	Program string
	// KeepSource makes BundleFileWith give the entry file's content in
	// Bundle.Source: the one read esbuild bundles from.
	KeepSource bool
}

const (
	builtinPrefix    = "icscript:"
	builtinNamespace = "icscript"
	bundleName       = "icscript-bundle.js"
	requireGlobal    = "__icscript_require"
	// The bundle runs inside an async function so top-level await works;
	// esbuild shifts the source map for the banner.
	bundleBanner = "(async () => {"
	bundleFooter = "})()"
)

// goja has no async generators, no for-await, no modules (so no import() or
// import.meta), no decorators and no `using`: esbuild lowers or replaces them.
var gojaUnsupported = map[string]bool{
	"async-generator": false,
	"for-await":       false,
	"dynamic-import":  false,
	"import-meta":     false,
	"decorators":      false,
	"using":           false,
}

// BundleFile bundles the entry file at path, accepting every icscript: name.
func BundleFile(path string) (*Bundle, error) {
	return BundleFileWith(path, BundleOptions{})
}

// BundleFileWith bundles the entry file at path (.js .mjs .cjs .ts .mts .cts
// .jsx .tsx) with its relative imports.
func BundleFileWith(path string, opts BundleOptions) (*Bundle, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("script %s: %w", path, err)
	}
	if err := checkEntry(path, abs); err != nil {
		return nil, err
	}
	if opts.BaseDir == "" {
		opts.BaseDir = filepath.Dir(abs)
	}
	if opts.BaseDir, err = filepath.Abs(opts.BaseDir); err != nil {
		return nil, err
	}
	var key string
	var src []byte
	if opts.CacheDir != "" {
		if src, err = os.ReadFile(abs); err == nil {
			key = bundleCacheKey(opts.Program, "file", abs, string(src), opts.BaseDir, filepath.Dir(abs))
			if b := loadCachedBundle(opts.CacheDir, key, opts.BaseDir); b != nil {
				if opts.KeepSource {
					b.Source = src
				}
				return b, nil
			}
		}
	}
	// A one-line entry that imports the script: the bundle then has no
	// exports, which could not live inside the async wrapper.
	stdin := &api.StdinOptions{
		Contents:   "import " + strconv.Quote(filepath.ToSlash(abs)) + ";\n",
		ResolveDir: filepath.Dir(abs),
		Sourcefile: "<icscript-entry>",
		Loader:     api.LoaderJS,
	}
	// keepEntry gives what esbuild read: Bundle.Source, and the check that
	// it is what the cache key hashed (no edit in between).
	var kept []byte
	var plugins []api.Plugin
	if opts.KeepSource || key != "" {
		plugins = append(plugins, keepEntry(abs, &kept))
	}
	b, err := build(stdin, opts, plugins...)
	if err != nil {
		return nil, err
	}
	if opts.KeepSource {
		if kept == nil { // never a silent empty Source: check would pass the script unread
			return nil, fmt.Errorf("script %s: internal error: esbuild did not load it through icscript", path)
		}
		b.Source = kept
	}
	if key != "" && kept != nil && bytes.Equal(kept, src) {
		storeCachedBundle(opts.CacheDir, key, abs, b)
	}
	return b, nil
}

// BundleCode bundles code given inline (icscript -e); name is the file name
// shown in errors. Relative imports resolve from opts.BaseDir.
func BundleCode(code, name string, opts BundleOptions) (*Bundle, error) {
	if opts.BaseDir == "" {
		opts.BaseDir = "."
	}
	base, err := filepath.Abs(opts.BaseDir)
	if err != nil {
		return nil, err
	}
	opts.BaseDir = base
	var key string
	if opts.CacheDir != "" {
		key = bundleCacheKey(opts.Program, "code", name, code, base, base)
		if b := loadCachedBundle(opts.CacheDir, key, base); b != nil {
			return b, nil
		}
	}
	stdin := &api.StdinOptions{Contents: code, ResolveDir: base, Sourcefile: name, Loader: api.LoaderJS}
	b, err := build(stdin, opts)
	if err == nil && key != "" {
		storeCachedBundle(opts.CacheDir, key, "", b)
	}
	return b, err
}

func checkEntry(path, abs string) error {
	info, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("script not found: %s: %w", path, fs.ErrNotExist)
	case err != nil:
		return fmt.Errorf("script %s: %w", path, err)
	case info.IsDir():
		return fmt.Errorf("script %s is a directory, not a file", path)
	}
	return nil
}

func build(stdin *api.StdinOptions, opts BundleOptions, plugins ...api.Plugin) (*Bundle, error) {
	bo := buildOptions(stdin, opts)
	bo.Plugins = append(bo.Plugins, plugins...)
	res := api.Build(bo)
	if len(res.Errors) > 0 {
		return nil, bundleErrors(res.Errors, stdin)
	}
	b := &Bundle{BaseDir: opts.BaseDir, Warnings: formatWarnings(res.Warnings)}
	for _, f := range res.OutputFiles {
		if strings.HasSuffix(f.Path, ".map") {
			b.SourceMap = f.Contents
		} else {
			b.Code = FixForAwait(string(f.Contents))
		}
	}
	b.Inputs = metafileInputs(res.Metafile, opts.BaseDir)
	return b, nil
}

func buildOptions(stdin *api.StdinOptions, opts BundleOptions) api.BuildOptions {
	return api.BuildOptions{
		Stdin:         stdin,
		Bundle:        true,
		Write:         false,
		Metafile:      true,
		Format:        api.FormatESModule,
		Platform:      api.PlatformNeutral,
		Target:        api.ESNext,
		Supported:     gojaUnsupported,
		Sourcemap:     api.SourceMapExternal,
		Outfile:       filepath.Join(opts.BaseDir, bundleName),
		AbsWorkingDir: opts.BaseDir,
		Banner:        map[string]string{"js": bundleBanner},
		Footer:        map[string]string{"js": bundleFooter},
		LogLevel:      api.LogLevelSilent,
		Plugins:       []api.Plugin{modulePlugin(opts.IsBuiltin)},
	}
}

// keepEntry loads the entry file at abs for esbuild and keeps what it
// read in *kept, so that the caller has the very content bundled. esbuild
// loads a file by its path with symbolic links resolved (a script reached
// through a linked file or folder), so that path is matched too.
func keepEntry(abs string, kept *[]byte) api.Plugin {
	filter := "^" + regexp.QuoteMeta(abs) + "$"
	if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
		filter = "^(?:" + regexp.QuoteMeta(abs) + "|" + regexp.QuoteMeta(real) + ")$"
	}
	return api.Plugin{
		Name: "icscript-keep-entry",
		Setup: func(b api.PluginBuild) {
			b.OnLoad(api.OnLoadOptions{Filter: filter, Namespace: "file"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
				src, err := os.ReadFile(a.Path)
				if err != nil {
					return api.OnLoadResult{}, err
				}
				*kept = src
				text := string(src)
				return api.OnLoadResult{Contents: &text, Loader: api.LoaderDefault}, nil
			})
		},
	}
}

// modulePlugin resolves "icscript:<name>" to a stub that asks the VM for the
// module, and turns package imports (which icscript does not support) into a
// clear error instead of a node_modules lookup.
func modulePlugin(isBuiltin func(string) bool) api.Plugin {
	return api.Plugin{
		Name: "icscript",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `^icscript:`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
				return resolveBuiltin(a, isBuiltin), nil
			})
			b.OnResolve(api.OnResolveOptions{Filter: `^[^./]`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
				return rejectPackage(a), nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: builtinNamespace}, loadBuiltin)
		},
	}
}

func resolveBuiltin(a api.OnResolveArgs, isBuiltin func(string) bool) api.OnResolveResult {
	name := strings.TrimPrefix(a.Path, builtinPrefix)
	if isBuiltin != nil && !isBuiltin(name) {
		return api.OnResolveResult{Errors: []api.Message{{Text: "unknown built-in module " + a.Path}}}
	}
	return api.OnResolveResult{Path: name, Namespace: builtinNamespace}
}

func rejectPackage(a api.OnResolveArgs) api.OnResolveResult {
	if filepath.IsAbs(a.Path) {
		return api.OnResolveResult{} // let esbuild resolve it
	}
	text := fmt.Sprintf("cannot import %q: packages (node_modules) are not supported; "+
		"import relative files (\"./lib.ts\") or built-in modules (\"icscript:<name>\")", a.Path)
	return api.OnResolveResult{Errors: []api.Message{{Text: text}}}
}

func loadBuiltin(a api.OnLoadArgs) (api.OnLoadResult, error) {
	src := "module.exports = globalThis." + requireGlobal + "(" + strconv.Quote(a.Path) + ");\n"
	return api.OnLoadResult{Contents: &src, Loader: api.LoaderJS}, nil
}

func metafileInputs(metafile, baseDir string) []string {
	var meta struct {
		Inputs map[string]json.RawMessage `json:"inputs"`
	}
	if json.Unmarshal([]byte(metafile), &meta) != nil {
		return nil
	}
	inputs := make([]string, 0, len(meta.Inputs))
	for p := range meta.Inputs {
		if strings.HasPrefix(p, builtinPrefix) || strings.HasPrefix(p, "<") {
			continue
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(baseDir, filepath.FromSlash(p))
		}
		inputs = append(inputs, p)
	}
	sort.Strings(inputs)
	return inputs
}

func bundleErrors(msgs []api.Message, stdin *api.StdinOptions) error {
	errs := make([]error, 0, len(msgs))
	for _, m := range msgs {
		errs = append(errs, messageError(m, stdin))
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// esbuild names the target as `"esnext" + 6 overrides`; users know it as icscript.
var targetEnvironment = lazyregexp.New(`the configured target environment \([^)]*\)`)

func messageText(text string) string {
	return targetEnvironment.ReplaceAllString(text, "icscript (goja)")
}

func messageError(m api.Message, stdin *api.StdinOptions) *ScriptError {
	se := &ScriptError{Message: messageText(m.Text)}
	if loc := m.Location; loc != nil {
		se.File = loc.File
		if se.File == "<stdin>" {
			se.File = stdin.Sourcefile
		}
		se.Line, se.Column, se.SourceLine = loc.Line, loc.Column+1, loc.LineText
	}
	for _, n := range m.Notes {
		se.Notes = append(se.Notes, n.Text)
	}
	return se
}

func formatWarnings(msgs []api.Message) []string {
	out := make([]string, 0, len(msgs))
	for _, m := range msgs {
		if loc := m.Location; loc != nil {
			out = append(out, fmt.Sprintf("%s:%d:%d: %s", loc.File, loc.Line, loc.Column+1, messageText(m.Text)))
		} else {
			out = append(out, messageText(m.Text))
		}
	}
	return out
}

package runtime

import (
	"crypto/sha256"
	"encoding/json"
	"net/url"
	"sync"

	"github.com/dop251/goja"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/parser"
)

// programName is the name goja gives the bundle. Source-mapped frames resolve
// relative to it, so "<bundle>" keeps them relative to the bundle's BaseDir;
// frames that map to no source (esbuild's helpers) show it.
const programName = "<bundle>"

// compiled is a bundle compiled for goja, shareable between runtimes.
type compiled struct {
	prg     *goja.Program
	sources map[string]string // file name as stack frames show it -> its text
}

// programCacheSize bounds the cache: watch mode reruns mostly the same few
// bundles, and a compiled program holds its whole source.
const programCacheSize = 32

var programs = programCache{entries: map[[32]byte]*compiled{}}

// programCache maps the content hash of a bundle (code and source map) to its
// compiled program, so reruns of unchanged code skip parsing and compiling.
type programCache struct {
	mu      sync.Mutex
	entries map[[32]byte]*compiled
	order   [][32]byte // insertion order, oldest first
	hits    int        // for tests
}

func (c *programCache) get(key [32]byte) *compiled {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.entries[key]
	if p != nil {
		c.hits++
	}
	return p
}

func (c *programCache) put(key [32]byte, p *compiled) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return
	}
	if len(c.order) >= programCacheSize {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	c.entries[key] = p
	c.order = append(c.order, key)
}

func bundleKey(b *Bundle) [32]byte {
	h := sha256.New()
	h.Write([]byte(b.Code))
	h.Write([]byte{0})
	h.Write(b.SourceMap)
	var key [32]byte
	h.Sum(key[:0])
	return key
}

// compileBundle compiles b (strict, as ES modules are), from the cache when
// the same bundle was compiled before.
func compileBundle(b *Bundle) (*compiled, error) {
	key := bundleKey(b)
	if c := programs.get(key); c != nil {
		return c, nil
	}
	code := b.Code + "\n//# sourceMappingURL=" + bundleName + ".map\n"
	sourceMap := gojaSourceMap(b.SourceMap)
	loader := parser.WithSourceMapLoader(func(string) ([]byte, error) { return sourceMap, nil })
	ast, err := goja.Parse(programName, code, loader)
	if err != nil {
		return nil, compileError(err)
	}
	prg, err := goja.CompileAST(ast, true)
	if err != nil {
		return nil, compileError(err)
	}
	c := &compiled{prg: prg, sources: mapSources(b.SourceMap)}
	programs.put(key, c)
	return c, nil
}

func compileError(err error) error {
	return &ScriptError{Message: "the bundled script does not compile for goja: " + err.Error()}
}

// mapSources returns the original texts embedded in a source map, keyed by
// the file name goja shows for them in stack frames.
func mapSources(sourceMap []byte) map[string]string {
	var sm struct {
		Sources        []string `json:"sources"`
		SourcesContent []string `json:"sourcesContent"`
	}
	if json.Unmarshal(sourceMap, &sm) != nil {
		return nil
	}
	out := make(map[string]string, len(sm.Sources))
	for i, src := range sm.Sources {
		if i < len(sm.SourcesContent) {
			out[frameFileName(src)] = sm.SourcesContent[i]
		}
	}
	return out
}

// frameFileName is how goja names a source-map source in stack frames,
// unescaped for people.
func frameFileName(source string) string {
	name := source
	if u := file.ResolveSourcemapURL(programName, source); u != nil {
		name = u.String()
	}
	return unescapePath(name)
}

func unescapePath(p string) string {
	if s, err := url.PathUnescape(p); err == nil {
		return s
	}
	return p
}

// compileScript compiles plain script code (Eval) without a source map.
func compileScript(code, name string) (*goja.Program, error) {
	ast, err := goja.Parse(name, code, parser.WithDisableSourceMaps)
	if err != nil {
		return nil, err
	}
	return goja.CompileAST(ast, false)
}

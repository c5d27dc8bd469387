package runtime

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// The on-disk bundle cache (BundleOptions.CacheDir) keeps esbuild's output
// for a script that imports no other file: an -e program, or an entry file
// alone. Its key hashes the code (the file's contents), its name and base
// directory, the files esbuild reads beside it (tsconfig.json, jsconfig.json
// and package.json in its directory and every parent) and the running
// program's identity (BundleOptions.Program, which package main gives: the
// executable's path, size and modification time), so a rebuilt or upgraded
// icscript never reads another's entries. Bundles of several files are not
// cached: a new file could change how an unchanged import resolves. Nor is a
// script whose tsconfig.json or jsconfig.json "extends" another: the file it
// names could change under an unchanged key.
// The cache is best-effort: a failure to read or write it only means
// esbuild runs.

// bundleCacheVersion changes when the cached format or bundling changes.
const bundleCacheVersion = "icscript-bundle-cache-1"

// bundleCacheMax bounds the number of entries; the oldest go first.
const bundleCacheMax = 256

// cachedBundle is one entry on disk.
type cachedBundle struct {
	Code      string   `json:"code"`
	SourceMap []byte   `json:"source_map"`
	Inputs    []string `json:"inputs"`
	Warnings  []string `json:"warnings"`
}

// bundleCacheKey is the entry's file name for code named name bundled with
// baseDir, whose esbuild configuration files are looked up from configDir
// upwards, by the program program; "" when the program is unknown.
func bundleCacheKey(program, kind, name, code, baseDir, configDir string) string {
	if program == "" {
		return ""
	}
	h := sha256.New()
	for _, part := range []string{bundleCacheVersion, program, kind, name, baseDir, code} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	for dir := configDir; ; dir = filepath.Dir(dir) {
		for _, f := range []string{"tsconfig.json", "jsconfig.json", "package.json"} {
			if data, err := os.ReadFile(filepath.Join(dir, f)); err == nil {
				if f != "package.json" && bytes.Contains(data, []byte(`"extends"`)) {
					// The configuration continues in another file (a path or
					// a package) this key does not read: do not cache.
					return ""
				}
				h.Write([]byte(filepath.Join(dir, f)))
				h.Write([]byte{0})
				h.Write(data)
				h.Write([]byte{0})
			} else if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrPermission) {
				return "" // unreadable for another reason: do not guess
			}
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return hex.EncodeToString(h.Sum(nil)) + ".json"
}

// loadCachedBundle returns the bundle stored under key, or nil.
func loadCachedBundle(dir, key, baseDir string) *Bundle {
	if dir == "" || key == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(dir, key))
	if err != nil {
		return nil
	}
	var c cachedBundle
	if json.Unmarshal(data, &c) != nil || c.Code == "" {
		return nil
	}
	return &Bundle{Code: c.Code, SourceMap: c.SourceMap, Inputs: c.Inputs, Warnings: c.Warnings, BaseDir: baseDir}
}

// storeCachedBundle writes b under key (atomically) when it was built from
// no file but entry ("" for -e code), and prunes the oldest entries past
// bundleCacheMax.
func storeCachedBundle(dir, key, entry string, b *Bundle) {
	if dir == "" || key == "" || len(b.Inputs) > 1 || (len(b.Inputs) == 1 && b.Inputs[0] != entry) {
		return
	}
	data, err := json.Marshal(cachedBundle{Code: b.Code, SourceMap: b.SourceMap, Inputs: b.Inputs, Warnings: b.Warnings})
	if err != nil || os.MkdirAll(dir, 0o700) != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, ".bundle-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), filepath.Join(dir, key)) != nil {
		os.Remove(tmp.Name())
		return
	}
	pruneBundleCache(dir)
}

func pruneBundleCache(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) <= bundleCacheMax {
		return
	}
	type aged struct {
		name string
		mod  int64
	}
	var all []aged
	for _, e := range entries {
		if info, err := e.Info(); err == nil && filepath.Ext(e.Name()) == ".json" {
			all = append(all, aged{e.Name(), info.ModTime().UnixNano()})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].mod < all[j].mod })
	for _, a := range all[:max(0, len(all)-bundleCacheMax)] {
		os.Remove(filepath.Join(dir, a.name))
	}
}

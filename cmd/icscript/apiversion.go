package main

import (
	"os"
	"strings"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/config"
)

// The run's API version is decided by config.ResolveAPIVersion; here the
// command line's part: the script's pragma and --api-version among the
// script's arguments.

// scriptPragma reads the pragma of a run's script: the -e code or the file.
// A file that cannot be read has none here; the run reports why.
func scriptPragma(o *runOptions) string {
	if o.code != "" {
		return config.PragmaVersion([]byte(o.code))
	}
	if o.file == "" {
		return ""
	}
	src, err := os.ReadFile(o.path())
	if err != nil {
		return ""
	}
	return config.PragmaVersion(src)
}

// apiVersionAmong takes --api-version V (or =V) out of a script's
// arguments, before a lone "--": like --dry-run, it is icscript's wherever
// it stands. It returns the version ("" when absent) and the rest.
func apiVersionAmong(argv []string) (string, []string, error) {
	var v string
	var rest []string
	for i := 0; i < len(argv); i++ {
		tok := argv[i]
		if tok == "--" {
			rest = append(rest, argv[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(tok, "-"), "=")
		if !strings.HasPrefix(tok, "-") || name != "api-version" {
			rest = append(rest, tok)
			continue
		}
		if !hasValue {
			if i+1 >= len(argv) {
				return "", nil, usagef("%s needs a version: one of %s", tok, strings.Join(catalog.Versions(), ", "))
			}
			i++
			value = argv[i]
		}
		v = value
	}
	return v, rest, nil
}

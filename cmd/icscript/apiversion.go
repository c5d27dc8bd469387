package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/icscript/icscript/intercom/catalog"
)

// One API-version setting per run: --api-version (before or after the
// script name), else the script's "// @icscript api V" pragma, else the
// profile's api_version, else catalog.Default. A flag that disagrees with
// the pragma wins, with a warning. The version picks the catalogue the
// bindings, client and typings use and is sent as Intercom-Version.

const pragmaPrefix = "@icscript api"

// pragmaVersion finds "// @icscript api V" among a script's first comment
// lines (after an optional #! line); "" when there is none.
func pragmaVersion(src []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(src))
	first := true
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if first && strings.HasPrefix(line, "#!") {
			first = false
			continue
		}
		first = false
		if line == "" {
			continue
		}
		text, ok := strings.CutPrefix(line, "//")
		if !ok {
			return ""
		}
		if rest, ok := strings.CutPrefix(strings.TrimSpace(text), pragmaPrefix); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

// scriptPragma reads the pragma of a run's script: the -e code or the file.
// A file that cannot be read has none here; the run reports why.
func scriptPragma(o *runOptions) string {
	if o.code != "" {
		return pragmaVersion([]byte(o.code))
	}
	if o.file == "" {
		return ""
	}
	src, err := os.ReadFile(o.file)
	if err != nil {
		return ""
	}
	return pragmaVersion(src)
}

// resolveAPIVersion decides a run's API version (see above); profileVersion
// is the profile's api_version, "" without one.
func resolveAPIVersion(flagVersion, pragma, profileVersion string, sys *System) (string, error) {
	v, from := catalog.Default, "the default"
	switch {
	case flagVersion != "":
		v, from = flagVersion, "--api-version"
		if pragma != "" && pragma != flagVersion {
			fmt.Fprintf(sys.Stderr, "icscript: warning: --api-version %s overrides the script's \"// @icscript api %s\": using API %s\n", flagVersion, pragma, flagVersion)
		}
	case pragma != "":
		v, from = pragma, "the script's \"// @icscript api\" line"
	case profileVersion != "":
		v, from = profileVersion, "the profile's api_version"
	}
	if err := checkAPIVersion(v, from); err != nil {
		return "", err
	}
	return v, nil
}

// checkAPIVersion refuses a version without a catalogue, listing the valid ones.
func checkAPIVersion(v, from string) error {
	if catalog.Known(v) {
		return nil
	}
	return usagef("API version %q (from %s) is not one icscript knows: valid versions are %s", v, from, strings.Join(catalog.Versions(), ", "))
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

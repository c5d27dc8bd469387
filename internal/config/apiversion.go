package config

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/icscript/icscript/intercom/catalog"
)

// One API-version setting per run: --api-version (before or after the
// script name), else the script's "// @icscript api V" pragma, else the
// profile's api_version, else catalog.Default. A flag that disagrees with
// the pragma wins, with a warning. The version picks the catalogue the
// bindings, client and typings use and is sent as Intercom-Version.

const pragmaPrefix = "@icscript api"

// PinHint is how to run a script against API version v: the flag or the
// pragma (the advice after "intercom.X is not in API 2.10; it is in …").
func PinHint(v string) string {
	return fmt.Sprintf("pin one with --api-version or \"// %s %s\"", pragmaPrefix, v)
}

// PragmaVersion finds "// @icscript api V" among a script's first comment
// lines (after an optional #! line); "" when there is none.
func PragmaVersion(src []byte) string {
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

// ResolveAPIVersion decides a run's API version (see above) from the flag,
// the script's pragma and the profile's api_version ("" for each one
// absent); the warning of a flag overriding the pragma goes to warn.
func ResolveAPIVersion(flagVersion, pragma, profileVersion string, warn io.Writer) (string, error) {
	v, from := catalog.Default, "the default"
	switch {
	case flagVersion != "":
		v, from = flagVersion, "--api-version"
		if pragma != "" && pragma != flagVersion {
			fmt.Fprintf(warn, "icscript: warning: --api-version %s overrides the script's \"// @icscript api %s\": using API %s\n", flagVersion, pragma, flagVersion)
		}
	case pragma != "":
		v, from = pragma, "the script's \"// @icscript api\" line"
	case profileVersion != "":
		v, from = profileVersion, "the profile's api_version"
	}
	if err := CheckAPIVersion(v, from); err != nil {
		return "", err
	}
	return v, nil
}

// CheckAPIVersion refuses a version without a catalogue, listing the valid
// ones; from says where the version came from.
func CheckAPIVersion(v, from string) error {
	if catalog.Known(v) {
		return nil
	}
	return errorf("API version %q (from %s) is not one icscript knows: valid versions are %s", v, from, strings.Join(catalog.Versions(), ", "))
}

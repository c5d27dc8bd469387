package repl

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/icscript/icscript/internal/lazyregexp"
)

// tokenAssignment matches a line that sets a token variable.
var tokenAssignment = lazyregexp.New(`(?i)INTERCOM_(ACCESS_TOKEN|API_KEY)\s*=`)

// recordable tells whether a line may go to the history file: not if it
// holds a secret or assigns a token variable.
func recordable(line string, secrets []string) bool {
	if tokenAssignment.MatchString(line) {
		return false
	}
	for _, s := range secrets {
		if strings.TrimSpace(s) != "" && strings.Contains(line, s) {
			return false
		}
	}
	return true
}

// prepareHistory makes the history file's directory and the file itself,
// private to the user, before readline opens it (it would use 0666).
func prepareHistory(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	return f.Close()
}

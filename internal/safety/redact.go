package safety

import (
	"bytes"
	"io"
	"net/url"
	"strings"
	"sync"
	"time"
)

// RedactedText replaces a secret in anything icscript prints.
const RedactedText = "[redacted]"

// Redactor is the set of secrets of a run — the token however it was
// supplied, credentials in a base URL — that must never reach the output
// streams, whoever writes them: a notice, an error, a verbose request line,
// or a script that got hold of the token (an API echoing it back). A nil
// Redactor holds nothing and ignores Add.
type Redactor struct {
	mu      sync.Mutex
	secrets [][]byte
}

// minRedactLen keeps a short string (a one-letter user name) from being
// blanked everywhere it occurs.
const minRedactLen = 4

// Add makes secrets redacted from now on; strings shorter than four bytes
// are ignored.
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) < minRedactLen || r.hasLocked(s) {
			continue
		}
		r.secrets = append(r.secrets, []byte(s))
	}
}

func (r *Redactor) hasLocked(s string) bool {
	for _, x := range r.secrets {
		if string(x) == s {
			return true
		}
	}
	return false
}

func (r *Redactor) snapshot() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.secrets
}

// URLSecrets are the credentials of a URL (user:pass@): the user info as
// written and its password, to redact.
func URLSecrets(raw string) []string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.User == nil {
		if i, at := strings.Index(raw, "://"), strings.LastIndex(raw, "@"); i >= 0 && at > i+3 {
			return []string{raw[i+3 : at]}
		}
		return nil
	}
	out := []string{u.User.String()}
	if p, ok := u.User.Password(); ok {
		out = append(out, p)
	}
	if name := u.User.Username(); name != "" {
		out = append(out, name)
	}
	return out
}

// DisplayURL is a URL fit to print: credentials in it (user:pass@) are
// replaced with [redacted]. Every URL a person may see goes through it.
func DisplayURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		if at := strings.LastIndex(raw, "@"); at >= 0 {
			if i := strings.Index(raw, "://"); i >= 0 && i < at {
				return raw[:i+3] + RedactedText + raw[at:]
			}
		}
		return raw
	}
	u.User = nil
	s := u.String()
	return strings.Replace(s, "://", "://"+RedactedText+"@", 1)
}

// RedactingWriter replaces the secrets of a Redactor in what passes
// through it. A secret may arrive split across two writes, so the end of a
// write that could begin one is held back until the next write shows it is
// not one (or until holdFor passes without another write). Flush writes
// what is held back; call it before the process ends.
type RedactingWriter struct {
	w     io.Writer
	r     *Redactor
	mu    sync.Mutex
	held  []byte
	timer *time.Timer
}

// NewRedactingWriter wraps w, redacting the secrets r holds at each write.
func NewRedactingWriter(w io.Writer, r *Redactor) *RedactingWriter {
	return &RedactingWriter{w: w, r: r}
}

// holdFor is how long the start of a possible secret waits for the rest.
const holdFor = 100 * time.Millisecond

func (rw *RedactingWriter) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	secrets := rw.r.snapshot()
	buf := append(rw.held, p...)
	rw.held = nil
	for _, s := range secrets {
		if bytes.Contains(buf, s) {
			buf = bytes.ReplaceAll(buf, s, []byte(RedactedText))
		}
	}
	keep := partialSecret(buf, secrets)
	out := buf[:len(buf)-keep]
	if keep > 0 {
		rw.held = append([]byte(nil), buf[len(buf)-keep:]...)
		if rw.timer == nil {
			rw.timer = time.AfterFunc(holdFor, rw.Flush)
		} else {
			rw.timer.Reset(holdFor)
		}
	}
	if len(out) > 0 {
		if _, err := rw.w.Write(out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush writes what is held back: by now it is no secret's beginning.
func (rw *RedactingWriter) Flush() {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if len(rw.held) > 0 {
		_, _ = rw.w.Write(rw.held)
		rw.held = nil
	}
}

// partialSecret is the length of the longest end of buf that is the
// beginning of a secret.
func partialSecret(buf []byte, secrets [][]byte) int {
	best := 0
	for _, s := range secrets {
		for n := min(len(s)-1, len(buf)); n > best; n-- {
			if bytes.HasSuffix(buf, s[:n]) {
				best = n
				break
			}
		}
	}
	return best
}

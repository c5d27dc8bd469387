package main

import (
	"bytes"
	"io"
	"net/url"
	"strings"
	"sync"
	"time"
)

// redactor is the set of secrets of a run — the token however it was
// supplied, credentials in a base URL — that must never reach the output
// streams, whoever writes them: a notice, an error, a verbose request line,
// or a script that got hold of the token (an API echoing it back).
type redactor struct {
	mu      sync.Mutex
	secrets [][]byte
}

// minRedactLen keeps a short string (a one-letter user name) from being
// blanked everywhere it occurs.
const minRedactLen = 4

func (r *redactor) add(secrets ...string) {
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

func (r *redactor) hasLocked(s string) bool {
	for _, x := range r.secrets {
		if string(x) == s {
			return true
		}
	}
	return false
}

func (r *redactor) snapshot() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.secrets
}

// urlSecrets are the credentials of a URL (user:pass@): the user info as
// written and its password, to redact.
func urlSecrets(raw string) []string {
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

// runSecrets are the secrets known before a run opens its workspace: the
// tokens in the environment, those of every profile's token_env, and the
// credentials in --base-url and in the profiles' base_url.
func runSecrets(sys *System, o *runOptions) []string {
	_, secrets := envSecrets(sys, "")
	secrets = append(secrets, urlSecrets(o.baseURL)...)
	if c, err := loadConfig(sys); err == nil {
		for _, p := range c.Profiles {
			if p != nil {
				secrets = append(secrets, urlSecrets(p.BaseURL)...)
			}
		}
	}
	return secrets
}

// redacted returns a copy of sys whose Stdout and Stderr replace every
// secret of r with [redacted], and a function that writes out what they
// hold back (call it before the process ends).
func (s *System) redacted(r *redactor) (*System, func()) {
	out, errw := &redactingWriter{w: s.Stdout, r: r}, &redactingWriter{w: s.Stderr, r: r}
	c := *s
	c.Stdout, c.Stderr, c.secrets = out, errw, r
	return &c, func() { out.flush(); errw.flush() }
}

// redactingWriter replaces secrets in what passes through it. A secret may
// arrive split across two writes, so the end of a write that could begin
// one is held back until the next write shows it is not one (or until
// holdFor passes without another write).
type redactingWriter struct {
	w     io.Writer
	r     *redactor
	mu    sync.Mutex
	held  []byte
	timer *time.Timer
}

// holdFor is how long the start of a possible secret waits for the rest.
const holdFor = 100 * time.Millisecond

func (rw *redactingWriter) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	secrets := rw.r.snapshot()
	buf := append(rw.held, p...)
	rw.held = nil
	for _, s := range secrets {
		if bytes.Contains(buf, s) {
			buf = bytes.ReplaceAll(buf, s, []byte(redactedText))
		}
	}
	keep := partialSecret(buf, secrets)
	out := buf[:len(buf)-keep]
	if keep > 0 {
		rw.held = append([]byte(nil), buf[len(buf)-keep:]...)
		if rw.timer == nil {
			rw.timer = time.AfterFunc(holdFor, rw.flush)
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

// flush writes what is held back: by now it is no secret's beginning.
func (rw *redactingWriter) flush() {
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

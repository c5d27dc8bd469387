package main

import (
	"github.com/icscript/icscript/internal/config"
	"github.com/icscript/icscript/internal/safety"
)

// redactedRun is sys redacted (see redacted) of the secrets known before
// a command opens its workspace (config.RunSecrets: the token variables,
// every profile's token_env, user:pass@ of baseURL and of the profiles'
// base URLs) and of extra, for run, listen, replay and trigger alike.
func (s *System) redactedRun(baseURL string, extra ...string) (*System, func()) {
	r := &safety.Redactor{}
	r.Add(config.RunSecrets(s.configEnv(), baseURL)...)
	r.Add(extra...)
	return s.redacted(r)
}

// redacted returns a copy of sys whose Stdout and Stderr replace every
// secret of r with [redacted], and a function that writes out what they
// hold back (call it before the process ends).
func (s *System) redacted(r *safety.Redactor) (*System, func()) {
	out, errw := safety.NewRedactingWriter(s.Stdout, r), safety.NewRedactingWriter(s.Stderr, r)
	c := *s
	c.Stdout, c.Stderr, c.secrets = out, errw, r
	return &c, func() { out.Flush(); errw.Flush() }
}

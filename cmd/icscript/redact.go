package main

import (
	"github.com/icscript/icscript/internal/config"
	"github.com/icscript/icscript/internal/safety"
)

// runSecrets are the secrets known before a run opens its workspace (see
// config.RunSecrets).
func runSecrets(sys *System, o *runOptions) []string {
	return config.RunSecrets(sys.configEnv(), o.baseURL)
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

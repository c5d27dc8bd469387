package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

// BenchmarkStartup runs `icscript -e 1` in-process (everything after
// package init): with a token against an unused base URL, and --sandbox.
func BenchmarkStartup(b *testing.B) {
	for _, c := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"token", []string{"--base-url", "http://127.0.0.1:9", "--no-audit", "-e", "1"}, map[string]string{"INTERCOM_ACCESS_TOKEN": "tok"}},
		{"sandbox", []string{"--sandbox", "-e", "1"}, nil},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				sys := &System{
					Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
					Getenv: func(k string) string { return c.env[k] }, Environ: func() []string { return nil },
					Now: time.Now, ConfigDir: b.TempDir(), StateDir: b.TempDir(),
				}
				if code := run(c.args, sys); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}

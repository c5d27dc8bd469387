package main

import (
	"strings"
	"testing"
)

// TestSandboxSeedSizesAreBounded: a --seed-* size beyond what fits in
// memory (99999999999 contacts was OOM-killed) or below zero is a usage
// error (exit 2) naming the flag and its maximum, before anything is seeded.
func TestSandboxSeedSizesAreBounded(t *testing.T) {
	for _, tc := range []struct{ flag, value, max string }{
		{"--seed-contacts", "99999999999", "1000000"},
		{"--seed-contacts", "1000001", "1000000"},
		{"--seed-companies", "100001", "100000"},
		{"--seed-conversations", "300001", "300000"},
		{"--seed-conversations", "-1", "300000"},
	} {
		stdout, stderr := &syncBuffer{}, &syncBuffer{}
		code := runSandboxCommand([]string{tc.flag, tc.value, "--addr", "127.0.0.1:0"}, testSystem(stdout, stderr))
		if code != exitUsage {
			t.Errorf("%s %s: exit %d, want %d; stderr %q", tc.flag, tc.value, code, exitUsage, stderr.String())
		}
		if msg := stderr.String(); !strings.Contains(msg, tc.flag) || !strings.Contains(msg, tc.max) {
			t.Errorf("%s %s: the error does not name the flag and its maximum %s: %q", tc.flag, tc.value, tc.max, msg)
		}
	}
}

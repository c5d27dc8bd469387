package safety

import (
	"bytes"
	"strings"
	"testing"
)

// TestRedactingWriterAcrossWrites: a secret written whole, or split into
// two writes at any point, never reaches the stream; everything else does,
// unchanged, once flushed.
func TestRedactingWriterAcrossWrites(t *testing.T) {
	const secret = "tok_SECRET_canary_5f3a9c1e7b2d4860"
	r := &Redactor{}
	r.Add(secret, "user:pa55word", "x") // "x" is too short to redact
	text := "before " + secret + " middle user:pa55word after x\n"
	for cut := 0; cut <= len(text); cut++ {
		var out bytes.Buffer
		w := NewRedactingWriter(&out, r)
		w.Write([]byte(text[:cut]))
		w.Write([]byte(text[cut:]))
		w.Flush()
		got := out.String()
		if want := "before [redacted] middle [redacted] after x\n"; got != want {
			t.Fatalf("cut at %d: wrote %q, want %q", cut, got, want)
		}
	}
	// The start of a secret that never completes is written in the end.
	var out bytes.Buffer
	w := NewRedactingWriter(&out, r)
	w.Write([]byte("ends with tok_SEC"))
	w.Flush()
	if out.String() != "ends with tok_SEC" {
		t.Fatalf("held-back text lost: %q", out.String())
	}
}

func TestDisplayURLHidesCredentials(t *testing.T) {
	for in, want := range map[string]string{
		"http://user:hunter2@127.0.0.1:8080/api": "http://[redacted]@127.0.0.1:8080/api",
		"https://tok_abc@proxy/intercom":         "https://[redacted]@proxy/intercom",
		"http://127.0.0.1:8080":                  "http://127.0.0.1:8080",
		"http://us er:p w@host/%zz":              "http://[redacted]@host/%zz",
	} {
		if got := DisplayURL(in); got != want {
			t.Errorf("DisplayURL(%q) = %q, want %q", in, got, want)
		}
		if strings.Contains(DisplayURL(in), "hunter2") {
			t.Errorf("password shown")
		}
	}
}

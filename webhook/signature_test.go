package webhook

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"testing"
)

func TestVerify(t *testing.T) {
	secret := []byte("client-secret-123")
	body := []byte(`{"type":"notification_event","id":"notif_1","topic":"ping"}`)
	// The expected signature is computed here from the definition, not by Sign.
	m := hmac.New(sha1.New, secret)
	m.Write(body)
	good := "sha1=" + hex.EncodeToString(m.Sum(nil))
	if Sign(secret, body) != good {
		t.Fatalf("Sign = %s, want %s", Sign(secret, body), good)
	}
	altered := append([]byte(nil), body...)
	altered[len(altered)-3] ^= 1
	for _, tc := range []struct {
		name   string
		secret []byte
		body   []byte
		header string
		ok     bool
	}{
		{"correct", secret, body, good, true},
		{"unsigned", secret, body, "", false},
		{"wrong prefix", secret, body, "sha256=" + strings.TrimPrefix(good, "sha1="), false},
		{"no prefix", secret, body, strings.TrimPrefix(good, "sha1="), false},
		{"upper-case prefix", secret, body, "SHA1=" + strings.TrimPrefix(good, "sha1="), false},
		{"too short", secret, body, good[:len(good)-2], false},
		{"too long", secret, body, good + "00", false},
		{"not hex", secret, body, good[:len(good)-1] + "z", false},
		{"other secret", []byte("client-secret-124"), body, good, false},
		{"empty secret", nil, body, Sign(nil, body), false},
		{"body altered by one byte", secret, altered, good, false},
		{"body with a byte more", secret, append(append([]byte(nil), body...), ' '), good, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Verify(tc.secret, tc.body, tc.header); got != tc.ok {
				t.Errorf("Verify = %v, want %v", got, tc.ok)
			}
		})
	}
}

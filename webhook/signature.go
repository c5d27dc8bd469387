package webhook

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"strings"
)

// SignatureHeader is the header Intercom signs notifications with.
const SignatureHeader = "X-Hub-Signature"

// signaturePrefix starts the header's value: the hash used.
const signaturePrefix = "sha1="

// Sign is the X-Hub-Signature value of body under secret (the app's client
// secret): "sha1=" and the hex HMAC-SHA1 of the raw body.
func Sign(secret, body []byte) string {
	m := hmac.New(sha1.New, secret)
	m.Write(body)
	return signaturePrefix + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether header is body's signature under secret. The
// comparison takes the same time whatever part of a guess is right.
func Verify(secret, body []byte, header string) bool {
	hexSig, ok := strings.CutPrefix(header, signaturePrefix)
	if !ok || len(secret) == 0 {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	m := hmac.New(sha1.New, secret)
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}

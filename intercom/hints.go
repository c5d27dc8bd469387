package intercom

import "fmt"

// Hints are the advice that ends some of the client's errors: what to check
// when the token is refused, when nothing answers at the base URL, how to
// pick another API version. The client speaks of its own Config; a program
// built on it fills Hints to speak of its own settings instead (icscript
// names its flags and environment variables). An empty field keeps the
// client's own advice.
type Hints struct {
	// Unauthorized is the Hint of a 401.
	Unauthorized string
	// MalformedToken follows, in parentheses, New's error for a token with
	// spaces or non-printable characters: where that token came from.
	MalformedToken string
	// Unreachable is what to check when nothing answered the first request
	// at the base URL.
	Unreachable string
	// Version is how to use API version v, which has an operation the
	// client's version lacks (catalog.NotInVersion).
	Version func(v string) string
}

// The client's own advice, in terms of its Config.
const (
	defaultUnauthorized = "check the access token (Config.Token): it is missing, wrong, revoked, or belongs to a workspace in another region"
	defaultUnreachable  = "check the base URL (Config.BaseURL or Config.Region) and that the server is running"
)

func defaultVersionHint(v string) string { return fmt.Sprintf("set Config.Version to %q", v) }

// withDefaults fills the empty fields with the client's own advice.
func (h Hints) withDefaults() Hints {
	if h.Unauthorized == "" {
		h.Unauthorized = defaultUnauthorized
	}
	if h.Unreachable == "" {
		h.Unreachable = defaultUnreachable
	}
	if h.Version == nil {
		h.Version = defaultVersionHint
	}
	return h
}

// Hints are the client's hints: Config.Hints, the client's own advice where
// that is empty. Code that reports errors about the client's settings (the
// JS bindings' "not in this API version") uses them too.
func (c *Client) Hints() Hints { return c.hints }

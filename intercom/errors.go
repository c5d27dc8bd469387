package intercom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// ErrorItem is one entry of Intercom's error.list.
type ErrorItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// APIError is every failure of Client.Do: an HTTP error status, a network
// failure or timeout (Status 0, Code "network_error" or "timeout"), a
// cancelled context (Code "cancelled"), a request the client refused to build
// (Code "invalid_request"). No string in it contains the token.
type APIError struct {
	Status    int         // HTTP status; 0 when no response was received
	Code      string      // first error code ("not_found", "unauthorized", "rate_limit_exceeded", "network_error", "timeout", "cancelled"…)
	Message   string      // first error message, or a description of the failure
	Errors    []ErrorItem // every entry of the error.list
	RequestID string      // request_id of the body, else X-Request-Id
	Operation string      // operationId, "" for a raw call that matches no operation
	Method    string
	Path      string
	// Ambiguous is set when a request that may not be resent (a create or a
	// send, or a PUT whose body has side-effect fields: catalog.Retry) may
	// have been processed (the connection dropped after it was sent, a
	// timeout, a cut-off response, a 5xx): it was not resent, and the user
	// must check by hand whether it was applied. A cut-off response has
	// Status 0 whatever its status line said.
	Ambiguous bool
	Attempts  int    // attempts made
	Hint      string // what to do about it ("check the access token…"; Config.Hints)

	cause error
}

// Error is a one-line description: "intercom: createContact (POST /contacts):
// 422 data_invalid: email is invalid [request 0a1b]".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("intercom: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		if e.Method != "" {
			b.WriteString(" (")
			b.WriteString(e.Method)
			b.WriteByte(' ')
			b.WriteString(e.Path)
			b.WriteByte(')')
		}
		b.WriteString(": ")
	} else if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, "%d ", e.Status)
	}
	b.WriteString(e.Code)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for _, it := range e.Errors[min(1, len(e.Errors)):] {
		b.WriteString("; ")
		if it.Code != "" {
			b.WriteString(it.Code)
			b.WriteString(": ")
		}
		b.WriteString(it.Message)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.Hint != "" {
		b.WriteString(" — ")
		b.WriteString(e.Hint)
	}
	if e.RequestID != "" {
		b.WriteString(" [request ")
		b.WriteString(e.RequestID)
		b.WriteByte(']')
	}
	return b.String()
}

// Unwrap returns the cause: the context's error for Code "cancelled", the
// transport error for network failures (its text redacted).
func (e *APIError) Unwrap() error { return e.cause }

// Temporary reports whether trying again later may succeed (429, 5xx,
// network errors), as opposed to a request that is wrong.
func (e *APIError) Temporary() bool {
	return e.Status == 0 && (e.Code == "network_error" || e.Code == "timeout") ||
		e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout || e.Status >= 500
}

// redactedError keeps a cause for errors.Is/As while printing redacted text.
type redactedError struct {
	msg string
	err error
}

func (r *redactedError) Error() string { return r.msg }
func (r *redactedError) Unwrap() error { return r.err }

const redacted = "[REDACTED]"

func redactToken(s, tok string) string {
	if tok == "" || !strings.Contains(s, tok) {
		return s
	}
	return strings.ReplaceAll(s, tok, redacted)
}

func (c *Client) redact(s string) string { return redactToken(s, c.token) }

// newError fills the call's identity into e and redacts every string.
func (c *Client) newError(cl *call, e *APIError) *APIError {
	if cl != nil {
		e.Operation, e.Method, e.Path = cl.opID, cl.method, cl.path
	}
	e.Message = c.redact(e.Message)
	e.Code = c.redact(e.Code)
	e.Hint = c.redact(e.Hint)
	e.Path = c.redact(e.Path)
	e.RequestID = c.redact(e.RequestID)
	for i := range e.Errors {
		e.Errors[i].Code = c.redact(e.Errors[i].Code)
		e.Errors[i].Message = c.redact(e.Errors[i].Message)
		e.Errors[i].Field = c.redact(e.Errors[i].Field)
	}
	e.cause = c.sanitize(e.cause)
	return e
}

// sanitize returns err, or when its text contains the token an equivalent
// chain with the token redacted at every level. URL errors keep their type
// (with the URL redacted), so errors.As still finds them and their causes.
func (c *Client) sanitize(err error) error {
	if err == nil || !strings.Contains(err.Error(), c.token) {
		return err
	}
	if ue, ok := err.(*url.Error); ok {
		return &url.Error{Op: ue.Op, URL: c.redact(ue.URL), Err: c.sanitize(ue.Err)}
	}
	return &redactedError{msg: c.redact(err.Error()), err: c.sanitize(errors.Unwrap(err))}
}

type errorList struct {
	Type      string  `json:"type"`
	RequestID *string `json:"request_id"`
	Errors    []struct {
		Code    *string `json:"code"`
		Message *string `json:"message"`
		Field   *string `json:"field"`
	} `json:"errors"`
	// Some endpoints answer {"error": "..."} or {"message": "..."}.
	Message string `json:"message"`
	Error   any    `json:"error"`
}

// statusError builds the error of an HTTP error status from the response.
func (c *Client) statusError(cl *call, status int, h http.Header, body []byte) *APIError {
	e := &APIError{Status: status}
	var el errorList
	if len(body) > 0 && json.Unmarshal(body, &el) == nil && (el.Type == "error.list" || len(el.Errors) > 0 || el.Message != "" || el.Error != nil) {
		for _, it := range el.Errors {
			e.Errors = append(e.Errors, ErrorItem{Code: deref(it.Code), Message: deref(it.Message), Field: deref(it.Field)})
		}
		if len(e.Errors) > 0 {
			e.Code, e.Message = e.Errors[0].Code, e.Errors[0].Message
		} else if el.Message != "" {
			e.Message = el.Message
		} else if s, ok := el.Error.(string); ok {
			e.Message = s
		}
		if el.RequestID != nil {
			e.RequestID = *el.RequestID
		}
	} else {
		e.Message = http.StatusText(status)
		if ex := excerpt(c.redact(string(body)), 200); ex != "" {
			if e.Message == "" {
				e.Message = ex
			} else {
				e.Message += ": " + ex
			}
		}
	}
	if e.Code == "" {
		e.Code = statusCode(status)
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	if e.RequestID == "" {
		e.RequestID = h.Get("X-Request-Id")
	}
	switch status {
	case http.StatusUnauthorized:
		e.Hint = c.hints.Unauthorized
	case http.StatusForbidden:
		e.Hint = "the token's app lacks the permission (scope) or plan this operation needs"
	}
	return c.newError(cl, e)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// statusCode is the code of an error status whose body has none.
func statusCode(status int) string {
	switch status {
	case 400:
		return "bad_request"
	case 401:
		return "unauthorized"
	case 403:
		return "forbidden"
	case 404:
		return "not_found"
	case 408:
		return "request_timeout"
	case 409:
		return "conflict"
	case 422:
		return "unprocessable_entity"
	case 429:
		return "rate_limit_exceeded"
	}
	if status >= 500 {
		return "server_error"
	}
	return fmt.Sprintf("http_%d", status)
}

// excerpt returns at most n bytes of s on one line, cut on a rune boundary.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// cancelled is the error of a call whose context ended.
func (c *Client) cancelled(cl *call, err error, attempts int, ambiguous bool) *APIError {
	e := &APIError{Code: "cancelled", Message: err.Error(), Attempts: attempts, cause: err, Ambiguous: ambiguous}
	if errors.Is(err, context.DeadlineExceeded) {
		e.Message = "deadline exceeded"
	}
	if ambiguous {
		e.Hint = ambiguousHint(cl, "cancelled while the request was in flight")
	}
	return c.newError(cl, e)
}

// ambiguousHint says that a call whose outcome is unknown may have been
// applied, why it was not resent, and to check by hand.
func ambiguousHint(cl *call, what string) string {
	if len(cl.sideEffects) > 0 {
		return fmt.Sprintf("%s: %s %s may have been applied; not retried because its %s would be applied twice (%s): check in Intercom before running it again",
			what, cl.method, cl.path, strings.Join(cl.sideEffects, ", "), cl.op.Retry.Why)
	}
	return fmt.Sprintf("%s: %s %s may have been applied; not retried because it is not idempotent: check in Intercom before running it again", what, cl.method, cl.path)
}

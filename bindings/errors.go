package bindings

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
)

// jsError carries a Go error to JS as an IntercomError.
type jsError struct {
	b   *Bindings
	err error
}

func (e *jsError) Error() string { return e.err.Error() }
func (e *jsError) Unwrap() error { return e.err }

// JSValue is what the runtime rejects a promise with.
func (e *jsError) JSValue(rt *goja.Runtime) goja.Value { return e.b.errorValue(e) }

func (b *Bindings) wrapError(err error) error {
	var je *jsError
	if errors.As(err, &je) {
		return err
	}
	return &jsError{b: b, err: err}
}

// errorValue builds the IntercomError of an error: API errors carry their
// status, code, errors and request id; anything else has status 0.
func (b *Bindings) errorValue(err error) goja.Value {
	fields := b.rt.NewObject()
	var api *intercom.APIError
	switch {
	case errors.As(err, &api):
		_ = fields.Set("message", jsMessage(b.cat, api))
		_ = fields.Set("status", api.Status)
		_ = fields.Set("code", api.Code)
		_ = fields.Set("requestId", api.RequestID)
		_ = fields.Set("operation", api.Operation)
		_ = fields.Set("method", api.Method)
		_ = fields.Set("path", api.Path)
		_ = fields.Set("ambiguous", api.Ambiguous)
		_ = fields.Set("attempts", api.Attempts)
		items := make([]any, 0, len(api.Errors))
		for _, e := range api.Errors {
			items = append(items, map[string]any{"code": e.Code, "message": e.Message, "field": e.Field})
		}
		_ = fields.Set("errors", items)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		_ = fields.Set("message", "request cancelled: "+err.Error())
		_ = fields.Set("status", 0)
		_ = fields.Set("code", "cancelled")
	default:
		_ = fields.Set("message", err.Error())
		_ = fields.Set("status", 0)
		_ = fields.Set("code", "error")
	}
	v, nerr := b.rt.New(b.errorCtor, fields)
	if nerr != nil {
		return b.rt.NewGoError(err)
	}
	return v
}

// jsMessage is an API error's message as a script author reads it: the
// call named as they wrote it (intercom.contacts.find) rather than by its
// operationId (ShowContact), which stays in the error's operation field.
func jsMessage(cat *catalog.Catalog, api *intercom.APIError) string {
	msg := api.Error()
	if op := cat.ByID(api.Operation); op != nil {
		msg = strings.Replace(msg, "intercom: "+api.Operation+" (", "intercom."+op.JSName()+" (", 1)
	}
	return msg
}

// gunzipText returns a body as text, unpacking it when it is gzipped.
func gunzipText(body []byte) (string, error) {
	if len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
		return string(body), nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("text(): the body looks gzipped but is not: %w", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		return "", fmt.Errorf("text(): the gzipped body is damaged: %w", err)
	}
	return string(out), nil
}

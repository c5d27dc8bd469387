package intercom

import (
	"context"
	"errors"
)

// ErrAbandoned, as the cause of a cancelled context
// (context.WithCancelCause), says that the caller gave up a call whose answer
// it no longer needs, such as a Pager's read-ahead after a break: the call
// returns its "cancelled" error but is not counted in Stats.Failures.
var ErrAbandoned = errors.New("abandoned by its caller: the answer is no longer needed")

// abandoned reports whether ctx was cancelled with ErrAbandoned.
func abandoned(ctx context.Context) bool {
	return ctx != nil && ctx.Err() != nil && errors.Is(context.Cause(ctx), ErrAbandoned)
}

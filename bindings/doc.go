// Package bindings exposes the Intercom REST API 2.10 to scripts: the
// `intercom` global with one method per catalogue operation, Pagers over
// every list and search, IntercomError, `pool`, and the convenience verbs of
// conversations (close, open, snooze, assign).
//
// Everything is derived from intercom/catalog; HTTP goes through
// intercom (the Go client). The package talks to the VM only through the Host
// interface (runtime.VM implements it), so it does not import runtime, and
// it never touches the process's files, streams or environment.
package bindings

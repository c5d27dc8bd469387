// Package webhook receives, records and sends Intercom webhook
// notifications: the X-Hub-Signature check (signature.go), the
// notification envelope (envelope.go), the durable delivery journal
// (journal.go), the receiver that answers 200 first and handles after
// (server.go), the sandbox's emitter (emit.go) and the per-topic fixtures
// `icscript trigger` builds events from (fixtures.go, fixtures/).
//
// It runs no JavaScript: the receiver calls a Go Handler, which
// cmd/icscript implements with a VM per delivery. It may import the
// sandbox (for the Change its hook reports), never runtime or bindings.
package webhook

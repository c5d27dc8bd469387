// Package safety holds the rails of a run against a real workspace: the
// audit log of mutations, the dry-run printer, the guard that asks before
// an irreversible operation, the gate that sends nothing once a rail has
// stopped the run, and the redactor that keeps secrets out of every
// output stream.
//
// It writes only to the io.Writers it is given and asks only through the
// function it is given; it never reads the process's streams or
// environment. Its messages name icscript's flags (--yes, --dry-run), so it
// is internal: a Go program using the intercom client brings its own rails.
// It may import intercom and intercom/catalog, nothing above them.
package safety

// Package stdlib is icscript's ops standard library: the globals a script
// gets besides console and intercom — args, env, fs (text, JSON, CSV,
// streamed lines), json (gjson paths), time (unix seconds, as Intercom
// speaks), sleep, prompt, fetch, exit and progress — each also importable as
// "icscript:<name>", plus console extras (table, time, count, group).
//
// One Go file per module, each with an explicit map from JS names to Go
// functions that return (value, error); error messages name the JS call:
// `fs.readCSV(): no such file "rows.csv" (looked in /abs/dir)`.
//
// The process's world — stdin, stdout, stderr, environment, terminal,
// clock, script directory, --yes, HTTP client, exit — comes in through Env;
// nothing here reads os.Stdout, os.Getenv or the terminal directly, so every
// behaviour is testable with buffers.
//
// Layering: stdlib imports runtime (for the VM) and goja; it must not import
// bindings, cmd or net/http's server side (fetch is a client).
package stdlib

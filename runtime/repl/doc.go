// Package repl is icscript's interactive prompt: line editing and history
// (chzyer/readline), completion from the live objects, multi-line input,
// top-level await with auto-awaited results, redeclarable let/const/class,
// pretty-printed results and the dot commands.
//
// One session drives one runtime.VM at a time (.clear makes a new one).
// Every input is classified (complete, incomplete, invalid: classify.go),
// rewritten so its top-level declarations land on the global object and its
// awaits run in an async function (rewrite.go), evaluated with a context of
// its own that Ctrl-C cancels (runtime.VM.EvalContext), and its value printed
// (print.go). Completion walks data properties from the global object in Go
// and never runs JS (complete.go).
//
// Layering: repl imports runtime, never bindings, net/http, nor the process's
// world (os.Stdin, os.Getenv, signals): cmd/icscript passes them in Config.
package repl

// Package runtime runs one icscript script: it bundles the entry file with
// esbuild (ES modules, CommonJS require of relative files, TypeScript, top-level
// await), compiles the bundle for goja, and drives a single goja VM with its own
// event loop (timers, queued callbacks and a count of pending Go operations).
//
// It owns the VM, the event loop, bundling and the compiled-program cache,
// script errors and their source-mapped presentation, console and Inspect.
//
// Layering: runtime must not import net/http nor any other icscript package.
// Bindings and stdlib modules import runtime and register themselves through
// VM.Set, VM.RegisterModule and VM.Async; cmd wires everything together.
// Nothing here touches os.Stdout, os.Stderr or the environment: output goes to
// the writers in Options.
package runtime

// Command icscript runs JavaScript and TypeScript against the Intercom REST
// API 2.10: `icscript script.js`, `icscript -e CODE`, the REPL, and the
// built-in sandbox. Everything happens in run, which tests call in-process.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], newSystem()))
}

package main

// Exit codes, in one place. The README's "Exit codes" section lists them.
const (
	exitOK          = 0   // the script finished
	exitScriptError = 1   // the script threw, an API call failed uncaught, or `check` found errors
	exitUsage       = 2   // bad flags or arguments, missing file, bad configuration
	exitStopped     = 3   // a safety rail stopped the run: an irreversible call not confirmed, or the audit log not writable
	exitTimeout     = 124 // --timeout elapsed
	exitInterrupted = 130 // Ctrl-C (SIGINT)
	exitTerminated  = 143 // SIGTERM
)

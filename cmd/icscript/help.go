package main

import (
	"fmt"
	"strings"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/suggest"
)

// helpTail follows the run flags in `icscript --help`: examples, the
// environment variables icscript reads, and the exit codes (exitcodes.go).
const helpTail = `
Examples:
  icscript --sandbox -e 'console.log((await intercom.me).app.name)'
  icscript --sandbox scripts/examples/close-stale.js --days 30
  icscript --dry-run close-stale.js --days 60       against your workspace, mutations printed not sent
  icscript ops close                               find the call for a task
  icscript --sandbox                               the REPL against a fresh sandbox
  source <(icscript completion bash)               TAB completion in bash (also zsh, fish)

Environment:
  INTERCOM_ACCESS_TOKEN   the workspace's access token (INTERCOM_API_KEY is read too);
                          with no token a run uses the sandbox and says so (--live forbids that)
  ICSCRIPT_PROFILE        the profile of ~/.config/icscript/config.toml to use
  XDG_CONFIG_HOME         where icscript/config.toml is (default ~/.config)
  XDG_STATE_HOME          where the REPL history is (default ~/.local/state)
  NO_COLOR                set: no colours (TERM=dumb too)

Exit codes:
  0    the script finished
  1    the script threw, an API error went uncaught, or check found errors
  2    bad flags or arguments (icscript's or, through args, the script's), a missing file,
       no token with --live, a bad config file
  3    a safety rail stopped the run (irreversible call not confirmed, audit log not writable)
  4    the machine refused icscript's own work: a file or folder not writable or readable,
       a full disk, a port already taken
  124  --timeout elapsed
  130  Ctrl-C; 143 SIGTERM
  N    exit(N) from the script
`

// versionLine is what `icscript version` and `icscript --version` print.
func versionLine() string {
	return fmt.Sprintf("icscript %s (Intercom API %s by default; knows %s)\n", version, catalog.Default, catalog.Span(catalog.Versions()))
}

// isVersionFlag reports whether arg asks for the version.
func isVersionFlag(arg string) bool { return arg == "--version" || arg == "-version" }

// commandGuess is the hint for a script name that does not exist but looks
// like a mistyped subcommand ("opps" → "ops"); "" otherwise.
func commandGuess(file string) string {
	if strings.ContainsAny(file, "./\\") {
		return ""
	}
	if guess := suggest.Closest(file, commandNames()); guess != "" {
		return fmt.Sprintf("; did you mean 'icscript %s'? ('icscript help' lists the commands)", guess)
	}
	return ""
}

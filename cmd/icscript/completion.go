package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/icscript/icscript/bindings"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/suggest"
	"github.com/icscript/icscript/internal/watch"
)

// Shell completion: `icscript completion bash|zsh|fish` prints a small
// script that asks the binary itself what fits (`icscript __complete WORDS…`),
// so the shells complete the same commands, flags, operation names and
// script files, from one place.

const completionUsage = `Usage: icscript completion bash|zsh|fish

Prints a shell completion script for commands, flags, operation names
(icscript ops, --help topics) and script files. To use it now:

  bash:  source <(icscript completion bash)
  zsh:   source <(icscript completion zsh)
  fish:  icscript completion fish | source

To keep it, add that line to ~/.bashrc, ~/.zshrc or ~/.config/fish/config.fish.
`

var completionScripts = map[string]string{
	"bash": `# bash completion for icscript: source <(icscript completion bash)
_icscript() {
    local IFS=$'\n'
    COMPREPLY=($(command icscript __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o filenames -o bashdefault -F _icscript icscript
`,
	"zsh": `#compdef icscript
# zsh completion for icscript: source <(icscript completion zsh)
_icscript() {
    local -a candidates
    candidates=("${(@f)$(command icscript __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    compadd -f -a candidates
}
if (( $+functions[compdef] )); then
    compdef _icscript icscript
else
    autoload -Uz compinit && compinit && compdef _icscript icscript
fi
`,
	"fish": `# fish completion for icscript: icscript completion fish | source
function __icscript_complete
    set -l words (commandline -opc) (commandline -ct)
    command icscript __complete $words[2..-1] 2>/dev/null
end
complete -c icscript -f -a '(__icscript_complete)'
`,
}

func runCompletion(args []string, sys *System) int {
	if len(args) == 1 && (args[0] == "--help" || args[0] == "-h" || args[0] == "-help") {
		fmt.Fprint(sys.Stdout, completionUsage)
		return exitOK
	}
	if len(args) != 1 {
		return fail(sys, usagef("completion wants one shell: bash, zsh or fish"))
	}
	script, ok := completionScripts[args[0]]
	if !ok {
		msg := fmt.Sprintf("completion knows bash, zsh and fish, got %q", args[0])
		if guess := suggest.Closest(args[0], []string{"bash", "zsh", "fish"}); guess != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", guess)
		}
		return fail(sys, usagef("%s", msg))
	}
	fmt.Fprint(sys.Stdout, script)
	return exitOK
}

// runComplete is the hidden `icscript __complete WORDS…`: the words after
// "icscript", the last one being completed (maybe empty). It prints the
// candidates that start with it, one a line.
func runComplete(words []string, sys *System) int {
	if len(words) == 0 {
		words = []string{""}
	}
	cur, before := words[len(words)-1], words[:len(words)-1]
	for _, c := range completeWords(before, cur) {
		if strings.HasPrefix(c, cur) {
			fmt.Fprintln(sys.Stdout, c)
		}
	}
	return exitOK
}

// completeWords is what may come after the words before: the candidates
// for the word being typed (cur), unfiltered.
func completeWords(before []string, cur string) []string {
	fs := runFlags(&runOptions{})
	var cmd *command
	positional := 0
	for i := 0; i < len(before); i++ {
		w := before[i]
		if strings.HasPrefix(w, "-") && w != "-" {
			if f := fs.Lookup(strings.TrimLeft(w, "-")); f != nil && takesValue(f) && !strings.Contains(w, "=") {
				i++ // its value
			}
			continue
		}
		if positional == 0 && cmd == nil {
			if cmd = commandNamed(w); cmd != nil {
				fs = flag.NewFlagSet(w, flag.ContinueOnError)
				if cmd.flags != nil {
					fs = cmd.flags()
				}
			}
		}
		positional++
	}
	if len(before) > 0 {
		if prev := before[len(before)-1]; strings.HasPrefix(prev, "-") {
			if f := fs.Lookup(strings.TrimLeft(prev, "-")); f != nil && takesValue(f) {
				return flagValues(f.Name, cur)
			}
		}
	}
	if strings.HasPrefix(cur, "-") {
		return flagNames(fs)
	}
	switch {
	case cmd == nil && positional > 0:
		return files(cur, false) // the script's own arguments: files are the best guess
	case cmd == nil:
		return append(commandNames(), files(cur, true)...)
	case cmd.complete != nil:
		return cmd.complete(cur)
	}
	return nil
}

// takesValue reports whether a flag wants a value (is not a boolean).
func takesValue(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

func flagNames(fs *flag.FlagSet) []string {
	var out []string
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) == 1 {
			out = append(out, "-"+f.Name)
		} else {
			out = append(out, "--"+f.Name)
		}
	})
	return out
}

// flagValues are the values a flag can take, where there is a short list.
func flagValues(name, cur string) []string {
	switch name {
	case "region":
		return []string{"us", "eu", "au"}
	case "audit", "o", "sandbox-state":
		return files(cur, false)
	}
	return nil
}

// opTopics are the namespaces and operations, by JS name.
func opTopics() []string {
	out := bindings.HelpTopics(catalog.MustFor(catalog.Default))
	sort.Strings(out)
	return out
}

// files lists the entries of cur's folder that start with cur's base:
// folders (with a trailing slash) and, when scripts, only script files.
func files(cur string, scripts bool) []string {
	dir, base := filepath.Split(cur)
	read := dir
	if read == "" {
		read = "."
	}
	entries, err := os.ReadDir(read)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(filepath.Join(read, name)); err == nil {
				isDir = st.IsDir()
			}
		}
		switch {
		case isDir:
			out = append(out, dir+name+"/")
		case !scripts || (watch.ScriptExts[filepath.Ext(name)] && filepath.Ext(name) != ".json"):
			out = append(out, dir+name)
		}
	}
	return out
}

func dirs(cur string) []string {
	var out []string
	for _, f := range files(cur, false) {
		if strings.HasSuffix(f, "/") {
			out = append(out, f)
		}
	}
	return out
}

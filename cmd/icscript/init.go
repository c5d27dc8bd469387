package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/icscript/icscript/bindings/typings"
	"github.com/icscript/icscript/intercom/catalog"
)

// initOptions are the flags of `icscript init`.
type initOptions struct {
	force  bool
	listen bool
	dir    string
}

const initUsage = `Usage: icscript init [--force] [--listen] [DIR]

Sets up DIR (default: the current directory) as a repository of ops scripts:
  icscript.d.ts     declarations of intercom (the newest API version), Pager
                    and the standard library
  tsconfig.json     makes editors (and tsc) use them
  scripts/hello.ts  an example pinned to that version: lists three contacts
  .gitignore        gains .icscript/ (the audit log)
With --listen, also:
  listen/handlers.ts  webhook handlers for 'icscript listen' (typed per topic)
Existing files are left alone unless --force is given; .gitignore is only
ever added to. 'icscript types --api-version V -o icscript.d.ts' refreshes the typings alone.
`

// tsconfigJSON makes editors type-check scripts against icscript.d.ts:
// ESNext without the DOM (icscript has its own fetch, console and prompt),
// every file a module (top-level await), .ts extensions in imports.
const tsconfigJSON = `{
  "compilerOptions": {
    "target": "ESNext",
    "module": "ESNext",
    "moduleResolution": "bundler",
    "moduleDetection": "force",
    "lib": ["ESNext"],
    "types": [],
    "strict": true,
    "allowJs": true,
    "checkJs": false,
    "noEmit": true,
    "allowImportingTsExtensions": true
  },
  "include": ["icscript.d.ts", "**/*.ts", "**/*.js"]
}
`

const helloScript = `// Lists three contacts of the workspace.
// Try it against the built-in sandbox:  icscript --sandbox scripts/hello.ts
const contacts = await intercom.contacts.list().first(3);
for (const c of contacts) {
  console.log(c.id, c.name ?? "(no name)", c.email);
}
`

// listenHandlers is the handler file `init --listen` writes.
const listenHandlers = `// Webhook handlers: each notification runs the handler of its topic.
// Try them against the built-in sandbox, which sends a notification for
// every change a script makes:  icscript listen --sandbox listen/handlers.ts
// Then, against your app:  INTERCOM_CLIENT_SECRET=… icscript listen --addr :8080 listen/handlers.ts
// A "*" handler gets the topics without one of their own.
export default {
  "conversation.user.created": async (event) => {
    const conv = event.data.item;
    console.log("new conversation", conv.id, "from", conv.source.author.email);
    if (/refund/i.test(conv.source.body ?? "")) {
      const tag = await intercom.tags.create({ name: "refund-request" });
      await intercom.tags.tagConversation(conv.id, { id: tag.id, admin_id: (await intercom.me).id });
    }
  },
  "contact.tag.created": async (event) => {
    console.log(event.data.item.contact.id, "tagged", event.data.item.tag.name);
  },
} satisfies Intercom.WebhookHandlers;
`

// auditIgnore is the line .gitignore needs: the audit log directory.
const auditIgnore = ".icscript/"

// initFile is one file init writes.
type initFile struct {
	path    string // relative to the directory
	content string
}

func initFiles(listen bool) []initFile {
	files := []initFile{
		{"icscript.d.ts", typings.GenerateFor(catalog.MustFor(catalog.Newest()))},
		{"tsconfig.json", tsconfigJSON},
		{filepath.Join("scripts", "hello.ts"), "// @icscript api " + catalog.Newest() + "\n" + helloScript},
	}
	if listen {
		files = append(files, initFile{filepath.Join("listen", "handlers.ts"), listenHandlers})
	}
	return files
}

// initFlags are the flags of `icscript init`.
func initFlags(o *initOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.BoolVar(&o.force, "force", false, "overwrite files that already exist")
	fs.BoolVar(&o.listen, "listen", false, "also write listen/handlers.ts, webhook handlers for icscript listen")
	return fs
}

func parseInitArgs(args []string) (*initOptions, error) {
	o := &initOptions{dir: "."}
	fs := initFlags(o)
	if err := parseFlags(fs, args); err != nil {
		return o, err
	}
	switch fs.NArg() {
	case 0:
	case 1:
		o.dir = fs.Arg(0)
	default:
		return o, usagef("init takes one directory, got %d arguments", fs.NArg())
	}
	return o, nil
}

func runInit(args []string, sys *System) int {
	o, err := parseInitArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(sys.Stdout, initUsage)
		return exitOK
	}
	if err != nil {
		return fail(sys, err)
	}
	if err := initRepo(o, sys); err != nil {
		return fail(sys, err)
	}
	fmt.Fprintf(sys.Stdout, "Next: icscript --sandbox %s\n", filepath.Join(o.dir, "scripts", "hello.ts"))
	if o.listen {
		fmt.Fprintf(sys.Stdout, "      icscript listen --sandbox %s\n", filepath.Join(o.dir, "listen", "handlers.ts"))
	}
	return exitOK
}

// initRepo writes the files, or none of them when one exists and --force
// was not given.
func initRepo(o *initOptions, sys *System) error {
	files := initFiles(o.listen)
	if !o.force {
		var existing []string
		for _, f := range files {
			if _, err := os.Stat(sys.path(filepath.Join(o.dir, f.path))); err == nil {
				existing = append(existing, filepath.Join(o.dir, f.path))
			}
		}
		if len(existing) > 0 {
			verb := "exists"
			if len(existing) > 1 {
				verb = "exist"
			}
			return usagef("init: %s already %s; nothing was written (use --force to overwrite)", strings.Join(existing, ", "), verb)
		}
	}
	for _, f := range files {
		path := filepath.Join(o.dir, f.path)
		if err := os.MkdirAll(filepath.Dir(sys.path(path)), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(sys.path(path), []byte(f.content), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(sys.Stdout, "wrote %s\n", path)
	}
	return addGitignore(filepath.Join(o.dir, ".gitignore"), sys)
}

// addGitignore makes sure .gitignore lists the audit log directory,
// keeping what it already holds.
func addGitignore(path string, sys *System) error {
	data, err := os.ReadFile(sys.path(path))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if l := strings.TrimSpace(line); l == auditIgnore || l == "/"+auditIgnore || l == ".icscript" {
			fmt.Fprintf(sys.Stdout, "kept %s (already ignores %s)\n", path, auditIgnore)
			return nil
		}
	}
	text := string(data)
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	text += "# icscript's audit log\n" + auditIgnore + "\n"
	if err := os.WriteFile(sys.path(path), []byte(text), 0o644); err != nil {
		return err
	}
	if len(data) == 0 {
		fmt.Fprintf(sys.Stdout, "wrote %s\n", path)
	} else {
		fmt.Fprintf(sys.Stdout, "added %s to %s\n", auditIgnore, path)
	}
	return nil
}

package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icscript/icscript/webhook"
)

// TestRelativePathsResolveFromSystemDir: the files commands name in flags
// and arguments — --audit, types -o, trigger --data, --sandbox-state,
// replay's JOURNAL, init's DIR — are found from System.Dir, not from the
// process's working directory: run(args, sys) in-process with a Dir other
// than the test's own reads and writes there, as the binary would in it.
func TestRelativePathsResolveFromSystemDir(t *testing.T) {
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if dir == cwd {
		t.Fatal("the test needs a Dir other than the process's")
	}
	// inDir says that name was written in dir and not in the process's
	// working directory (removing a stray copy there).
	inDir := func(t *testing.T, name string) {
		t.Helper()
		if _, err := os.Stat(filepath.Join(cwd, name)); err == nil {
			os.RemoveAll(filepath.Join(cwd, strings.Split(name, string(filepath.Separator))[0]))
			t.Errorf("%s was written in the process's working directory", name)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s is not in System.Dir: %v", name, err)
		}
	}

	t.Run("--audit", func(t *testing.T) {
		r := inProcess(t, dir, nil, "--sandbox", "--audit", "audit-rel.jsonl", "-e",
			`const c = await intercom.contacts.list().first(); await intercom.contacts.update(c.id, {name: "Audited"});`)
		if r.code != exitOK {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		inDir(t, "audit-rel.jsonl")
	})

	t.Run("types -o", func(t *testing.T) {
		if r := inProcess(t, dir, nil, "types", "-o", "types-rel.d.ts"); r.code != exitOK {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		inDir(t, "types-rel.d.ts")
	})

	t.Run("--sandbox-state", func(t *testing.T) {
		// With no signals to wait for, the command serves, then stops and saves.
		if r := inProcess(t, dir, nil, "sandbox", "--addr", "127.0.0.1:0", "--sandbox-state", "state-rel.json"); r.code != exitOK {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		inDir(t, "state-rel.json")
	})

	t.Run("init DIR", func(t *testing.T) {
		if r := inProcess(t, dir, nil, "init", "init-rel"); r.code != exitOK {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		inDir(t, filepath.Join("init-rel", "scripts", "hello.ts"))
		inDir(t, filepath.Join("init-rel", ".gitignore"))
	})

	t.Run("trigger --data", func(t *testing.T) {
		got := make(chan []byte, 1)
		recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			got <- body
		}))
		defer recv.Close()
		writeFile(t, filepath.Join(dir, "item-rel.json"), `{"type": "contact", "id": "from-the-data-file"}`)
		r := inProcess(t, dir, map[string]string{"INTERCOM_CLIENT_SECRET": e2eSecret}, "trigger", "contact.user.created", "--data", "item-rel.json", "--url", recv.URL)
		if r.code != exitOK {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		if body := <-got; !strings.Contains(string(body), "from-the-data-file") {
			t.Errorf("the notification does not carry --data's item: %s", body)
		}
	})

	t.Run("replay JOURNAL", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "h-rel.js"), `export default { "*": (e) => console.log("replayed", e.id) };`)
		body, _ := json.Marshal(webhook.NewEvent("notif_rel", "app", "contact.user.created", json.RawMessage(`{"type":"contact"}`), 1700000000))
		rec, _ := json.Marshal(webhook.Record{Kind: "received", ID: "notif_rel", Topic: "contact.user.created", Body: body})
		writeFile(t, filepath.Join(dir, "journal-rel.jsonl"), string(rec)+"\n")
		r := inProcess(t, dir, nil, "replay", "--sandbox", "journal-rel.jsonl", "h-rel.js")
		if r.code != exitOK || !strings.Contains(r.stdout, "replayed notif_rel") {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
	})
}

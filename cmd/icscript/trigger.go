package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/config"
	"github.com/icscript/icscript/internal/safety"
	"github.com/icscript/icscript/webhook"
)

// triggerOptions are the flags of `icscript trigger`.
type triggerOptions struct {
	topic      string
	sets       stringList
	data       string
	url        string
	sandboxURL string
	secretEnv  string
}

func triggerFlags(o *triggerOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("trigger", flag.ContinueOnError)
	fs.Var(&o.sets, "set", "override a field of the event, as `PATH=VALUE` (data.item.source.body=\"I want a refund\"; repeatable; VALUE is JSON or text)")
	fs.StringVar(&o.data, "data", "", "use the item (data.item) in `FILE` instead of the topic's fixture")
	fs.StringVar(&o.url, "url", "http://"+defaultListenAddr+"/", "send the notification to `URL`")
	fs.StringVar(&o.sandboxURL, "sandbox-url", "", "take the item from the sandbox at `URL` (token from INTERCOM_ACCESS_TOKEN): an object that exists there")
	fs.StringVar(&o.secretEnv, "secret-env", defaultSecretEnv, "environment `VAR` holding the client secret to sign with")
	return fs
}

const triggerUsage = `Usage: icscript trigger TOPIC [flags]

Sends a signed notification of TOPIC, built from the topic's fixture
(webhook/fixtures/TOPIC.json) or --data, with --set overrides, to --url.

Topics: %s

Flags:
`

// parseTriggerArgs accepts flags before and after the topic.
func parseTriggerArgs(args []string) (*triggerOptions, error) {
	o := &triggerOptions{}
	fs := triggerFlags(o)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return o, err
	}
	if len(rest) != 1 {
		return o, usagef("trigger wants one TOPIC, got %d (topics: %s)", len(rest), strings.Join(webhook.FixtureTopics(), ", "))
	}
	o.topic = rest[0]
	for _, s := range o.sets {
		if !strings.Contains(s, "=") {
			return o, usagef("--set wants PATH=VALUE, got %q", s)
		}
	}
	return o, nil
}

func runTrigger(args []string, sys *System) int {
	o, err := parseTriggerArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(sys.Stdout, triggerUsage, strings.Join(webhook.FixtureTopics(), ", "))
		printFlags(sys.Stdout, triggerFlags(&triggerOptions{}))
		return exitOK
	}
	if err != nil {
		return fail(sys, err)
	}
	secret := sys.Getenv(o.secretEnv)
	if secret == "" {
		return fail(sys, usagef("trigger signs with the app's client secret: set %s (or name another variable with --secret-env)", o.secretEnv))
	}
	// The secrets of a run (the --sandbox-url's user:pass@ among them),
	// the client secret and user:pass@ of --url.
	sys, flush := sys.redactedRun(o.sandboxURL, append(safety.URLSecrets(o.url), secret)...)
	defer flush()
	ctx, _, stop := sys.interruptible(context.Background())
	defer stop()
	body, ev, err := buildTriggerEvent(ctx, o, sys)
	if err != nil {
		return fail(sys, err)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	if err := webhook.Send(ctx, client, o.url, []byte(secret), body); err != nil {
		return fail(sys, fmt.Errorf("trigger %s: %w", safety.DisplayURL(o.url), err))
	}
	fmt.Fprintf(sys.Stdout, "icscript trigger: sent %s %s to %s\n", ev["id"], o.topic, safety.DisplayURL(o.url))
	return exitOK
}

// buildTriggerEvent makes the notification: the item (fixture, --data or
// the sandbox's), the envelope, then the --set overrides.
func buildTriggerEvent(ctx context.Context, o *triggerOptions, sys *System) ([]byte, map[string]any, error) {
	item, err := webhook.Fixture(o.topic)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	switch {
	case o.data != "":
		if item, err = os.ReadFile(sys.path(o.data)); err != nil {
			return nil, nil, usagef("--data: %v", err)
		}
		if !json.Valid(item) {
			return nil, nil, usagef("--data %s: not JSON", o.data)
		}
	case o.sandboxURL != "":
		if item, err = sandboxItem(ctx, o, sys, item); err != nil {
			return nil, nil, err
		}
	}
	ev := webhook.NewEvent(webhook.NewID(), "", o.topic, item, sys.Now().Unix())
	raw, _ := json.Marshal(ev)
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, err
	}
	for _, s := range o.sets {
		path, value, _ := strings.Cut(s, "=")
		if err := webhook.Override(doc, path, value); err != nil {
			return nil, nil, usagef("%v", err)
		}
	}
	body, err := json.Marshal(doc)
	return body, doc, err
}

// sandboxItem replaces the fixture's item with an object of the same type
// from the sandbox at --sandbox-url: the latest conversation, a contact of
// the fixture's role, the latest ticket; a contact_tag pairs the sandbox's
// first tag with a contact.
func sandboxItem(ctx context.Context, o *triggerOptions, sys *System, fixture []byte) (json.RawMessage, error) {
	var f struct {
		Type string `json:"type"`
		Role string `json:"role"`
	}
	_ = json.Unmarshal(fixture, &f)
	get := func(method, path string, body any) (json.RawMessage, error) {
		return sandboxCall(ctx, o.sandboxURL, config.EnvToken(sys.Getenv), method, path, body)
	}
	first := func(method, path, field string, body any) (json.RawMessage, error) {
		raw, err := get(method, path, body)
		if err != nil {
			return nil, err
		}
		var page map[string][]json.RawMessage
		_ = json.Unmarshal(raw, &page)
		if len(page[field]) == 0 {
			return nil, fmt.Errorf("--sandbox-url: the sandbox has no %s", field)
		}
		return page[field][0], nil
	}
	switch f.Type {
	case "conversation":
		c, err := first(http.MethodPost, "/conversations/search", "conversations", map[string]any{
			"query": map[string]any{"field": "created_at", "operator": ">", "value": 0}, "sort": map[string]any{"field": "created_at", "order": "descending"}})
		if err != nil {
			return nil, err
		}
		return refetch(c, "/conversations/", get)
	case "contact":
		return first(http.MethodPost, "/contacts/search", "data", map[string]any{"query": map[string]any{"field": "role", "operator": "=", "value": f.Role}})
	case "ticket":
		return first(http.MethodPost, "/tickets/search", "tickets", map[string]any{"query": map[string]any{"field": "created_at", "operator": ">", "value": 0}})
	case "contact_tag":
		tag, err := first(http.MethodGet, "/tags", "data", nil)
		if err != nil {
			return nil, err
		}
		contact, err := first(http.MethodPost, "/contacts/search", "data", map[string]any{"query": map[string]any{"field": "role", "operator": "=", "value": "user"}})
		if err != nil {
			return nil, err
		}
		return json.Marshal(map[string]any{"type": "contact_tag", "created_at": sys.Now().Unix(), "tag": tag, "contact": contact})
	}
	return nil, fmt.Errorf("--sandbox-url: no sandbox object for a %q item", f.Type)
}

// refetch reads an object again by id (searches return a shorter form).
func refetch(obj json.RawMessage, prefix string, get func(string, string, any) (json.RawMessage, error)) (json.RawMessage, error) {
	var ref struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(obj, &ref)
	return get(http.MethodGet, prefix+ref.ID, nil)
}

// sandboxCall makes one API request to a served sandbox.
func sandboxCall(ctx context.Context, base, tok, method, path string, body any) (json.RawMessage, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(base, "/")+path, rd)
	if err != nil {
		return nil, usagef("--sandbox-url: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Intercom-Version", catalog.Default)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("--sandbox-url: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 10<<20))
	if err != nil {
		return nil, fmt.Errorf("--sandbox-url: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("--sandbox-url: %s %s answered %s (is INTERCOM_ACCESS_TOKEN the sandbox's token?)", method, path, resp.Status)
	}
	return data, nil
}

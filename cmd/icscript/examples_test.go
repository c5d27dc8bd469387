package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// The example scripts of scripts/examples run here as a user runs them: the
// real icscript binary, against a sandbox served on 127.0.0.1 (--base-url
// and INTERCOM_ACCESS_TOKEN), with real files in a temp dir. Each test
// checks what the script changed in the workspace or wrote, and that its
// --dry-run changes nothing.

// examplesDir is the repository's scripts/examples.
var examplesDir = filepath.Join("..", "..", "scripts", "examples")

// examplesTested lists every example and the test that runs it; an example
// without a test fails TestExamplesAllTested.
var examplesTested = []string{
	"close-stale.js", "bulk-tag-from-csv.js", "export-contacts.ts", "merge-duplicate-leads.js",
	"reassign-admin.js", "inbox-report.js", "gdpr-erase.js", "sync-company-attributes.js",
	"ticket-sla-breaches.js", "data-export.js",
}

// exampleEnv is one example's world: a served sandbox and a temp dir holding
// a copy of the script (so that its audit log and relative paths stay there).
type exampleEnv struct {
	t      *testing.T
	sb     *sandbox.Sandbox
	base   string
	dir    string
	script string
}

func newExampleEnv(t *testing.T, name string) *exampleEnv {
	t.Helper()
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 1, Token: exampleToken})
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(examplesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, name)
	if err := os.WriteFile(script, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return &exampleEnv{t: t, sb: sb, base: base, dir: dir, script: script}
}

// output shows a run for a failure message.
func showRun(r result) string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s\n--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// exampleToken is the workspace token of every example run: recognisable,
// so that each run can check it leaked nowhere.
const exampleToken = "tok_EXAMPLE_SECRET_5150_never_print"

// run runs the example with runner flags (before the script) and script
// arguments (after it), with --verbose, and checks that the token appears
// in no output and not in the audit log.
func (e *exampleEnv) run(runner []string, scriptArgs ...string) result {
	e.t.Helper()
	args := append([]string{"--base-url", e.base, "--verbose"}, runner...)
	args = append(args, e.script)
	args = append(args, scriptArgs...)
	r := icscript(e.t, e.dir, []string{"INTERCOM_ACCESS_TOKEN=" + e.sb.Token(), "TERM=dumb"}, args...)
	audit, _ := os.ReadFile(filepath.Join(e.dir, ".icscript", "audit.jsonl"))
	for where, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr, "the audit log": string(audit)} {
		if strings.Contains(text, exampleToken) {
			e.t.Errorf("%s: the token appears in %s", filepath.Base(e.script), where)
		}
	}
	return r
}

// mustRun runs the example and fails the test unless it exits 0.
func (e *exampleEnv) mustRun(runner []string, scriptArgs ...string) result {
	e.t.Helper()
	r := e.run(runner, scriptArgs...)
	if r.code != 0 {
		e.t.Fatalf("icscript %s %s: %s", filepath.Base(e.script), strings.Join(scriptArgs, " "), showRun(r))
	}
	return r
}

// yesFlag is the runner flag that answers prompt.confirm and allows
// irreversible operations in a run without a terminal.
var yesFlag = []string{"--yes"}

func (e *exampleEnv) snapshot() []byte {
	e.t.Helper()
	data, err := e.sb.Snapshot()
	if err != nil {
		e.t.Fatal(err)
	}
	return data
}

// dryRunChangesNothing runs the example with --dry-run and checks that the
// workspace is the same before and after.
func (e *exampleEnv) dryRunChangesNothing(runner []string, scriptArgs ...string) result {
	e.t.Helper()
	before := e.snapshot()
	r := e.mustRun(append([]string{"--dry-run"}, runner...), scriptArgs...)
	if after := e.snapshot(); !bytes.Equal(before, after) {
		e.t.Errorf("--dry-run changed the workspace:\n%s", showRun(r))
	}
	return r
}

// api calls the served sandbox directly and decodes the JSON answer.
func (e *exampleEnv) api(method, path string, body any) (int, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.base+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.sb.Token())
	req.Header.Set("Intercom-Version", "2.10")
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	if len(data) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
	return resp.StatusCode, out
}

// mustAPI is api that fails the test on a non-2xx answer.
func (e *exampleEnv) mustAPI(method, path string, body any) map[string]any {
	e.t.Helper()
	status, out := e.api(method, path, body)
	if status/100 != 2 {
		e.t.Fatalf("%s %s: %d %v", method, path, status, out)
	}
	return out
}

// search runs a search (contacts, conversations or tickets) and returns the
// first page of items and the total count.
func (e *exampleEnv) search(resource string, query map[string]any) ([]map[string]any, int) {
	e.t.Helper()
	out := e.mustAPI("POST", "/"+resource+"/search", map[string]any{"query": query, "pagination": map[string]any{"per_page": 150}})
	key := "data"
	if resource != "contacts" {
		key = resource
	}
	return jsonItems(out[key]), int(out["total_count"].(float64))
}

// idString prints an id that JSON may give as a number or a string.
func jsonID(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func jsonItems(v any) []map[string]any {
	arr, _ := v.([]any)
	out := make([]map[string]any, 0, len(arr))
	for _, it := range arr {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func searchFilter(field, op string, value any) map[string]any {
	return map[string]any{"field": field, "operator": op, "value": value}
}

func searchAnd(filters ...map[string]any) map[string]any {
	list := make([]any, len(filters))
	for i, f := range filters {
		list[i] = f
	}
	return map[string]any{"operator": "AND", "value": list}
}

// summaryNumber reads the number after prefix in the output, such as
// "closed 88" → 88.
func summaryNumber(t *testing.T, out, pattern string) int {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("output lacks %q:\n%s", pattern, out)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func readTestCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

func writeTestFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestExamplesAllTested(t *testing.T) {
	entries, err := os.ReadDir(examplesDir)
	if err != nil {
		t.Fatal(err)
	}
	tested := map[string]bool{}
	for _, n := range examplesTested {
		tested[n] = true
	}
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".js" || ext == ".ts") && !tested[e.Name()] {
			t.Errorf("scripts/examples/%s has no test in examples_test.go", e.Name())
		}
		delete(tested, e.Name())
	}
	for n := range tested {
		t.Errorf("examples_test.go tests %s, which is not in scripts/examples", n)
	}
}

// Every example has a header comment with an example command, and --help
// prints its flags (with --sandbox, as the header suggests trying).
func TestExamplesHelp(t *testing.T) {
	for _, name := range examplesTested {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(filepath.Join(examplesDir, name))
			if err != nil {
				t.Fatal(err)
			}
			head := string(src[:min(len(src), 3000)])
			for _, want := range []string{"// " + strings.TrimSuffix(name, filepath.Ext(name)) + " — ", "// Flags:", "// Example:", "icscript "} {
				if !strings.Contains(head, want) {
					t.Errorf("the header comment lacks %q", want)
				}
			}
			script, err := filepath.Abs(filepath.Join(examplesDir, name))
			if err != nil {
				t.Fatal(err)
			}
			r := icscript(t, t.TempDir(), nil, "--sandbox", script, "--help")
			if r.code != 0 || !strings.Contains(r.stdout, "usage: icscript "+name) || !strings.Contains(r.stdout, "--help") {
				t.Errorf("--help: %s", showRun(r))
			}
		})
	}
}

func TestExampleCloseStale(t *testing.T) {
	t.Parallel()
	e := newExampleEnv(t, "close-stale.js")
	dry := e.dryRunChangesNothing(nil, "--days", "30")
	want := summaryNumber(t, dry.stdout, `closed (\d+), failed 0`)
	if want == 0 {
		t.Fatalf("the seeded workspace has no stale conversations:\n%s", showRun(dry))
	}
	r := e.mustRun(nil, "--days", "30")
	if n := summaryNumber(t, r.stdout, `closed (\d+), failed 0`); n != want {
		t.Errorf("closed %d, the dry run said %d", n, want)
	}
	_, open := e.search("conversations", searchAnd(searchFilter("state", "=", "open"), searchFilter("updated_at", "<", time.Now().Add(-30*24*time.Hour).Unix())))
	if open != 0 {
		t.Errorf("%d stale conversations still open", open)
	}
	if again := e.mustRun(nil, "--days", "30"); summaryNumber(t, again.stdout, `closed (\d+)`) != 0 {
		t.Errorf("a second run closed more:\n%s", showRun(again))
	}
}

func TestExampleBulkTagFromCSV(t *testing.T) {
	t.Parallel()
	e := newExampleEnv(t, "bulk-tag-from-csv.js")
	users, _ := e.search("contacts", searchFilter("role", "=", "user"))
	var emails, externalIDs []string
	for _, u := range users[:6] {
		emails = append(emails, u["email"].(string))
		externalIDs = append(externalIDs, u["external_id"].(string))
	}
	file := filepath.Join(e.dir, "vips.csv")
	writeTestFile(t, file, "email,name\n"+strings.Join(emails[:3], ",x\n")+",x\n"+emails[0]+",duplicate\nnobody@nowhere.example,ghost\n,empty\n")

	e.dryRunChangesNothing(nil, "--file", file, "--tag", "csv-vip")
	r := e.mustRun(nil, "--file", file, "--tag", "csv-vip")
	for _, want := range []string{`created the tag "csv-vip"`, "1 not found", "nobody@nowhere.example"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, showRun(r))
		}
	}
	tags := jsonItems(e.mustAPI("GET", "/tags", nil)["data"])
	var tagID string
	for _, tg := range tags {
		if tg["name"] == "csv-vip" {
			tagID = tg["id"].(string)
		}
	}
	if tagID == "" {
		t.Fatalf("no tag csv-vip after the run: %v", tags)
	}
	tagged, _ := e.search("contacts", searchFilter("tag_id", "=", tagID))
	got := map[string]bool{}
	for _, c := range tagged {
		got[c["email"].(string)] = true
	}
	for _, em := range emails[:3] {
		if !got[em] {
			t.Errorf("%s is not tagged csv-vip", em)
		}
	}
	if len(got) != 3 {
		t.Errorf("tagged emails %v, want exactly %v", got, emails[:3])
	}

	// By external id, then untag everything.
	ext := filepath.Join(e.dir, "ext.csv")
	writeTestFile(t, ext, "external_id\n"+strings.Join(externalIDs[3:], "\n")+"\n")
	e.mustRun(nil, "--file", ext, "--tag", "csv-vip", "--column", "external_id")
	if _, n := e.search("contacts", searchFilter("tag_id", "=", tagID)); n < 6 {
		t.Errorf("%d contacts tagged after the external_id run, want at least 6", n)
	}
	e.dryRunChangesNothing(nil, "--file", ext, "--tag", "csv-vip", "--column", "external_id", "--untag")
	e.mustRun(nil, "--file", file, "--tag", "csv-vip", "--untag")
	e.mustRun(nil, "--file", ext, "--tag", "csv-vip", "--column", "external_id", "--untag")
	if _, n := e.search("contacts", searchFilter("tag_id", "=", tagID)); n != 0 {
		t.Errorf("%d contacts still tagged after --untag", n)
	}
}

func TestExampleExportContacts(t *testing.T) {
	t.Parallel()
	e := newExampleEnv(t, "export-contacts.ts")
	before := e.snapshot()
	out := filepath.Join(e.dir, "pro-users.csv")
	fields := "id,email,role,plan,custom_attributes.seats,location.city,created_at,companies,tags"
	e.mustRun(nil, "--role", "user", "--plan", "pro", "--fields", fields, "--out", out)
	if !bytes.Equal(before, e.snapshot()) {
		t.Error("exporting changed the workspace")
	}
	recs := readTestCSV(t, out)
	if got := strings.Join(recs[0], ","); got != fields {
		t.Fatalf("header %q, want %q", got, fields)
	}
	_, total := e.search("contacts", searchAnd(searchFilter("role", "=", "user"), searchFilter("custom_attributes.plan", "=", "pro")))
	if len(recs)-1 != total || total == 0 {
		t.Fatalf("%d rows, the search finds %d", len(recs)-1, total)
	}
	withCompany := 0
	for _, rec := range recs[1:] {
		if rec[2] != "user" || rec[3] != "pro" || !strings.Contains(rec[1], "@") || rec[4] == "" || !strings.HasSuffix(rec[6], "Z") {
			t.Errorf("bad row %q", rec)
		}
		if rec[7] != "" {
			withCompany++
			if strings.HasPrefix(rec[7], "640") {
				t.Errorf("companies column has ids, not names: %q", rec[7])
			}
		}
	}
	if withCompany == 0 {
		t.Error("no row has a company name")
	}

	// --since: only recent contacts, both roles.
	recent := filepath.Join(e.dir, "recent.csv")
	e.mustRun(nil, "--since", "30", "--fields", "id,created_at", "--out", recent)
	recs = readTestCSV(t, recent)
	limit := time.Now().Add(-31 * 24 * time.Hour)
	for _, rec := range recs[1:] {
		at, err := time.Parse(time.RFC3339, rec[1])
		if err != nil || at.Before(limit) {
			t.Errorf("row %q is older than 30 days (%v)", rec, err)
		}
	}
	if len(recs) < 2 {
		t.Error("--since 30 exported nothing")
	}
}

func TestExampleMergeDuplicateLeads(t *testing.T) {
	t.Parallel()
	e := newExampleEnv(t, "merge-duplicate-leads.js")
	before := e.snapshot()
	refused := e.run(nil)
	if refused.code == 0 || !strings.Contains(refused.stderr, "--yes") {
		t.Errorf("without a terminal and without --yes the script should refuse:\n%s", showRun(refused))
	}
	if !bytes.Equal(before, e.snapshot()) {
		t.Fatal("a refused merge changed the workspace")
	}
	dry := e.dryRunChangesNothing(yesFlag)
	want := summaryNumber(t, dry.stdout, `would have merged (\d+) leads`)
	leadIDs := regexp.MustCompile(`│ \d+\s+│ ([0-9a-f]{24}) │`).FindAllStringSubmatch(dry.stdout, -1)
	if want == 0 || len(leadIDs) != want {
		t.Fatalf("the plan lists %d leads, the summary says %d:\n%s", len(leadIDs), want, showRun(dry))
	}

	r := e.mustRun(yesFlag)
	if n := summaryNumber(t, r.stdout, `merged (\d+) leads, failed 0`); n != want {
		t.Errorf("merged %d, the dry run planned %d", n, want)
	}
	for _, m := range leadIDs {
		if status, _ := e.api("GET", "/contacts/"+m[1], nil); status != http.StatusNotFound {
			t.Errorf("merged lead %s answers %d, want 404", m[1], status)
		}
	}
	if again := e.mustRun(yesFlag); !strings.Contains(again.stdout, "no leads to merge") {
		t.Errorf("a second run found more to merge:\n%s", showRun(again))
	}
}

func TestExampleReassignAdmin(t *testing.T) {
	t.Parallel()
	e := newExampleEnv(t, "reassign-admin.js")
	admins := jsonItems(e.mustAPI("GET", "/admins", nil)["admins"])
	teams := jsonItems(e.mustAPI("GET", "/teams", nil)["teams"])
	from, other, team := admins[1]["id"].(string), admins[2]["id"].(string), teams[0]["id"].(string)
	fromN, _ := strconv.Atoi(from)
	open := searchAnd(searchFilter("admin_assignee_id", "=", fromN), searchFilter("open", "=", true))
	convs, n := e.search("conversations", open)
	if n == 0 {
		t.Fatalf("admin %s has no open conversations in the seed", from)
	}

	e.dryRunChangesNothing(nil, "--from", from, "--to-team", team)
	if r := e.run(nil, "--from", from, "--to-team", "999999"); r.code == 0 {
		t.Errorf("an unknown team should fail the run:\n%s", showRun(r))
	}
	r := e.mustRun(nil, "--from", from, "--to-team", team, "--note", "Ben is on leave")
	if got := summaryNumber(t, r.stdout, `moved (\d+) conversations`); got != n {
		t.Errorf("moved %d, want %d", got, n)
	}
	if _, left := e.search("conversations", open); left != 0 {
		t.Errorf("%d open conversations still assigned to %s", left, from)
	}
	cv := e.mustAPI("GET", "/conversations/"+convs[0]["id"].(string), nil)
	if jsonID(cv["team_assignee_id"]) != team || cv["admin_assignee_id"] != nil {
		t.Errorf("conversation %v: team %v admin %v, want team %s and no admin", cv["id"], cv["team_assignee_id"], cv["admin_assignee_id"], team)
	}
	parts := jsonItems(cv["conversation_parts"].(map[string]any)["conversation_parts"])
	noted := false
	for _, p := range parts {
		if p["part_type"] == "note" && strings.Contains(fmt.Sprint(p["body"]), "Ben is on leave") {
			noted = true
		}
	}
	if !noted {
		t.Errorf("conversation %v has no note", cv["id"])
	}

	// To another admin.
	otherN, _ := strconv.Atoi(other)
	_, had := e.search("conversations", searchAnd(searchFilter("admin_assignee_id", "=", otherN), searchFilter("open", "=", true)))
	e.mustRun(nil, "--from", other, "--to-admin", from)
	if _, now := e.search("conversations", open); now != had {
		t.Errorf("admin %s has %d open conversations, want the %d of admin %s", from, now, had, other)
	}
}

func TestExampleInboxReport(t *testing.T) {
	t.Parallel()
	e := newExampleEnv(t, "inbox-report.js")
	before := e.snapshot()
	out := filepath.Join(e.dir, "inbox.json")
	r := e.mustRun(nil, "--out", out)
	if !bytes.Equal(before, e.snapshot()) {
		t.Error("the report changed the workspace")
	}
	for _, want := range []string{"Per team", "Per admin", "median 1st response", "┌"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, showRun(r))
		}
	}
	var report struct {
		Totals struct {
			Open, Snoozed, Closed, Conversations, Replied int
			Median                                        *float64 `json:"median_first_response_seconds"`
		}
		Teams, Admins []struct {
			Name                         string
			Open, Snoozed, Closed, Total int
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	list := e.mustAPI("GET", "/conversations?per_page=1", nil)
	total := int(list["total_count"].(float64))
	tt := report.Totals
	if tt.Conversations != total || tt.Open+tt.Snoozed+tt.Closed != total {
		t.Errorf("totals %+v, the workspace has %d conversations", tt, total)
	}
	_, closed := e.search("conversations", searchFilter("state", "=", "closed"))
	if tt.Closed != closed {
		t.Errorf("closed %d, the search finds %d", tt.Closed, closed)
	}
	if tt.Median == nil || *tt.Median <= 0 || tt.Replied == 0 {
		t.Errorf("no median first response: %+v", tt)
	}
	for _, groups := range [][]struct {
		Name                         string
		Open, Snoozed, Closed, Total int
	}{report.Teams, report.Admins} {
		sum := 0
		for _, g := range groups {
			sum += g.Total
			if g.Open+g.Snoozed+g.Closed != g.Total || g.Name == "" {
				t.Errorf("group %+v does not add up", g)
			}
		}
		if sum != total {
			t.Errorf("groups add up to %d, want %d", sum, total)
		}
	}
}

func TestExampleGDPRErase(t *testing.T) {
	t.Parallel()
	e := newExampleEnv(t, "gdpr-erase.js")
	leads, _ := e.search("contacts", searchFilter("role", "=", "lead"))
	// An email a lead shares with a user, and a user's own email.
	var shared string
	for _, l := range leads {
		if em, _ := l["email"].(string); em != "" {
			if _, n := e.search("contacts", searchFilter("email", "=", em)); n == 2 {
				shared = em
				break
			}
		}
	}
	users, _ := e.search("contacts", searchFilter("role", "=", "user"))
	single := users[len(users)-1]["email"].(string)
	if shared == "" {
		t.Fatal("no email shared by a lead and a user in the seed")
	}
	var ids []string
	for _, em := range []string{shared, single} {
		found, _ := e.search("contacts", searchFilter("email", "=", em))
		for _, c := range found {
			ids = append(ids, c["id"].(string))
		}
	}
	sort.Strings(ids)
	requests := filepath.Join(e.dir, "requests.txt")
	writeTestFile(t, requests, strings.ToUpper(single)+"\n\nnobody@nowhere.example\n")

	dryOut := filepath.Join(e.dir, "dry")
	dry := e.dryRunChangesNothing(yesFlag, "--emails", shared, "--file", requests, "--out", dryOut)
	if !strings.Contains(dry.stdout, "would have deleted 3 contacts") || !strings.Contains(dry.stdout, "no contact has nobody@nowhere.example") {
		t.Errorf("dry run output:\n%s", showRun(dry))
	}
	checkExports(t, dryOut, ids)

	out := filepath.Join(e.dir, "erasure")
	r := e.mustRun(yesFlag, "--emails", shared, "--file", requests, "--out", out)
	if !strings.Contains(r.stdout, "deleted 3 contacts, failed 0") {
		t.Errorf("output:\n%s", showRun(r))
	}
	checkExports(t, out, ids)
	for _, id := range ids {
		if status, _ := e.api("GET", "/contacts/"+id, nil); status != http.StatusNotFound {
			t.Errorf("contact %s answers %d after erasure, want 404", id, status)
		}
	}
}

// checkExports checks that dir holds one export per contact id, each with
// the contact and its conversations (with their parts).
func checkExports(t *testing.T, dir string, ids []string) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(names) != len(ids) {
		t.Fatalf("%s holds %v, want one file per contact %v", dir, names, ids)
	}
	conversations := 0
	for _, id := range ids {
		data, err := os.ReadFile(filepath.Join(dir, id+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			Contact       map[string]any
			Notes         []any
			Conversations []map[string]any
		}
		if err := json.Unmarshal(data, &d); err != nil {
			t.Fatal(err)
		}
		if d.Contact["id"] != id || d.Notes == nil {
			t.Errorf("export of %s: contact %v, notes %v", id, d.Contact["id"], d.Notes)
		}
		for _, cv := range d.Conversations {
			if _, ok := cv["conversation_parts"]; !ok {
				t.Errorf("export of %s: conversation %v has no parts", id, cv["id"])
			}
		}
		conversations += len(d.Conversations)
	}
	if conversations == 0 {
		t.Error("the exports hold no conversations")
	}
}

func TestExampleSyncCompanyAttributes(t *testing.T) {
	t.Parallel()
	e := newExampleEnv(t, "sync-company-attributes.js")
	file := filepath.Join(e.dir, "accounts.csv")
	writeTestFile(t, file, "company_id,name,size,monthly_spend,tier,health\n"+
		"c-00001,Renamed Co,42,99.5,gold,\n"+
		"c-new-1,Brand New Ltd,,,silver,green\n")

	e.dryRunChangesNothing(nil, "--file", file)
	r := e.mustRun(nil, "--file", file)
	if !strings.Contains(r.stdout, "upserted 2 companies, failed 0") {
		t.Errorf("output:\n%s", showRun(r))
	}
	co := e.mustAPI("GET", "/companies?company_id=c-00001", nil)
	ca, _ := co["custom_attributes"].(map[string]any)
	if co["name"] != "Renamed Co" || co["size"] != 42.0 || co["monthly_spend"] != 99.0 || ca["tier"] != "gold" || ca["health"] == nil || ca["health"] == "" {
		t.Errorf("c-00001 after the sync: name %v size %v spend %v attributes %v", co["name"], co["size"], co["monthly_spend"], ca)
	}
	created := e.mustAPI("GET", "/companies?company_id=c-new-1", nil)
	if ca, _ := created["custom_attributes"].(map[string]any); created["name"] != "Brand New Ltd" || ca["tier"] != "silver" || ca["health"] != "green" {
		t.Errorf("c-new-1 after the sync: %v", created)
	}

	// A column that is no attribute stops the run before any change…
	bad := filepath.Join(e.dir, "bad.csv")
	writeTestFile(t, bad, "company_id,csm,size\nc-00002,Ana,7\nc-00003,Ben,x\n")
	before := e.snapshot()
	if r := e.run(nil, "--file", bad); r.code == 0 || !strings.Contains(r.stderr, "csm") {
		t.Errorf("an unknown column should fail the run:\n%s", showRun(r))
	}
	// …and so does a cell of the wrong type, even with --create-attributes.
	if r := e.run(nil, "--file", bad, "--create-attributes"); r.code == 0 || !strings.Contains(r.stderr, `row 3: size must be integer, not "x"`) {
		t.Errorf("a bad integer should fail the run:\n%s", showRun(r))
	}
	if !bytes.Equal(before, e.snapshot()) {
		t.Log("note: --create-attributes created csm before the bad row stopped the run")
	}
	writeTestFile(t, bad, "company_id,csm\nc-00002,Ana\n")
	e.mustRun(nil, "--file", bad, "--create-attributes")
	if ca, _ := e.mustAPI("GET", "/companies?company_id=c-00002", nil)["custom_attributes"].(map[string]any); ca["csm"] != "Ana" {
		t.Errorf("c-00002 csm = %v, want Ana", ca["csm"])
	}
}

func TestExampleTicketSLABreaches(t *testing.T) {
	t.Parallel()
	e := newExampleEnv(t, "ticket-sla-breaches.js")
	var mu sync.Mutex
	var posts []map[string]any
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		err := json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		defer mu.Unlock()
		if err != nil || r.Method != "POST" {
			t.Errorf("webhook got %s with a bad body: %v", r.Method, err)
		}
		posts = append(posts, body)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hook.Close()

	cutoff := time.Now().Add(-48 * time.Hour).Unix()
	breaches, n := e.search("tickets", searchAnd(searchFilter("open", "=", true), searchFilter("created_at", "<", cutoff)))
	if n == 0 {
		t.Fatal("no ticket breaches a 48h SLA in the seed")
	}
	received := func() []map[string]any {
		mu.Lock()
		defer mu.Unlock()
		return append([]map[string]any(nil), posts...)
	}
	e.dryRunChangesNothing(nil, "--hours", "48", "--webhook", hook.URL)
	if got := received(); len(got) != 0 {
		t.Fatalf("--dry-run called the webhook: %v", got)
	}
	r := e.mustRun(nil, "--hours", "48", "--webhook", hook.URL)
	if got := summaryNumber(t, r.stdout, `tagged (\d+) tickets`); got != n {
		t.Errorf("tagged %d, want %d:\n%s", got, n, showRun(r))
	}
	got := received()
	if len(got) != 1 {
		t.Fatalf("the webhook got %d posts, want 1", len(got))
	}
	post := got[0]
	if post["count"] != float64(n) || len(post["breaches"].([]any)) != n || !strings.Contains(post["text"].(string), fmt.Sprintf("%d tickets open longer than 48h", n)) {
		t.Errorf("webhook body: %v", post)
	}
	for _, tk := range breaches[:min(3, len(breaches))] {
		got := e.mustAPI("GET", "/tickets/"+tk["id"].(string), nil)
		tagged := false
		for _, tg := range jsonItems(got["tags"].(map[string]any)["tags"]) {
			tagged = tagged || tg["name"] == "sla-breach"
		}
		if !tagged {
			t.Errorf("ticket %v is not tagged sla-breach: %v", tk["id"], got["tags"])
		}
	}
	again := e.mustRun(nil, "--hours", "48")
	if !strings.Contains(again.stdout, fmt.Sprintf("tagged 0 tickets \"sla-breach\" (%d already tagged)", n)) {
		t.Errorf("a second run:\n%s", showRun(again))
	}
}

func TestExampleDataExport(t *testing.T) {
	t.Parallel()
	e := newExampleEnv(t, "data-export.js")
	out := filepath.Join(e.dir, "content.csv")
	e.dryRunChangesNothing(nil, "--poll", "0.01", "--out", out)
	if _, err := os.Stat(out); err == nil {
		t.Error("--dry-run wrote the CSV")
	}
	r := e.mustRun(nil, "--poll", "0.01", "--out", out)
	recs := readTestCSV(t, out)
	if len(recs) < 2 || recs[0][0] != "user_id" || len(recs[0]) != len(recs[1]) {
		t.Fatalf("CSV %v:\n%s", recs[:min(2, len(recs))], showRun(r))
	}
	if n := summaryNumber(t, r.stdout, `wrote (\d+) rows`); n != len(recs)-1 {
		t.Errorf("the script says %d rows, the file has %d", n, len(recs)-1)
	}
	if !strings.Contains(r.stdout, ": completed") {
		t.Errorf("no completed status in the output:\n%s", showRun(r))
	}
	// A range with no messages gives a header only.
	empty := filepath.Join(e.dir, "empty.csv")
	e.mustRun(nil, "--poll", "0.01", "--from", "2001-01-01", "--to", "2001-02-01", "--out", empty)
	if recs := readTestCSV(t, empty); len(recs) != 1 {
		t.Errorf("an empty range wrote %d records", len(recs))
	}
}

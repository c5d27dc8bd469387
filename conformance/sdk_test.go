package conformance_test

import (
	"strings"
	"testing"
	"time"

	"github.com/icscript/icscript/internal/testsupport"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// TestConformanceNodeSDK runs sdk-smoke.mjs — the official Node SDK,
// intercom-client 7.x, speaking 2.10 — against a served sandbox.
func TestConformanceNodeSDK(t *testing.T) {
	nodeModules(t)
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 5})
	r := runCommand(t, 2*time.Minute, ".", []string{"INTERCOM_BASE_URL=" + base, "INTERCOM_ACCESS_TOKEN=" + sb.Token()}, "node", "sdk-smoke.mjs")
	if r.code != 0 {
		t.Fatalf("sdk-smoke.mjs failed:\n%s", r)
	}
	for _, step := range []string{
		"admins.identify", "contacts.create", "contacts.find", "contacts.update", "contacts.search",
		"contacts.list pagination", "tags.create and tagContact", "conversations.create", "conversations.reply",
		"conversations.manage close", "conversations.search", "companies.createOrUpdate", "tickets.create and search",
	} {
		if !strings.Contains(r.stdout, "ok "+step+"\n") {
			t.Errorf("sdk-smoke.mjs did not report %q:\n%s", step, r)
		}
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(line, "divergence: ") {
			t.Log(line) // a known difference between the sandbox and the SDK, reported to be fixed in the sandbox
		}
	}
	if !strings.HasSuffix(r.stdout, "sdk smoke ok\n") {
		t.Errorf("sdk-smoke.mjs did not finish:\n%s", r)
	}
}

// TestConformanceNodeSDKEveryOperation runs sdk-every.mjs: every operation of
// the 2.10 description, each called through the official Node SDK the way
// its reference shows, against a served sandbox. The list of operations
// comes from the description itself (not from icscript's catalogue), so an
// operation the script skips, or one that fails through the SDK, fails here.
func TestConformanceNodeSDKEveryOperation(t *testing.T) {
	nodeModules(t)
	want := describedOperationIDs(t)
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 5})
	r := runCommand(t, 3*time.Minute, ".", []string{"INTERCOM_BASE_URL=" + base, "INTERCOM_ACCESS_TOKEN=" + sb.Token()}, "node", "sdk-every.mjs")
	ok := map[string]bool{}
	for _, line := range strings.Split(r.stdout, "\n") {
		if id, found := strings.CutPrefix(line, "ok "); found {
			ok[id] = true
		}
		if strings.HasPrefix(line, "FAILED ") {
			t.Error(line)
		}
	}
	for _, id := range want {
		if !ok[id] {
			t.Errorf("%s: not exercised through the SDK (no \"ok %s\" line)", id, id)
		}
	}
	if r.code != 0 || t.Failed() {
		t.Logf("sdk-every.mjs:\n%s", r)
	}
}

// describedOperationIDs lists every operationId of the 2.10 description.
func describedOperationIDs(t *testing.T) []string {
	t.Helper()
	var ids []string
	for _, op := range testsupport.DescribedOperations(t) {
		ids = append(ids, op.ID)
	}
	if len(ids) == 0 {
		t.Fatal("the description lists no operation")
	}
	return ids
}

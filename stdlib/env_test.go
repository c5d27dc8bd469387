package stdlib_test

import (
	"strings"
	"testing"

	"github.com/icscript/icscript/runtime/runtimetest"
	"github.com/icscript/icscript/stdlib"
)

const secretValue = "tok_SeCrEt_8c1f2e"

func TestEnvHidesSecrets(t *testing.T) {
	h := setup(t, func(e *stdlib.Env) {
		e.Environ = []string{
			"HOME=/home/ops",
			"INTERCOM_ACCESS_TOKEN=" + secretValue,
			"INTERCOM_API_KEY=" + secretValue,
			"GITHUB_TOKEN=" + secretValue,
			"slack_webhook_secret=" + secretValue,
			"DB_PASSWORD=" + secretValue,
			"AWS_ACCESS_KEY_ID=" + secretValue,
			"REGION=eu",
			"EMPTY=",
			"WITH_EQUALS=a=b",
		}
	})
	out := h.ok(t, `
console.log(env);
console.log(JSON.stringify(env));
console.log(Object.keys(env).join(","));
eq(env.HOME, "/home/ops");
eq(env.WITH_EQUALS, "a=b");
eq(env.EMPTY, "");
eq(env.INTERCOM_ACCESS_TOKEN, undefined, "token hidden");
eq("GITHUB_TOKEN" in env, false, "in");
eq(env.NOPE, undefined);
eq({...env}.DB_PASSWORD, undefined, "spread");
`)
	if strings.Contains(out, secretValue) || strings.Contains(out, "TOKEN") || strings.Contains(out, "PASSWORD") {
		t.Fatalf("a secret reached the script's output:\n%s", out)
	}
	if !strings.Contains(out, "EMPTY,HOME,REGION,WITH_EQUALS") {
		t.Fatalf("visible variables missing or unsorted:\n%s", out)
	}
	if strings.Contains(runtimetest.Stderr(h.vm), secretValue) {
		t.Fatal("a secret reached stderr")
	}
}

func TestEnvIsReadOnly(t *testing.T) {
	h := setup(t, nil)
	h.ok(t, `
const e = throws(() => { env.REGION = "us"; }, "env is read-only: cannot set env.REGION");
eq(e instanceof TypeError, true);
throws(() => { delete env.REGION; }, "env is read-only");
throws(() => Object.defineProperty(env, "X", {value: 1}), "");
eq(env.REGION, "eu");
`)
}

func TestHiddenEnv(t *testing.T) {
	for name, hidden := range map[string]bool{
		"INTERCOM_ACCESS_TOKEN": true, "INTERCOM_API_KEY": true, "my_token": true, "SECRET": true,
		"PGPASSWORD": true, "API_KEY": true, "HOME": false, "PATH": false, "INTERCOM_REGION": false,
	} {
		if got := stdlib.HiddenEnv(name); got != hidden {
			t.Errorf("HiddenEnv(%q) = %v; want %v", name, got, hidden)
		}
	}
}

// TestEnvHidesTheVariablesAndValuesTheRunnerNames: a profile's token_env
// with an innocent name is hidden, and so is any variable whose value
// holds the token, whatever its name.
func TestEnvHidesTheVariablesAndValuesTheRunnerNames(t *testing.T) {
	h := setup(t, func(e *stdlib.Env) {
		e.Environ = []string{
			"PROD_IC=" + secretValue,
			"CURL_HEADER=Authorization: Bearer " + secretValue,
			"SHORT=abc",
			"REGION=eu",
		}
		e.HiddenVars = []string{"PROD_IC"}
		e.Secrets = []string{secretValue, "abc"}
	})
	out := h.ok(t, `
console.log(env, JSON.stringify(env), Object.keys(env).join(","));
eq(env.PROD_IC, undefined, "token_env hidden");
eq(env.CURL_HEADER, undefined, "a value holding the token hidden");
eq(env.SHORT, undefined, "a value equal to a short secret hidden");
eq(env.REGION, "eu");
eq(Object.keys(env).join(","), "REGION");
`)
	if strings.Contains(out, secretValue) || strings.Contains(out, "PROD_IC") {
		t.Fatalf("env showed a secret:\n%s", out)
	}
}

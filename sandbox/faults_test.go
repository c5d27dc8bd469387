package sandbox_test

import (
	"errors"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/icscript/icscript/sandbox"
)

func TestRateLimitEnforced(t *testing.T) {
	opts := testOptions()
	opts.RateLimit, opts.RateWindow = 5, time.Hour
	c := start(t, opts)
	for i := 1; i <= 5; i++ {
		r := c.do("GET", "/me", nil)
		if r.status != 200 {
			t.Fatalf("request %d: %s", i, r)
		}
		if r.header.Get("X-RateLimit-Limit") != "5" || r.header.Get("X-RateLimit-Remaining") != strconv.Itoa(5-i) {
			t.Errorf("request %d: limit %q remaining %q", i, r.header.Get("X-RateLimit-Limit"), r.header.Get("X-RateLimit-Remaining"))
		}
		reset, _ := strconv.ParseInt(r.header.Get("X-RateLimit-Reset"), 10, 64)
		if reset <= time.Now().Unix() {
			t.Errorf("X-RateLimit-Reset %d is not in the future", reset)
		}
	}
	before := snapshot(t, c)
	r := c.do("POST", "/contacts", obj{"email": "over@limit.example"})
	if r.status != 429 || r.errorCode() != "rate_limit_exceeded" || r.header.Get("Retry-After") == "" {
		t.Fatalf("over the limit: %s %v", r, r.header)
	}
	checkErrorList(t, r)
	sameSnapshot(t, c, before)
	if st := c.sb.Stats(); st.RateLimited != 1 {
		t.Errorf("stats: %+v", st)
	}
}

func TestDefaultRateLimitHeaders(t *testing.T) {
	c := start(t, testOptions())
	r := c.do("GET", "/me", nil)
	if r.header.Get("X-RateLimit-Limit") != "10000" || r.header.Get("X-RateLimit-Remaining") != "9999" {
		t.Errorf("headers: %v", r.header)
	}
}

func TestFaults(t *testing.T) {
	for _, tc := range []struct {
		spec    string
		status  int
		code    string
		changed bool // a mutation under this fault is applied
		netErr  bool
	}{
		{"429=1", 429, "rate_limit_exceeded", false, false},
		{"500=1", 500, "server_error", false, false},
		{"503=1", 503, "service_unavailable", false, false},
		{"drop=1", 0, "", true, true},
		{"truncate=1", 0, "", true, true},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			opts := testOptions()
			opts.Faults = tc.spec
			c := start(t, opts)
			before := snapshot(t, c)
			resp, err := c.http.Do(c.request("POST", "/contacts", obj{"email": "fault@x.example"}))
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			switch {
			case tc.netErr && err == nil:
				t.Fatalf("want a transport error, got %d", resp.StatusCode)
			case !tc.netErr && err != nil:
				t.Fatal(err)
			case !tc.netErr && resp.StatusCode != tc.status:
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if tc.netErr && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
				t.Logf("transport error: %v", err)
			}
			after := snapshot(t, c)
			if changed := string(after) != string(before); changed != tc.changed {
				t.Errorf("store changed = %v, want %v", changed, tc.changed)
			}
			kind := map[string]string{"429=1": "429", "500=1": "500", "503=1": "503", "drop=1": "drop", "truncate=1": "truncate"}[tc.spec]
			if got := c.sb.Stats().Faults[kind]; got != 1 {
				t.Errorf("stats faults[%s] = %d", kind, got)
			}
		})
	}
}

func TestSlowFaultAndLatency(t *testing.T) {
	opts := testOptions()
	opts.Faults = "slow=1:80ms"
	c := start(t, opts)
	t0 := time.Now()
	c.ok("GET", "/me", nil)
	if d := time.Since(t0); d < 80*time.Millisecond {
		t.Errorf("slow fault answered in %v", d)
	}
	opts = testOptions()
	opts.Latency = 50 * time.Millisecond
	c = start(t, opts)
	t0 = time.Now()
	c.ok("GET", "/me", nil)
	if d := time.Since(t0); d < 50*time.Millisecond {
		t.Errorf("latency: answered in %v", d)
	}
}

func TestFaultsAreSeededAndMixed(t *testing.T) {
	counts := func() map[string]int64 {
		opts := testOptions()
		opts.Faults = "500=0.2,503=0.1,slow=0.1:1ms"
		c := start(t, opts)
		for range 200 {
			c.do("GET", "/me", nil)
		}
		return c.sb.Stats().Faults
	}
	a, b := counts(), counts()
	if a["500"] == 0 || a["503"] == 0 || a["slow"] == 0 || a["500"] != b["500"] || a["503"] != b["503"] {
		t.Errorf("fault counts %v and %v", a, b)
	}
	if _, err := sandbox.New(sandbox.Options{Faults: "explode=0.5"}); err == nil {
		t.Error("an unknown fault kind was accepted")
	}
	if _, err := sandbox.New(sandbox.Options{Faults: "500=0.7,503=0.7"}); err == nil {
		t.Error("probabilities over 1 were accepted")
	}
}

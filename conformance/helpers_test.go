package conformance_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icscript/icscript/internal/testsupport"
)

// requireEnv makes missing tools a failure instead of a skip.
const requireEnv = "ICSCRIPT_REQUIRE_CONFORMANCE"

// missing skips the test, or fails it under ICSCRIPT_REQUIRE_CONFORMANCE=1.
func missing(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(requireEnv) == "1" {
		t.Fatalf("%s=1 but %s", requireEnv, msg)
	}
	t.Skipf("%s; skipping (run npm ci --prefix conformance, or set %s=1 to make this a failure)", msg, requireEnv)
}

// nodeModules returns conformance/node_modules, skipping the test when the
// packages are not installed.
func nodeModules(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("node_modules")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{".bin/prism", "intercom-client/package.json"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			missing(t, "conformance/node_modules/%s is not installed", p)
		}
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing(t, "node is not on PATH")
	}
	return dir
}

// openAPIPath is the 2.10 description.
func openAPIPath(t *testing.T) string { return testsupport.SharedFile(t, "intercom-2.10.yaml") }

func TestMain(m *testing.M) { os.Exit(testsupport.Main(m)) }

// icscriptBinary is the real binary, built once for the package's tests.
func icscriptBinary(t *testing.T) string { return testsupport.Binary(t) }

// result is one run of a command.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s\n--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// runCommand runs name with args in dir, with env added to a minimal
// environment, for at most timeout.
func runCommand(t *testing.T, timeout time.Duration, dir string, env []string, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	home := t.TempDir()
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + home + "/config",
		"XDG_STATE_HOME=" + home + "/state", "NO_COLOR=1", "TERM=dumb"}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s did not finish within %s\nstdout:\n%s\nstderr:\n%s", name, timeout, stdout.String(), stderr.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s: %v", name, err)
	}
	return result{code, stdout.String(), stderr.String()}
}

// runScript runs a JS file with the icscript binary against base.
func runScript(t *testing.T, base, token, src string, flags ...string) result {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "script.js")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--base-url", base, "--no-audit", "--quiet"}, flags...)
	args = append(args, file)
	return runCommand(t, 3*time.Minute, dir, []string{"INTERCOM_ACCESS_TOKEN=" + token}, icscriptBinary(t), args...)
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startPrism runs `prism <args> -h 127.0.0.1 -p PORT` and waits until it
// answers; t.Cleanup stops it. It returns the base URL.
func startPrism(t *testing.T, modules string, args ...string) string {
	t.Helper()
	port := freePort(t)
	args = append(args, "-h", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd := exec.Command(filepath.Join(modules, ".bin", "prism"), args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "FORCE_COLOR=0")
	logs := &lockedBuffer{}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			logs.WriteString(sc.Text() + "\n")
		}
	}()
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting prism: %v", err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); pw.Close(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		if t.Failed() && testing.Verbose() {
			t.Logf("prism log:\n%s", logs.String())
		}
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			t.Fatalf("prism exited: %v\n%s", waitErr, logs.String())
		default:
		}
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond); err == nil {
			c.Close()
			if strings.Contains(logs.String(), "Prism is listening") {
				return base
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("prism did not listen within 90s:\n%s", logs.String())
	return ""
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) WriteString(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// exchange is one request and its answer, as a recording proxy saw them.
type exchange struct {
	Method, Path, Query string
	ReqBody             string
	Status              int
	Violations          string // the sl-violations header
	RespBody            string
}

// recorder is a reverse proxy in front of Prism that keeps every exchange,
// so that failures can show Prism's verdicts.
type recorder struct {
	target string
	mu     sync.Mutex
	log    []exchange
	client *http.Client
}

func newRecorder(target string) *recorder {
	return &recorder{target: target, client: &http.Client{Timeout: 60 * time.Second}}
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req, err := http.NewRequestWithContext(r.Context(), r.Method, rec.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := rec.client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	rec.mu.Lock()
	rec.log = append(rec.log, exchange{r.Method, r.URL.Path, r.URL.RawQuery, string(body), resp.StatusCode, resp.Header.Get("sl-violations"), string(out)})
	rec.mu.Unlock()
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(out)
}

func (rec *recorder) exchanges() []exchange {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]exchange(nil), rec.log...)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

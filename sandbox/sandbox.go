package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Sandbox. The zero value is a small realistic workspace,
// seeded with 0, with a generated token and no rate-limit enforcement or faults.
type Options struct {
	Seed int64 // same seed, same workspace (same ids, names and relations)

	// Sizes of the seeded workspace; 0 picks the default (200, 50, 300).
	Contacts, Companies, Conversations int

	Token string // the bearer token accepted; "" derives one from Seed (see Sandbox.Token)

	// RateLimit enforces at most RateLimit requests per RateWindow (default 1 minute)
	// with 429 rate_limit_exceeded. 0 enforces nothing, but X-RateLimit-* headers
	// still report Intercom's default private-app limit of 10,000 per minute.
	RateLimit  int
	RateWindow time.Duration

	// Faults injects seeded faults, e.g. "429=0.05,500=0.02,503=0.01,drop=0.01,slow=0.05:2s,truncate=0.01":
	// each request draws at most one fault with the given probabilities. 429, 500
	// and 503 are answered before any change is made; drop and truncate happen after
	// a mutation is applied (the ambiguous failures a client must not blindly retry);
	// slow sleeps (default 2s) before handling.
	Faults string

	Latency time.Duration // added to every response

	StateFile string // loaded at New if it exists (instead of seeding), saved on Close

	// SeedLazily seeds on the first request (or Snapshot) instead of in New,
	// so a run that makes no call does not pay for the workspace. The data
	// is the same: the seed's clock is read in New.
	SeedLazily bool

	Logf func(format string, args ...any) // optional request log

	Now func() time.Time // the clock; nil is time.Now

	// OnChange, when set, is called after every successful mutating
	// operation with what it did: the one hook through which the webhook
	// emitter (package webhook) learns of changes. It is called on the
	// request's goroutine after the store's lock is released, before the
	// response is written: it must not block (queue the work) and must not
	// modify the Change.
	OnChange func(Change)
}

// Change is one successful mutating operation, as Options.OnChange sees it.
type Change struct {
	Operation string            // the catalogue's operationId, e.g. "replyConversation"
	Params    map[string]string // path parameters by name
	Body      map[string]any    // the decoded request body (empty when none)
	Response  []byte            // the JSON response body
	// Touched are other objects the operation changed, as a GET of each
	// answers at the moment of the change (rendered under the same lock, so
	// a later request cannot show through): "contact" for a contact tagged
	// or untagged, "conversation" for the one a contact's message started.
	// Filled only when OnChange is set.
	Touched map[string]json.RawMessage
}

// Stats counts what the sandbox served.
type Stats struct {
	Requests    int64            // requests received
	Faults      map[string]int64 // injected faults by kind: "429", "500", "503", "drop", "slow", "truncate"
	RateLimited int64            // 429s answered by rate-limit enforcement
}

// Sandbox is a fake Intercom workspace served over HTTP.
type Sandbox struct {
	opts    Options
	now     func() time.Time
	token   string
	st      *store      // nil until seeded when Options.SeedLazily; use store()
	seeded  sync.Once   // seeds st from seedAt when it is nil
	held    atomic.Bool // st is set or being seeded: loaded, seeded in New, or used
	seedAt  time.Time
	faults  *faults
	limiter *limiter
	scrolls *scrolls
	results resultCache
	walks   walks

	requests, rateLimited, requestSeq atomic.Int64
	faultMu                           sync.Mutex
	faultCounts                       map[string]int64

	srvMu    sync.Mutex
	srv      *http.Server
	timeouts serverTimeouts // zero: defaultTimeouts (tests shorten them)
	done     chan struct{}
}

// The largest workspace New seeds (about 4 KB a contact, more a
// conversation): larger sizes are refused, not left to exhaust memory.
const (
	MaxContacts      = 1_000_000
	MaxCompanies     = 100_000
	MaxConversations = 300_000
)

// checkSizes refuses a negative seed size or one above its maximum.
func (o Options) checkSizes() error {
	for _, sz := range []struct {
		name   string
		n, max int
	}{{"Contacts", o.Contacts, MaxContacts}, {"Companies", o.Companies, MaxCompanies}, {"Conversations", o.Conversations, MaxConversations}} {
		if sz.n < 0 || sz.n > sz.max {
			return fmt.Errorf("sandbox: Options.%s wants 0 (the default) to %d, got %d", sz.name, sz.max, sz.n)
		}
	}
	return nil
}

// New builds a sandbox: it loads opts.StateFile when it exists, and seeds a
// workspace from opts.Seed otherwise (on the first request with
// opts.SeedLazily).
func New(opts Options) (*Sandbox, error) {
	if err := opts.checkSizes(); err != nil {
		return nil, err
	}
	for _, op := range operations() {
		if handlers[op.ID] == nil {
			return nil, fmt.Errorf("sandbox: operation %s has no handler", op.ID)
		}
	}
	fl, err := parseFaults(opts.Faults, opts.Seed)
	if err != nil {
		return nil, err
	}
	s := &Sandbox{
		opts:        opts,
		now:         opts.Now,
		faults:      fl,
		limiter:     newLimiter(opts.RateLimit, opts.RateWindow),
		scrolls:     &scrolls{},
		faultCounts: map[string]int64{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.token = opts.Token
	if s.token == "" {
		s.token = defaultToken(opts.Seed)
	}
	if s.st, err = s.loadOrSeed(); err != nil {
		return nil, err
	}
	s.held.Store(s.st != nil)
	return s, nil
}

func (s *Sandbox) loadOrSeed() (*store, error) {
	if s.opts.StateFile != "" {
		data, err := os.ReadFile(s.opts.StateFile)
		switch {
		case err == nil:
			st, err := unmarshalStore(data)
			if err != nil {
				return nil, fmt.Errorf("sandbox: state file %s: %w", s.opts.StateFile, err)
			}
			return st, nil
		case !errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("sandbox: %w", err)
		}
	}
	if s.opts.SeedLazily {
		s.seedAt = s.now()
		return nil, nil
	}
	return seed(s.opts, s.now()), nil
}

// store is the workspace, seeded on first use when Options.SeedLazily.
func (s *Sandbox) store() *store {
	s.seeded.Do(func() {
		s.held.Store(true) // first: a Close meanwhile waits for the seeding to save it
		if s.st == nil {
			s.st = seed(s.opts, s.seedAt)
		}
	})
	return s.st
}

// defaultToken derives the token from the seed: the sandbox holds no real data,
// and a stable token lets a served sandbox be restarted under the same scripts.
func defaultToken(seed int64) string {
	r := rand.New(rand.NewPCG(uint64(seed), 0x5eed70c3))
	return fmt.Sprintf("sandbox_%016x%016x", r.Uint64(), r.Uint64())
}

// idPrefix is the 8 hex digits that start every hex id of a seed's workspace.
func idPrefix(seed int64) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%d", seed)
	return fmt.Sprintf("%08x", 0x60000000+h.Sum32()%0x0fffffff)
}

// Token is the bearer token the sandbox accepts.
func (s *Sandbox) Token() string { return s.token }

// Handler serves the API; it can be mounted anywhere (httptest, a mux).
func (s *Sandbox) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Listen serves on addr (default "127.0.0.1:0", loopback) in the background and
// returns the base URL, such as "http://127.0.0.1:41234".
func (s *Sandbox) Listen(addr string) (string, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.srv != nil {
		return "", errors.New("sandbox: already listening")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("sandbox: %w", err)
	}
	srv, done := s.newServer(), make(chan struct{})
	s.srv, s.done = srv, done
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	return "http://" + ln.Addr().String(), nil
}

// Close stops serving and saves the workspace to Options.StateFile, if set.
// A lazily seeded sandbox nothing used has no workspace to save: Close
// neither seeds it nor writes the file.
func (s *Sandbox) Close() error {
	s.srvMu.Lock()
	srv, done := s.srv, s.done
	s.srv = nil
	s.srvMu.Unlock()
	var err error
	if srv != nil {
		err = srv.Close()
		<-done
	}
	if s.opts.StateFile != "" && s.held.Load() {
		if serr := s.saveState(); serr != nil && err == nil {
			err = serr
		}
	}
	return err
}

func (s *Sandbox) saveState() error {
	data, err := s.Snapshot()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.opts.StateFile), ".sandbox-state-*")
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("sandbox: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("sandbox: %w", err)
	}
	return os.Rename(tmp.Name(), s.opts.StateFile)
}

// Snapshot is deterministic JSON of the whole workspace (tests compare it
// before and after a request; StateFile holds it).
func (s *Sandbox) Snapshot() ([]byte, error) {
	st := s.store()
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.marshal()
}

// Stats returns the counters so far.
func (s *Sandbox) Stats() Stats {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	out := Stats{Requests: s.requests.Load(), RateLimited: s.rateLimited.Load(), Faults: map[string]int64{}}
	for k, v := range s.faultCounts {
		out.Faults[k] = v
	}
	return out
}

func (s *Sandbox) countFault(kind string) {
	s.faultMu.Lock()
	s.faultCounts[kind]++
	s.faultMu.Unlock()
}

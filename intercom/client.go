package intercom

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/icscript/icscript/intercom/catalog"
)

// Region selects one of Intercom's hosting regions.
type Region string

// Intercom's regions and their API hosts.
const (
	RegionUS Region = "us" // https://api.intercom.io (the default)
	RegionEU Region = "eu" // https://api.eu.intercom.io
	RegionAU Region = "au" // https://api.au.intercom.io
)

var regionURLs = map[Region]string{
	RegionUS: "https://api.intercom.io",
	RegionEU: "https://api.eu.intercom.io",
	RegionAU: "https://api.au.intercom.io",
}

// BaseURL returns the API base URL of a region ("" is US), or an error listing
// the valid regions.
func (r Region) BaseURL() (string, error) {
	if r == "" {
		return regionURLs[RegionUS], nil
	}
	if u, ok := regionURLs[Region(strings.ToLower(strings.TrimSpace(string(r))))]; ok {
		return u, nil
	}
	return "", fmt.Errorf("intercom: unknown region %q: valid regions are us, eu, au (or set a base URL)", string(r))
}

// DefaultVersion is the Intercom API version the client speaks unless
// Config.Version names another.
const DefaultVersion = catalog.Default

// Version is icscript's version, used in the default User-Agent. The build may
// set it with -ldflags "-X github.com/icscript/icscript/intercom.Version=1.2.3";
// otherwise it comes from the module's build information, or "dev".
var Version = func() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}()

// ErrNoToken is returned by New when no access token is configured.
var ErrNoToken = errors.New("intercom: no access token (Config.Token is empty)")

// Defaults applied by New to zero Config fields.
const (
	DefaultTimeout     = 60 * time.Second
	DefaultMaxRetries  = 4
	DefaultConcurrency = 16
	DefaultBackoffBase = 500 * time.Millisecond
	DefaultBackoffMax  = 30 * time.Second
	DefaultMaxWait     = 5 * time.Minute
)

// Config configures a Client. The zero value of every field but Token is valid.
type Config struct {
	// Token is the bearer access token. It is never printed: every error, log
	// line and audit event the client produces has it redacted.
	Token string
	// Region selects the API host: "us" (default), "eu" or "au".
	Region Region
	// BaseURL overrides Region: a sandbox, a proxy ("https://proxy/intercom").
	BaseURL string
	// Version is the API version: sent as Intercom-Version, and the
	// catalogue (catalog.For) the client matches raw paths against; default
	// "2.10". New refuses a version without a catalogue.
	Version string
	// UserAgent defaults to "icscript/<Version>".
	UserAgent string
	// Timeout bounds each attempt (connect, send, read the whole body);
	// default 60s.
	Timeout time.Duration
	// MaxRetries bounds retries per call (attempts = 1 + MaxRetries); 0 means
	// the default 4, a negative value disables retries.
	MaxRetries int
	// Concurrency bounds the requests in flight across the client; default 16.
	Concurrency int
	// Rate and RateWindow are an optional client-side cap of Rate requests per
	// RateWindow (100 per 10s: Rate 100, RateWindow 10s); zero means none. RateWindow defaults to 1s.
	Rate       int
	RateWindow time.Duration
	// HTTPClient replaces the client's own tuned transport (NewTransport),
	// which is used directly, without redirects or cookies: a 3xx is returned
	// as it is. With an HTTPClient, its redirect policy and jar apply.
	HTTPClient *http.Client
	// Transport replaces the tuned transport, used the same way (no
	// redirects, no cookies). Ignored when HTTPClient is set.
	Transport http.RoundTripper
	// Logf, when set, receives one line per attempt: method, path, status,
	// duration, and why the client waited or will retry. It must be safe for
	// concurrent use. The token is redacted.
	Logf func(format string, args ...any)
	// DryRun: mutations (Operation.Mutates, or any non-GET raw call that
	// matches no read-only operation) are not sent; Do returns a Response with
	// DryRun set. Reads are sent.
	DryRun bool
	// OnMutation is the audit hook: called before (Phase "start") and after
	// (Phase "done") every mutation, dry-run ones included, from the calling
	// goroutine. It must be safe for concurrent use.
	OnMutation func(MutationEvent)
	// Guard, when set, is asked before every irreversible operation
	// (Operation.Irreversible) is sent, dry runs excepted; an error stops
	// the call before anything reaches the server. It must be safe for
	// concurrent use.
	Guard func(op *catalog.Operation) error
	// BackoffBase and BackoffMax shape the exponential backoff with jitter of
	// retried 5xx, 408 and network errors; defaults 500ms and 30s.
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// MaxWait is the longest the client waits before one retry (Retry-After,
	// rate-limit reset); when the server asks for longer the call fails with
	// the 429. Default 5 minutes.
	MaxWait time.Duration
	// Now is the clock, for tests; default time.Now.
	Now func() time.Time
	// Hints replace the client's advice in errors (which names Config's
	// fields) with the program's own: its flags, its variables.
	Hints Hints
}

// MutationEvent is what the audit hook receives about one mutation.
type MutationEvent struct {
	Time      time.Time
	Phase     string // "start" or "done"
	Operation string // operationId, "" for a raw call that matches no operation
	// Op is that operation in the client's API version (Config.Version),
	// nil for a raw call that matches none: the name people read is
	// Op.JSName(), whichever version the operation is of.
	Op        *catalog.Operation
	Method    string
	Path      string // expanded path, without the query
	Body      []byte // request body as sent (or as it would have been)
	DryRun    bool
	Status    int           // "done": HTTP status, 0 for a dry run or a network failure
	RequestID string        // "done"
	Attempts  int           // "done"
	Duration  time.Duration // "done"
	Err       error         // "done": the *APIError, token redacted
	// Note is set on "done" when the outcome was inferred rather than
	// answered: a delete or detach whose retry answered 404 after an
	// attempt whose answer was lost (Response.ProbablyApplied).
	Note string
}

// Request is one API call.
type Request struct {
	// Op is the catalogue operation; nil for a raw call, in which case the
	// client looks the method and path up in the catalogue (MatchOperation) to
	// learn whether it mutates and may be retried.
	Op *catalog.Operation
	// Method defaults to Op.Method.
	Method string
	// Path is the expanded path ("/contacts/abc", see ExpandPath), with or
	// without a query string; it defaults to Op.Path for operations without
	// path parameters. An absolute URL (a "pages.next" link) is accepted: its
	// path and query are sent to the configured base URL, never elsewhere.
	Path string
	// Query is added to the URL's query.
	Query url.Values
	// Body is the JSON request body, nil for none.
	Body []byte
	// Accept defaults to application/json; for Binary operations, the
	// operation's Accept (the media type its description answers in), else
	// application/octet-stream.
	Accept string
}

// Response is a completed call: any 2xx or 3xx status, or a delete or
// detach that was probably applied (ProbablyApplied). Other statuses are
// returned as *APIError.
type Response struct {
	Status    int
	Header    http.Header
	Body      []byte
	RequestID string // X-Request-Id
	Attempts  int
	DryRun    bool // the mutation was not sent (Config.DryRun); Status is 0
	// ProbablyApplied is set when an attempt's answer was lost (the
	// connection dropped after the request was sent, a timeout, a cut-off
	// answer, a 5xx) and the retry of a delete or detach answered 404: the
	// lost attempt probably applied it (catalog.Retry.Gone). Status is that
	// 404; Body is the answer the description declares for a success, with
	// what is known of it (id, object, deleted), plus "ambiguous": true and
	// "note": Note.
	ProbablyApplied bool
	Note            string
}

// Stats counts what a client did; see Client.Stats.
type Stats struct {
	Calls       int64 // Do calls
	Requests    int64 // HTTP requests sent (attempts)
	Retries     int64 // attempts that were retries
	RateLimited int64 // 429 responses
	Failures    int64 // Do calls that returned an error
	Ambiguous   int64 // failures where a mutation may have been applied
	Mutations   int64 // mutations sent and answered with success (applied), ProbablyApplied included
	// ProbablyApplied counts deletes and detaches whose retry answered 404
	// after an attempt whose answer was lost: counted as applied, not failed.
	ProbablyApplied int64
	InFlight        int64         // Do calls in progress (not a total: a snapshot)
	DryRunSkipped   int64         // mutations not sent because of DryRun
	Waited          time.Duration // time calls spent waiting for the rate limit (pacing, resets after 429s), backoff and the rate cap, summed over calls (not wall-clock)
}

// String is the run's one-line summary.
func (s Stats) String() string {
	var b strings.Builder
	b.WriteString(Count(s.Requests, "request", "requests"))
	if s.Retries > 0 {
		b.WriteString(", " + Count(s.Retries, "retry", "retries"))
	}
	if s.RateLimited > 0 {
		fmt.Fprintf(&b, ", %d rate-limited (429)", s.RateLimited)
	}
	if s.Waited > 0 {
		fmt.Fprintf(&b, ", waited %s", s.Waited.Round(time.Millisecond))
	}
	if s.Failures > 0 {
		fmt.Fprintf(&b, ", %d failed", s.Failures)
	}
	if s.Ambiguous > 0 {
		fmt.Fprintf(&b, " (%d possibly applied: check by hand)", s.Ambiguous)
	}
	if s.ProbablyApplied > 0 {
		fmt.Fprintf(&b, ", %d deletes or detaches probably applied (an answer was lost, the retry found it gone)", s.ProbablyApplied)
	}
	if s.DryRunSkipped > 0 {
		fmt.Fprintf(&b, ", %s not sent (dry run)", Count(s.DryRunSkipped, "mutation", "mutations"))
	}
	return b.String()
}

// Count is n with the word's singular or plural: "1 request", "3 requests".
func Count(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Client is an Intercom API client. It is safe for concurrent use, and meant
// to be shared: the rate-limit state and the concurrency bound are per Client.
type Client struct {
	base       string // scheme://host[/prefix], no trailing slash
	baseHost   string
	token      string
	do         func(*http.Request) (*http.Response, error) // http.Client.Do or Transport.RoundTrip
	timeout    time.Duration
	maxRetries int
	backoff    backoff
	maxWait    time.Duration
	now        func() time.Time
	logf       func(string, ...any)
	dryRun     bool
	onMutation func(MutationEvent)
	guard      func(*catalog.Operation) error
	hints      Hints

	// Shared header values: the transport never modifies them.
	hAuth, hVersion, hUA, hJSON, hOctet []string

	cat *catalog.Catalog // of the API version

	sem    chan struct{}
	pace   *pacer
	bucket *bucket // nil without a Rate cap

	calls, requests, retries, rateLimited, failures, ambiguous, dryRunSkipped, mutations, probablyApplied, inFlight, waited atomic.Int64
	// answered: some response has come from the server. Until then a
	// refused connection or an unknown host is a wrong address, not a
	// passing fault, and is not retried.
	answered atomic.Bool
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	tok := strings.TrimSpace(cfg.Token)
	if len(tok) > 7 && strings.EqualFold(tok[:7], "bearer ") {
		tok = strings.TrimSpace(tok[7:])
	}
	if tok == "" {
		return nil, ErrNoToken
	}
	for _, r := range tok {
		if r < 0x21 || r > 0x7e {
			msg := "intercom: the access token contains spaces or non-printable characters"
			if cfg.Hints.MalformedToken != "" {
				msg += " (" + cfg.Hints.MalformedToken + ")"
			}
			return nil, errors.New(msg)
		}
	}
	base := strings.TrimSpace(cfg.BaseURL)
	if base == "" {
		u, err := cfg.Region.BaseURL()
		if err != nil {
			return nil, err
		}
		base = u
	}
	bu, err := url.Parse(base)
	if err != nil || (bu.Scheme != "http" && bu.Scheme != "https") || bu.Host == "" || bu.RawQuery != "" || bu.Fragment != "" {
		return nil, fmt.Errorf("intercom: invalid base URL %q: want http(s)://host[/path]", redactToken(base, tok))
	}
	c := &Client{
		base:       strings.TrimRight(base, "/"),
		baseHost:   bu.Host,
		token:      tok,
		timeout:    cfg.Timeout,
		maxRetries: cfg.MaxRetries,
		backoff:    backoff{base: cfg.BackoffBase, max: cfg.BackoffMax},
		maxWait:    cfg.MaxWait,
		now:        cfg.Now,
		logf:       cfg.Logf,
		dryRun:     cfg.DryRun,
		onMutation: cfg.OnMutation,
		guard:      cfg.Guard,
		hints:      cfg.Hints.withDefaults(),
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = DefaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.backoff.base <= 0 {
		c.backoff.base = DefaultBackoffBase
	}
	if c.backoff.max <= 0 {
		c.backoff.max = DefaultBackoffMax
	}
	if c.backoff.max < c.backoff.base {
		c.backoff.max = c.backoff.base
	}
	if c.maxWait <= 0 {
		c.maxWait = DefaultMaxWait
	}
	if c.now == nil {
		c.now = time.Now
	}
	conc := cfg.Concurrency
	if conc <= 0 {
		conc = DefaultConcurrency
	}
	c.sem = make(chan struct{}, conc)
	c.pace = newPacer(c.now, conc)
	if cfg.Rate > 0 {
		w := cfg.RateWindow
		if w <= 0 {
			w = time.Second
		}
		c.bucket = newBucket(c.now, cfg.Rate, w, conc)
	} else if cfg.Rate < 0 {
		return nil, fmt.Errorf("intercom: negative rate %d", cfg.Rate)
	}
	switch {
	case cfg.HTTPClient != nil:
		c.do = cfg.HTTPClient.Do
	case cfg.Transport != nil:
		c.do = cfg.Transport.RoundTrip
	default:
		// Straight to the transport: http.Client's redirect and cookie
		// machinery costs allocations per call and the API needs neither.
		c.do = NewTransport(conc).RoundTrip
	}
	ver := cfg.Version
	if ver == "" {
		ver = DefaultVersion
	}
	cat, err := catalog.For(ver)
	if err != nil {
		return nil, fmt.Errorf("intercom: %w", err)
	}
	c.cat = cat
	ua := cfg.UserAgent
	if ua == "" {
		ua = "icscript/" + Version
	}
	c.hAuth = []string{"Bearer " + tok}
	c.hVersion = []string{ver}
	c.hUA = []string{ua}
	c.hJSON = []string{"application/json"}
	c.hOctet = []string{"application/octet-stream"}
	return c, nil
}

// NewTransport returns an http.Transport tuned for many small concurrent API
// calls to one host: enough idle connections per host to keep `concurrency`
// connections alive between calls, HTTP/2 when the server offers it.
func NewTransport(concurrency int) *http.Transport {
	if concurrency <= 0 {
		concurrency = DefaultConcurrency
	}
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   30 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          2*concurrency + 8,
		MaxIdleConnsPerHost:   concurrency + 4,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
		ResponseHeaderTimeout: 0, // bounded by the per-attempt timeout
	}
}

// BaseURL is the URL requests are sent to.
func (c *Client) BaseURL() string { return c.base }

// Stats returns the counters of everything the client did so far.
func (c *Client) Stats() Stats {
	return Stats{
		Calls:           c.calls.Load(),
		Requests:        c.requests.Load(),
		Retries:         c.retries.Load(),
		RateLimited:     c.rateLimited.Load(),
		Failures:        c.failures.Load(),
		Ambiguous:       c.ambiguous.Load(),
		DryRunSkipped:   c.dryRunSkipped.Load(),
		Mutations:       c.mutations.Load(),
		ProbablyApplied: c.probablyApplied.Load(),
		InFlight:        c.inFlight.Load(),
		Waited:          time.Duration(c.waited.Load()),
	}
}

// RateLimit is the client's view of the server's rate-limit window.
type RateLimit struct {
	Known     bool      // a response carried X-RateLimit-Remaining and -Reset
	Limit     int       // X-RateLimit-Limit
	Remaining int       // lowest X-RateLimit-Remaining seen in the window
	Reset     time.Time // end of the window
	InFlight  int       // requests admitted and not completed
}

// RateLimit reports the latest rate-limit state.
func (c *Client) RateLimit() RateLimit { return c.pace.snapshot() }

// call is the per-Do state shared by the attempt loop and the error builders.
type call struct {
	ctx    context.Context // the caller's, to tell an abandoned call from a failed one
	op     *catalog.Operation
	opID   string
	method string
	path   string // for messages: path without query
	url    string
	body   []byte
	accept []string
	// idempotent: the request may be resent after an attempt whose outcome
	// is unknown (catalog.Operation.RetrySafe); sideEffects are the body
	// fields that make it unsafe when it is not.
	idempotent  bool
	sideEffects []string
	mutates     bool
	// lost says how an earlier attempt may have been applied without an
	// answer ("the connection dropped after the request was sent", "500");
	// "" while none was.
	lost string
}

// PlaceholderPrefix starts the ids that a dry run gives the objects it
// pretends to create ("dry-run:contacts.create:1"), so that later calls of
// the same dry run can name them.
const PlaceholderPrefix = "dry-run:"

// IsPlaceholder reports whether an id is a dry run's placeholder.
func IsPlaceholder(id string) bool { return strings.HasPrefix(id, PlaceholderPrefix) }

// DryRun reports whether the client sends no mutations (Config.DryRun).
func (c *Client) DryRun() bool { return c.dryRun }

// Do sends one API call, waiting for the rate limit and retrying what is safe
// to retry. It returns a *Response for 2xx/3xx, else an *APIError.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	c.calls.Add(1)
	c.inFlight.Add(1)
	defer c.inFlight.Add(-1)
	cl, err := c.prepare(req)
	if err != nil {
		c.failures.Add(1)
		return nil, err
	}
	cl.ctx = ctx
	if c.dryRun && !cl.mutates && strings.Contains(cl.path, "/"+PlaceholderPrefix) {
		// A read of what this dry run only pretended to create: nothing to ask.
		if c.logf != nil {
			c.log(fmt.Sprintf("%s %s dry run: not sent (a placeholder id)", cl.method, cl.path))
		}
		return &Response{DryRun: true}, nil
	}
	if cl.mutates {
		if c.dryRun {
			c.dryRunSkipped.Add(1)
			if c.onMutation != nil {
				now := c.now()
				c.onMutation(c.event(cl, "start", now, true))
				c.onMutation(c.event(cl, "done", now, true))
			}
			if c.logf != nil {
				c.log(fmt.Sprintf("%s %s dry run: not sent", cl.method, cl.path))
			}
			return &Response{DryRun: true}, nil
		}
		if c.guard != nil && cl.op != nil && cl.op.Irreversible {
			if err := c.guard(cl.op); err != nil {
				c.failures.Add(1)
				return nil, &APIError{Code: "not_confirmed", Message: err.Error(), Operation: cl.opID, Method: cl.method, Path: cl.path}
			}
		}
		if c.onMutation != nil {
			start := c.now()
			c.onMutation(c.event(cl, "start", start, false))
			resp, err := c.run(ctx, cl)
			c.countMutation(err)
			ev := c.event(cl, "done", c.now(), false)
			ev.Duration = ev.Time.Sub(start)
			if resp != nil {
				ev.Status, ev.RequestID, ev.Attempts, ev.Note = resp.Status, resp.RequestID, resp.Attempts, resp.Note
			}
			var ae *APIError
			if errors.As(err, &ae) {
				ev.Status, ev.RequestID, ev.Attempts, ev.Err = ae.Status, ae.RequestID, ae.Attempts, ae
			}
			c.onMutation(ev)
			return resp, err
		}
		resp, err := c.run(ctx, cl)
		c.countMutation(err)
		return resp, err
	}
	return c.run(ctx, cl)
}

// countMutation counts a mutation that was applied (it succeeded).
func (c *Client) countMutation(err error) {
	if err == nil {
		c.mutations.Add(1)
	}
}

func (c *Client) event(cl *call, phase string, t time.Time, dry bool) MutationEvent {
	body := cl.body
	if bytes.Contains(body, []byte(c.token)) {
		body = bytes.ReplaceAll(body, []byte(c.token), []byte(redacted))
	}
	return MutationEvent{
		Time: t, Phase: phase, Operation: cl.opID, Op: cl.op, Method: cl.method,
		Path: c.redact(cl.path), Body: body, DryRun: dry,
	}
}

// prepare resolves the method, path, URL and retry class of a request.
func (c *Client) prepare(req *Request) (*call, error) {
	if req == nil {
		return nil, &APIError{Code: "invalid_request", Message: "nil request"}
	}
	cl := &call{op: req.Op, method: req.Method, body: req.Body}
	if cl.method == "" && cl.op != nil {
		cl.method = cl.op.Method
	}
	if cl.method == "" {
		cl.method = http.MethodGet
	}
	cl.method = strings.ToUpper(cl.method)
	p := req.Path
	if p == "" && cl.op != nil {
		if len(cl.op.PathParams) > 0 {
			return nil, c.newError(cl, &APIError{Code: "invalid_request", Message: "missing path for " + cl.op.ID + " (use ExpandPath)"})
		}
		p = cl.op.Path
	}
	var rawQuery string
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		// A link from a response: keep its path and query, send it to our base.
		u, err := url.Parse(p)
		if err != nil {
			return nil, c.newError(cl, &APIError{Code: "invalid_request", Message: "invalid URL: " + err.Error()})
		}
		p, rawQuery = u.EscapedPath(), u.RawQuery
		if prefix := c.basePath(); prefix != "" && strings.HasPrefix(p, prefix+"/") && u.Host == c.baseHost {
			p = strings.TrimPrefix(p, prefix)
		}
	} else if i := strings.IndexByte(p, '?'); i >= 0 {
		p, rawQuery = p[:i], p[i+1:]
	}
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	cl.path = p
	if cl.op == nil {
		cl.op = MatchOperationIn(c.cat, cl.method, p)
	}
	if cl.op != nil {
		cl.opID = cl.op.ID
		if cl.method == cl.op.Method {
			cl.idempotent, cl.sideEffects = cl.op.RetrySafe(cl.body)
		}
		cl.mutates = cl.op.Mutates || (cl.method != cl.op.Method && cl.method != http.MethodGet && cl.method != http.MethodHead)
	} else {
		// A path the catalogue does not know: only reads are resent; a PUT
		// or DELETE of unknown effect is treated as a create.
		switch cl.method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			cl.idempotent = true
		default:
			cl.mutates = true
		}
	}
	switch {
	case req.Accept != "":
		cl.accept = []string{req.Accept}
	case cl.op != nil && cl.op.Binary && cl.op.Accept != "":
		cl.accept = []string{cl.op.Accept}
	case cl.op != nil && cl.op.Binary:
		cl.accept = c.hOctet
	default:
		cl.accept = c.hJSON
	}
	if q := req.Query; len(q) > 0 {
		if rawQuery != "" {
			rawQuery += "&" + q.Encode()
		} else {
			rawQuery = q.Encode()
		}
	}
	if rawQuery != "" {
		cl.url = c.base + p + "?" + rawQuery
	} else {
		cl.url = c.base + p
	}
	return cl, nil
}

func (c *Client) basePath() string {
	if i := strings.Index(c.base, "://"); i >= 0 {
		if j := strings.IndexByte(c.base[i+3:], '/'); j >= 0 {
			return c.base[i+3+j:]
		}
	}
	return ""
}

// run is the attempt loop.
func (c *Client) run(ctx context.Context, cl *call) (*Response, error) {
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			c.retries.Add(1)
		}
		waited, why, err := c.admit(ctx)
		if err != nil {
			return nil, c.fail(cl, c.cancelled(cl, err, attempt-1, false))
		}
		start := c.now()
		res := c.send(ctx, cl)
		dur := c.now().Sub(start)
		c.release(res.header)
		c.requests.Add(1)
		if res.status != 0 || res.readStatus != 0 {
			c.answered.Store(true)
		}
		if res.status == http.StatusTooManyRequests {
			c.rateLimited.Add(1)
		}

		d := c.decide(ctx, cl, &res, attempt)
		if c.logf != nil {
			c.logAttempt(cl, &res, attempt, dur, waited, why, &d)
		}
		if cl.lost == "" {
			cl.lost = maybeApplied(&res)
		}
		if !d.retry {
			if d.err != nil {
				d.err.Attempts = attempt
				return nil, c.fail(cl, d.err)
			}
			if d.gone {
				c.probablyApplied.Add(1)
				body, note := goneAnswer(cl)
				return &Response{
					Status:          res.status,
					Header:          res.header,
					Body:            body,
					RequestID:       res.header.Get("X-Request-Id"),
					Attempts:        attempt,
					ProbablyApplied: true,
					Note:            note,
				}, nil
			}
			return &Response{
				Status:    res.status,
				Header:    res.header,
				Body:      res.body,
				RequestID: res.header.Get("X-Request-Id"),
				Attempts:  attempt,
			}, nil
		}
		if d.shared {
			// A 429: every sender waits for the same instant; admit does the waiting.
			c.pace.block(c.now().Add(d.wait))
			continue
		}
		if d.wait > 0 {
			if err := c.sleep(ctx, d.wait); err != nil {
				return nil, c.fail(cl, c.cancelled(cl, err, attempt, false))
			}
		}
	}
}

// fail counts a failed call. A mutation one of whose attempts may have been
// applied without an answer (a retried update that then gave up, was
// cancelled or got another error) fails ambiguous: it may be done.
func (c *Client) fail(cl *call, e *APIError) error {
	if e.Code == "cancelled" && !cl.mutates && abandoned(cl.ctx) {
		return e // the caller gave it up: not a failure
	}
	c.failures.Add(1)
	if cl.mutates && cl.lost != "" && !e.Ambiguous {
		e.Ambiguous = true
		h := fmt.Sprintf("an earlier attempt may have been applied (%s): check in Intercom before running it again", cl.lost)
		if e.Hint != "" {
			h = e.Hint + "; " + h
		}
		e.Hint = c.redact(h)
	}
	if e.Ambiguous {
		c.ambiguous.Add(1)
	}
	return e
}

// admit waits for the user rate cap, the shared rate-limit gate, a
// concurrency slot and a pacing slot, in that order. Hard waits (gate,
// exhausted window) happen without holding a concurrency slot.
func (c *Client) admit(ctx context.Context) (waited time.Duration, why string, err error) {
	if c.bucket != nil {
		if d := c.bucket.reserve(); d > 0 {
			if err := c.sleep(ctx, d); err != nil {
				return waited, why, err
			}
			waited += d
			why = "rate cap"
		}
	}
	for {
		if d, reason := c.pace.gateWait(); d > 0 {
			if err := c.sleep(ctx, d); err != nil {
				return waited, why, err
			}
			waited += d
			why = reason
			continue
		}
		// A cancelled call sends nothing: select alone would pick a free slot
		// over the cancellation half the time.
		if err := ctx.Err(); err != nil {
			return waited, why, err
		}
		// Queueing for a concurrency slot is not counted as waiting: it is
		// the bound the user chose, not the rate limit.
		select {
		case c.sem <- struct{}{}:
		case <-ctx.Done():
			return waited, why, ctx.Err()
		}
		g := c.pace.admit()
		if g.ok {
			if g.delay > 0 {
				if err := c.sleep(ctx, g.delay); err != nil {
					c.pace.done(nil)
					<-c.sem
					return waited, why, err
				}
				waited += g.delay
				why = g.reason
			}
			return waited, why, nil
		}
		<-c.sem
		t := c.now()
		if err := c.waitChange(ctx, g.delay, g.changed); err != nil {
			return waited, why, err
		}
		d := c.now().Sub(t)
		c.waited.Add(int64(d))
		waited += d
		why = g.reason
	}
}

// release gives back the concurrency slot and feeds the response's
// rate-limit headers (nil when there was no response) to the pacer.
func (c *Client) release(h http.Header) {
	c.pace.done(h)
	<-c.sem
}

// sleep waits d or until ctx is done, and counts the wait.
func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.waited.Add(int64(d))
	t := time.NewTimer(d)
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	}
}

func (c *Client) waitChange(ctx context.Context, d time.Duration, ch <-chan struct{}) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// result is one attempt's outcome.
type result struct {
	status   int
	header   http.Header
	body     []byte
	err      error // transport or body-read error
	wrote    bool  // the request (headers at least) may have reached the server
	timedOut bool  // the per-attempt timeout fired
	readErr  bool  // err happened while reading the body of a response
	// readStatus is the status line of a response whose body was cut off
	// (status is then 0: no complete response was received).
	readStatus int
}

const maxBody = 1 << 30

// send performs one HTTP attempt and reads the whole body.
func (c *Client) send(ctx context.Context, cl *call) (res result) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var wrote *atomic.Bool
	if !cl.idempotent {
		// Learn whether anything was written, to tell "certainly not sent"
		// (safe to resend) from "maybe applied" (report, never resend).
		wrote = new(atomic.Bool)
		actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
			WroteHeaders: func() { wrote.Store(true) },
		})
	}
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	hreq, err := http.NewRequestWithContext(actx, cl.method, cl.url, body)
	if err != nil {
		res.err = err
		return res
	}
	h := hreq.Header
	h["Authorization"] = c.hAuth
	h["Intercom-Version"] = c.hVersion
	h["User-Agent"] = c.hUA
	h["Accept"] = cl.accept
	if cl.body != nil {
		h["Content-Type"] = c.hJSON
	}
	resp, err := c.do(hreq)
	if err != nil {
		res.err = err
		res.wrote = wrote == nil || wrote.Load()
		res.timedOut = ctx.Err() == nil && actx.Err() != nil
		return res
	}
	res.status, res.header = resp.StatusCode, resp.Header
	res.body, err = readBody(resp)
	resp.Body.Close()
	if err != nil {
		// The answer was cut off: a network failure, whatever its status
		// line said; the request certainly reached the server.
		res.readStatus, res.status, res.body = res.status, 0, nil
		res.err, res.readErr, res.wrote = err, true, true
		res.timedOut = ctx.Err() == nil && actx.Err() != nil
	}
	return res
}

func readBody(resp *http.Response) ([]byte, error) {
	n := resp.ContentLength
	if n == 0 {
		return nil, nil
	}
	if n > 0 && n <= maxBody {
		b := make([]byte, n)
		_, err := io.ReadFull(resp.Body, b)
		if err == io.ErrUnexpectedEOF {
			err = fmt.Errorf("response truncated: %w", err)
		}
		return b, err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if len(b) == 0 {
		b = nil
	}
	return b, err
}

func (c *Client) log(line string) {
	c.logf("%s", c.redact(line))
}

func (c *Client) logAttempt(cl *call, res *result, attempt int, dur, waited time.Duration, why string, d *decision) {
	var b strings.Builder
	b.Grow(96)
	b.WriteString(cl.method)
	b.WriteByte(' ')
	b.WriteString(cl.path)
	b.WriteByte(' ')
	switch {
	case res.readErr:
		fmt.Fprintf(&b, "%d cut off", res.readStatus)
	case res.err != nil && res.status == 0:
		b.WriteString(errCode(res))
	default:
		fmt.Fprintf(&b, "%d", res.status)
	}
	fmt.Fprintf(&b, " %s", dur.Round(10*time.Microsecond))
	if attempt > 1 {
		fmt.Fprintf(&b, " attempt %d/%d", attempt, c.maxRetries+1)
	}
	if waited > 0 {
		fmt.Fprintf(&b, " (waited %s: %s)", waited.Round(time.Millisecond), why)
	}
	if id := res.header.Get("X-Request-Id"); id != "" {
		fmt.Fprintf(&b, " req=%s", id)
	}
	if d.retry {
		fmt.Fprintf(&b, "; retrying in %s: %s", d.wait.Round(time.Millisecond), d.why)
	} else if d.err != nil && d.why != "" {
		fmt.Fprintf(&b, "; not retried: %s", d.why)
	}
	if res.err != nil {
		fmt.Fprintf(&b, "; %v", res.err)
	}
	c.log(b.String())
}

// Catalog is the catalogue of the client's API version.
func (c *Client) Catalog() *catalog.Catalog { return c.cat }

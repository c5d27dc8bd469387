package sandbox

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/lazyregexp"
)

// maxBody is the largest request body accepted: larger ones get 413.
const maxBody = 10 << 20

const (
	codeBodyTooLarge = "request_entity_too_large"
	msgBodyTooLarge  = "The request body is larger than the sandbox's limit of 10 MiB"
)

func operations() []*catalog.Operation { return catalog.Operations }

// call is one request, as a handler sees it: the store is locked for it.
type call struct {
	sb     *Sandbox
	st     *store
	op     *catalog.Operation
	api    *catalog.Catalog // the catalogue of the request's API version
	av     *apiVersion      // what the sandbox serves for that version (av.cat is api)
	params map[string]string
	query  url.Values
	body   record // the decoded JSON body; empty when none was sent
	base   string // scheme://host of the request, for links
	now    int64  // unix seconds
	header http.Header
	// readOnly: the store is read-locked; a handler that would change it
	// answers errNeedsWrite first (see apply).
	readOnly bool
	// unshaped: the generic handler's answer is the record itself, not
	// shaped (the answer is another record's, see hGeneric).
	unshaped bool
	// touched: the Change's Touched (see touch).
	touched map[string]json.RawMessage
}

func (c *call) param(name string) string { return c.params[name] }

// touch records v, another object the operation changed, for the Change an
// OnChange hook is given: rendered now, under the store's lock, as of this
// change. Nothing is rendered without a hook.
func (c *call) touch(kind string, v any) {
	if c.sb.opts.OnChange == nil {
		return
	}
	body, err := appendJSON(nil, v)
	if err != nil {
		return
	}
	if c.touched == nil {
		c.touched = map[string]json.RawMessage{}
	}
	c.touched[kind] = body
}

// lastParam is the value of the last path parameter of the operation: the
// handlers of later versions' operations read it, as their path parameters
// keep each version's names.
func (c *call) lastParam() string {
	segs := splitPath(c.op.Path)
	for i := len(segs) - 1; i >= 0; i-- {
		if strings.HasPrefix(segs[i], "{") {
			return c.params[strings.Trim(segs[i], "{}")]
		}
	}
	return ""
}

// rawResponse is a handler's answer that is not a JSON object: an empty body or bytes.
type rawResponse struct {
	status      int
	contentType string
	body        []byte
	location    string // a redirect's Location
}

// reply is what a request produced, ready to write.
type reply struct {
	status      int
	contentType string
	body        []byte
	location    string
}

// writeLocked lists the reads that change state and need the write lock.
var writeLocked = map[string]bool{"getDataExport": true}

var versionRE = lazyregexp.New(`^(\d+\.\d+|Unstable)$`)

func (s *Sandbox) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	s.requests.Add(1)
	reqID := s.requestID()
	h := w.Header()
	h.Set("X-Request-Id", reqID)
	h.Set("X-Icscript-Sandbox", "1")
	rep, fault := s.process(w, r, reqID)
	if fault == faultDrop || rep == nil {
		s.logRequest(r, 0, start, reqID, "dropped")
		return
	}
	s.sleep(r, s.opts.Latency)
	if rep.contentType != "" {
		h.Set("Content-Type", rep.contentType)
	}
	if rep.location != "" {
		h.Set("Location", rep.location)
	}
	if fault == faultTruncate && len(rep.body) > 1 {
		s.truncate(w, rep)
		s.logRequest(r, rep.status, start, reqID, "truncated")
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
	s.logRequest(r, rep.status, start, reqID, "")
}

// process runs the request through auth, rate limiting, routing, faults,
// validation and the handler. It returns nil when the connection was dropped.
func (s *Sandbox) process(w http.ResponseWriter, r *http.Request, reqID string) (*reply, faultKind) {
	authed := s.authorized(r)
	if !s.rateLimit(w.Header(), authed) {
		return s.errorReply(reqID, s.rateLimitError()), faultNone
	}
	if !authed {
		return s.errorReply(reqID, newError(http.StatusUnauthorized, codeUnauthorized, msgUnauthorized)), faultNone
	}
	av, verr := requestVersion(r)
	if verr != nil {
		return s.errorReply(reqID, verr), faultNone
	}
	op, params, allowed := av.routes.match(r.Method, r.URL.Path)
	if op == nil {
		return s.errorReply(reqID, av.routeError(r, allowed)), faultNone
	}
	fault, delay := s.faults.draw()
	if fault != faultNone {
		s.countFault(fault.String())
	}
	switch fault {
	case faultSlow:
		s.sleep(r, delay)
	case fault429:
		w.Header().Set("Retry-After", "1")
		return s.errorReply(reqID, newError(http.StatusTooManyRequests, codeRateLimited, fmt.Sprintf(msgRateLimited, s.limiter.limit, s.limiter.window))), fault
	case fault500:
		return s.errorReply(reqID, newError(http.StatusInternalServerError, codeServerError, msgServerError)), fault
	case fault503:
		return s.errorReply(reqID, newError(http.StatusServiceUnavailable, codeUnavailable, msgUnavailable)), fault
	}
	rep := s.handle(r, av, op, params, reqID)
	if fault == faultDrop {
		s.drop(w)
	}
	return rep, fault
}

// handle decodes and checks the request against the operation of its API
// version, then runs the operation's handler under the store's lock. Nothing
// is changed unless every check passed.
func (s *Sandbox) handle(r *http.Request, av *apiVersion, op *catalog.Operation, params map[string]string, reqID string) *reply {
	st := s.store()
	c := &call{sb: s, st: st, op: op, api: av.cat, av: av, params: params, query: r.URL.Query(), base: baseURL(r), header: r.Header}
	if err := s.decode(r, c); err != nil {
		return s.errorReply(reqID, err)
	}
	rep, ok := s.apply(c, av, reqID)
	if ok && op.Mutates && s.opts.OnChange != nil {
		// After the lock is released: the hook may read the sandbox. A later
		// version's operation served by a 2.10 handler is that handler's.
		s.opts.OnChange(Change{Operation: c.op.ID, Params: params, Body: c.body, Response: rep.body, Touched: c.touched})
	}
	return rep
}

// apply runs the operation's handler under the store's lock (the 2.10
// handler of the operation, or the version's own); ok reports that it
// succeeded. A read takes the read lock; a read that finds it must write
// (the generic handler seeds a collection on its first read) gives up
// before changing anything and runs again under the write lock.
func (s *Sandbox) apply(c *call, av *apiVersion, reqID string) (rep *reply, ok bool) {
	op := c.op
	sv := av.served[op]
	if sv.base != nil && sv.base != op { // a 2.10 handler serving a later version's operation
		c.op = sv.base
		for from, to := range sv.rename {
			c.params[to] = c.params[from]
		}
	}
	write := op.Mutates || writeLocked[c.op.ID]
	rep, ok = s.applyLocked(c, av, op, sv.fn, write, reqID)
	if rep == nil {
		rep, ok = s.applyLocked(c, av, op, sv.fn, true, reqID)
	}
	return rep, ok
}

// errNeedsWrite is what a handler running under the read lock answers when
// it would change the store: apply runs it again under the write lock.
var errNeedsWrite = &apiError{Status: http.StatusInternalServerError, Code: codeServerError, Message: "a read needs the write lock"}

// applyLocked runs fn for op under the store's write lock, or its read lock
// (c.readOnly); it returns a nil reply when fn needs the write lock.
func (s *Sandbox) applyLocked(c *call, av *apiVersion, op *catalog.Operation, fn handler, write bool, reqID string) (*reply, bool) {
	st := c.st
	if write {
		st.mu.Lock()
		defer st.mu.Unlock()
		st.version++
	} else {
		st.mu.RLock()
		defer st.mu.RUnlock()
	}
	c.readOnly = !write
	c.now = s.now().Unix()
	out, err := fn(c)
	if err == errNeedsWrite && !write {
		return nil, false
	}
	if err != nil {
		return s.errorReply(reqID, err), false
	}
	// A later version's answer in that version's shape (a 2.10 handler's
	// is 2.10's; the generic handler shapes its own).
	if resp := responseOf(av.cat, op); resp != nil && av.cat.Version != catalog.Default && !av.served[op].shaped {
		out = conform(av.cat, resp, out, c.now)
	}
	if raw, ok := out.(*rawResponse); ok {
		return &reply{status: raw.status, contentType: raw.contentType, body: raw.body, location: raw.location}, true
	}
	body, jerr := appendJSON(make([]byte, 0, 4096), out)
	if jerr != nil {
		return s.errorReply(reqID, newError(http.StatusInternalServerError, codeServerError, jerr.Error())), false
	}
	return &reply{status: statusOf(op), contentType: "application/json; charset=utf-8", body: body}, true
}

// decode reads the query and the JSON body and checks both against the catalogue.
func (s *Sandbox) decode(r *http.Request, c *call) *apiError {
	if err := validateQuery(c.op, c.query); err != nil {
		return err
	}
	if c.op.Listing() {
		if err := checkPaging(c.query); err != nil {
			return err
		}
	}
	if r.ContentLength > maxBody {
		return newError(http.StatusRequestEntityTooLarge, codeBodyTooLarge, msgBodyTooLarge)
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return newError(http.StatusBadRequest, codeBadRequest, msgBadJSON)
	}
	if len(data) > maxBody {
		return newError(http.StatusRequestEntityTooLarge, codeBodyTooLarge, msgBodyTooLarge)
	}
	c.body = record{}
	if len(bytes.TrimSpace(data)) > 0 {
		var v any
		if err := decodeJSON(data, &v); err != nil {
			return newError(http.StatusBadRequest, codeBadRequest, msgBadJSON)
		}
		m, ok := normalize(v).(map[string]any)
		if !ok {
			return newError(http.StatusBadRequest, codeBadRequest, msgBodyNotObject)
		}
		c.body = m
	}
	if c.op.Body == nil {
		return nil
	}
	return validate(c.body, c.op.Body, "")
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Sandbox) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	// Constant time: how long the comparison takes says nothing about how
	// much of the token a guess got right.
	return ok && subtle.ConstantTimeCompare([]byte(tok), []byte(s.token)) == 1
}

func (s *Sandbox) requestID() string {
	n := s.requestSeq.Add(1)
	return fmt.Sprintf("%08x-5a4d-4b0c-8000-%012x", uint32(s.opts.Seed), n)
}

func (s *Sandbox) errorReply(reqID string, err *apiError) *reply {
	body, _ := json.Marshal(errorBody(reqID, err))
	return &reply{status: err.Status, contentType: "application/json; charset=utf-8", body: body}
}

func (s *Sandbox) sleep(r *http.Request, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

func (s *Sandbox) logRequest(r *http.Request, status int, start time.Time, reqID, note string) {
	if s.opts.Logf == nil {
		return
	}
	s.opts.Logf("%s %s %d %s %s %s", r.Method, r.URL.Path, status, time.Since(start).Round(time.Microsecond), reqID, note)
}

// serverTimeouts bound what a slow or idle client can hold: the time to
// send the headers, the whole request, and an idle keep-alive connection.
// Responses have no write timeout: slow faults and Latency delay them on
// purpose.
type serverTimeouts struct {
	readHeader, read, idle time.Duration
}

var defaultTimeouts = serverTimeouts{readHeader: 10 * time.Second, read: time.Minute, idle: 2 * time.Minute}

// newServer is the http.Server of Listen.
func (s *Sandbox) newServer() *http.Server {
	t := s.timeouts
	if t == (serverTimeouts{}) {
		t = defaultTimeouts
	}
	return &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: t.readHeader,
		ReadTimeout:       t.read,
		IdleTimeout:       t.idle,
		MaxHeaderBytes:    1 << 20,
	}
}

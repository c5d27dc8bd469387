package bindings

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"
	"github.com/tidwall/gjson"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
)

// pageSource is the Go side of a Pager: it knows the first request and how
// to derive the next one from a response. Each iteration opens a cursor.
type pageSource struct {
	b     *Bindings
	op    *catalog.Operation
	first *intercom.Request
	items string // items field, dotted

	mu    sync.Mutex
	total goja.Value // total_count of the first page seen, when given

	// awaitScroll: a scroll that finds another scroll open waits for it to
	// expire instead of failing (a resumed job's own stopped scroll).
	awaitScroll bool
}

func (b *Bindings) newPager(op *catalog.Operation, req *intercom.Request) goja.Value {
	return b.newPagerFor(op, req, op.ItemsField, op.JSName())
}

func (b *Bindings) newPagerFor(op *catalog.Operation, req *intercom.Request, items, name string) goja.Value {
	src := &pageSource{b: b, op: op, first: req, items: items}
	jsSrc := b.rt.NewObject()
	_ = jsSrc.Set("open", func(from goja.Value, positions bool) *goja.Object { return src.open(from, positions) })
	_ = jsSrc.Set("totalCount", func() goja.Value {
		src.mu.Lock()
		defer src.mu.Unlock()
		if src.total == nil {
			return goja.Undefined()
		}
		return src.total
	})
	_ = jsSrc.Set("itemsField", items)
	_ = jsSrc.Set("awaitOpenScroll", func() { src.awaitScroll = op != nil && op.Pagination == catalog.PageScroll })
	pager, err := b.rt.New(b.pager(), jsSrc, b.rt.ToValue(name))
	if err != nil {
		panic(err)
	}
	return pager
}

// page is one fetched page, or the error that ended the walk.
type page struct {
	req  *intercom.Request // what fetched it, when the walk records positions
	resp *intercom.Response
	next *intercom.Request // nil at the end
	err  error

	examined bool     // view was filled in by the walk
	view     pageView // where the items are and which of them are new
	warning  string   // why the walk stopped early, when the server misbehaved
}

// pageView says where a page's items are and which of them to yield.
type pageView struct {
	path   []string // the items array inside the body; nil when single
	single bool     // the body is itself the one item (a retrieve answered with an object)
	count  int      // items on the page
	keep   []int    // indexes of the items not yielded before in this walk
}

// walk is what one iteration has seen, so that it never yields an item twice
// and never asks for the same page twice, whatever the server does: the ids
// of the items yielded (about 100 bytes each: 100,000 items hold ~10 MB), a
// digest of each page of items without ids, and every request sent.
type walk struct {
	op       *catalog.Operation
	field    string
	ids      map[string]struct{}
	idless   map[[sha256.Size]byte]struct{}
	requests map[string]struct{}
}

func newWalk(op *catalog.Operation, field string) *walk {
	return &walk{op: op, field: field, ids: map[string]struct{}{}, idless: map[[sha256.Size]byte]struct{}{}, requests: map[string]struct{}{}}
}

// cursor walks one iteration. It keeps one request ahead: when a page is
// handed to the script, the next is already on its way, so at most two
// pages are held at a time. Pages are fetched one after the other, so only
// the goroutine of the latest fetch touches the walk.
type cursor struct {
	src    *pageSource
	walk   *walk
	ctx    context.Context
	cancel context.CancelCauseFunc
	ahead  chan page // the page being fetched, if any
	done   bool
	warned bool
	// positions: the pages carry their "from" (page.req is kept).
	positions bool
}

// open starts a walk: from the first page, or from a position a checkpoint
// recorded (a page's "from", see position). With positions, its pages carry
// their "from" for a checkpoint to record; other walks do not work it out.
func (s *pageSource) open(from goja.Value, positions bool) *goja.Object {
	first := s.first
	if from != nil && !goja.IsUndefined(from) && !goja.IsNull(from) && from.String() != "" {
		if req := s.resumeAt(from.String()); req != nil {
			first = req
		} else if note := s.b.opts.Checkpoint.Note; note != nil {
			note("icscript: " + s.name() + ": the checkpoint's position is not a page of this call: walking from the first page")
		}
	}
	ctx, cancel := context.WithCancelCause(s.b.host.Context())
	c := &cursor{src: s, walk: newWalk(s.op, s.items), ctx: ctx, cancel: cancel, positions: positions}
	c.walk.sent(first)
	c.fetch(first)
	o := s.b.rt.NewObject()
	_ = o.Set("nextSync", c.nextSync)
	_ = o.Set("next", c.next)
	_ = o.Set("close", c.close)
	return o
}

// fetch starts getting a page in the background; a walk whose run has
// ended starts nothing.
func (c *cursor) fetch(req *intercom.Request) {
	ch := make(chan page, 1)
	c.ahead = ch
	if err := c.ctx.Err(); err != nil {
		ch <- page{err: err}
		return
	}
	go func() {
		resp, err := c.src.b.client.Do(c.ctx, req)
		if err != nil && c.src.awaitScroll && req == c.src.first {
			resp, err = c.awaitScroll(req, err)
		}
		if err != nil {
			ch <- page{err: err}
			return
		}
		p := c.walk.step(req, resp)
		if c.positions {
			p.req = req
		}
		ch <- p
	}()
}

// Intercom keeps one scroll open per workspace until it has been idle for
// a minute (FACTS.md): a resumed job whose earlier run stopped mid-scroll
// finds that scroll still open. Its scroll_param cannot be reused — the
// items of the pages it had fetched would be lost — so the walk waits for
// it to expire and starts a new one (the checkpoint skips the done items).
const (
	scrollExpiry    = time.Minute + 10*time.Second
	scrollPollEvery = 2 * time.Second
)

// awaitScroll retries the first request of a scroll while another scroll is
// open, up to scrollExpiry; it returns the last answer.
func (c *cursor) awaitScroll(req *intercom.Request, err error) (*intercom.Response, error) {
	var resp *intercom.Response
	deadline := time.Now().Add(scrollExpiry)
	noted := false
	for isScrollOpen(err) && time.Now().Before(deadline) {
		if !noted {
			noted = true
			if note := c.src.b.opts.Checkpoint.Note; note != nil {
				note("icscript: " + c.src.name() + ": the stopped run's scroll is still open (one per workspace, it expires after a minute idle): waiting for it to expire, then walking again from the start")
			}
		}
		select {
		case <-c.ctx.Done():
			return nil, c.ctx.Err()
		case <-time.After(scrollPollEvery):
		}
		resp, err = c.src.b.client.Do(c.ctx, req)
	}
	return resp, err
}

// isScrollOpen reports whether err is Intercom's "a scroll is already open".
func isScrollOpen(err error) bool {
	var apiErr *intercom.APIError
	return errors.As(err, &apiErr) && apiErr.Status == 400 && apiErr.Code == "scroll_exists"
}

// take waits for the page ahead and starts the one after it.
func (c *cursor) take() (page, bool) {
	if c.done || c.ahead == nil {
		return page{}, false
	}
	var p page
	select {
	case p = <-c.ahead:
	case <-c.ctx.Done():
		p = page{err: c.ctx.Err()}
	}
	c.ahead = nil
	if p.err == nil && p.next != nil {
		c.fetch(p.next)
	} else {
		c.done = p.err == nil
	}
	return p, true
}

// nextSync blocks the loop goroutine on the Go side for the next page: the
// request does not need the loop, so this cannot deadlock.
func (c *cursor) nextSync() goja.Value {
	p, ok := c.take()
	if !ok {
		return goja.Null()
	}
	if p.err != nil {
		c.close()
		panic(c.src.b.errorValue(c.src.b.wrapError(p.err)))
	}
	v, err := c.toJS(p)
	if err != nil {
		panic(c.src.b.rt.NewGoError(err))
	}
	return v
}

// next resolves to the next page, or null at the end. Calls must not
// overlap (the Pager's iterators queue them): a call while a page is on its
// way to another one is refused rather than ending the walk early.
func (c *cursor) next() *goja.Promise {
	b := c.src.b
	if c.done {
		promise, resolve, _ := b.rt.NewPromise()
		_ = resolve(goja.Null())
		return promise
	}
	if c.ahead == nil {
		panic(b.rt.NewTypeError("a Pager's cursor was read while its previous page was still on its way"))
	}
	ch := c.ahead
	c.ahead = nil
	return b.host.Async(func(ctx context.Context) (any, error) {
		select {
		case p := <-ch:
			if p.err != nil {
				return nil, b.wrapError(p.err)
			}
			return p, nil
		case <-c.ctx.Done():
			return nil, b.wrapError(c.ctx.Err())
		}
	}, func(rt *goja.Runtime, v any) (goja.Value, error) {
		p := v.(page)
		if p.next != nil && !c.done {
			c.fetch(p.next)
		} else {
			c.done = true
		}
		return c.toJS(p)
	})
}

// close ends the walk. The page fetched ahead is abandoned, not failed: the
// client counts it apart from the requests that went wrong.
func (c *cursor) close() {
	c.done = true
	c.cancel(intercom.ErrAbandoned)
}

// toJS makes the page for the script and says once, on stderr, why a walk
// stopped before the server said it was over.
func (c *cursor) toJS(p page) (goja.Value, error) {
	if p.warning != "" && !c.warned {
		c.warned = true
		c.src.b.warn("icscript: warning: " + c.src.name() + ": " + p.warning)
	}
	return c.src.toJS(p)
}

func (s *pageSource) name() string {
	if s.op != nil {
		return s.op.JSName()
	}
	return "raw " + s.first.Method + " " + s.first.Path
}

// warn writes a line through console.warn (stderr), when there is one.
func (b *Bindings) warn(msg string) {
	console, ok := b.rt.Get("console").(*goja.Object)
	if !ok {
		return
	}
	if fn, ok := goja.AssertFunction(console.Get("warn")); ok {
		_, _ = fn(console, b.rt.ToValue(msg))
	}
}

// toJS makes {items, body} of a page, on the loop: items are those of the
// page not yielded before in the walk.
func (s *pageSource) toJS(p page) (goja.Value, error) {
	b := s.b
	var body goja.Value
	var err error
	if p.resp.DryRun || len(p.resp.Body) == 0 {
		body = b.rt.NewObject()
	} else if body, err = b.parseJSON(p.resp.Body); err != nil {
		return nil, err
	}
	s.noteTotal(p.resp.Body)
	v := p.view
	if !p.examined {
		v = newWalk(s.op, s.items).view(p.resp)
	}
	o := b.rt.NewObject()
	_ = o.Set("body", body)
	_ = o.Set("items", v.itemsOf(b.rt, body))
	if from, ok := s.position(p.req); ok {
		_ = o.Set("from", from)
	}
	return o, nil
}

// position is where a walk can start again at the page req fetched, for a
// checkpoint: "" for the first page, the request as JSON for a later one,
// and false when the style has no stable position. Only cursors name one:
// starting_after in the query or the search body. A page number shifts when
// items before it are deleted, and a scroll_param dies with its scroll, so
// those walks start again from the first page (the checkpoint skips what is
// done).
func (s *pageSource) position(req *intercom.Request) (string, bool) {
	if req == nil || s.op == nil {
		return "", false
	}
	switch s.op.Pagination {
	case catalog.PageCursor, catalog.PageSearch:
	default:
		return "", false
	}
	if req == s.first {
		return "", true
	}
	data, err := json.Marshal(positionOf{Method: req.Method, Path: req.Path, Query: req.Query.Encode(), Body: string(req.Body)})
	if err != nil || s.resumeAt(string(data)) == nil {
		return "", false // a link or a server's own paging: no position of ours
	}
	return string(data), true
}

// positionOf is a recorded position: the request of a page.
type positionOf struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Query  string `json:"query,omitempty"`
	Body   string `json:"body,omitempty"`
}

// cursorOf is the starting_after of a request, in its query or search body.
func cursorOf(req *intercom.Request) string {
	if after := req.Query.Get("starting_after"); after != "" {
		return after
	}
	return gjson.GetBytes(req.Body, "pagination.starting_after").String()
}

// cursorRequest is this listing's first request moved to the cursor after;
// nil when there is no cursor.
func (s *pageSource) cursorRequest(after string) *intercom.Request {
	if after == "" {
		return nil
	}
	if s.op.Pagination == catalog.PageSearch {
		return searchNext(s.first, after)
	}
	return withQuery(s.first, "starting_after", after, "page")
}

// resumeAt is the request of a recorded position when it is a page of this
// very listing (the same call with only the cursor moved), else nil: a
// script whose call changed walks from the first page.
func (s *pageSource) resumeAt(from string) *intercom.Request {
	var p positionOf
	if s.op == nil || json.Unmarshal([]byte(from), &p) != nil {
		return nil
	}
	q, err := url.ParseQuery(p.Query)
	if err != nil {
		return nil
	}
	recorded := &intercom.Request{Method: p.Method, Path: p.Path, Query: q, Body: []byte(p.Body)}
	req := s.cursorRequest(cursorOf(recorded))
	if req == nil || req.Method != p.Method || req.Path != p.Path || req.Query.Encode() != p.Query || string(req.Body) != p.Body {
		return nil
	}
	return req
}

// itemsOf picks the page's new items out of its parsed body.
func (v pageView) itemsOf(rt *goja.Runtime, body goja.Value) goja.Value {
	if v.single {
		if len(v.keep) == 0 {
			return rt.NewArray()
		}
		return rt.NewArray(body)
	}
	obj, ok := body.(*goja.Object)
	if !ok || v.path == nil {
		return rt.NewArray()
	}
	all := dig(obj, v.path)
	if !isArray(all) {
		return rt.NewArray()
	}
	if len(v.keep) == v.count {
		return all
	}
	arr := all.(*goja.Object)
	out := make([]any, len(v.keep))
	for i, k := range v.keep {
		out[i] = arr.Get(strconv.Itoa(k))
	}
	return rt.NewArray(out...)
}

func (s *pageSource) noteTotal(body []byte) {
	t := gjson.GetBytes(body, "total_count")
	if !t.Exists() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.total == nil {
		s.total = s.b.rt.ToValue(t.Int())
	}
}

func dig(obj *goja.Object, path []string) goja.Value {
	var v goja.Value = obj
	for _, part := range path {
		o, ok := v.(*goja.Object)
		if !ok {
			return nil
		}
		v = o.Get(part)
	}
	return v
}

func isArray(v goja.Value) bool {
	o, ok := v.(*goja.Object)
	return ok && o.ClassName() == "Array"
}

// step examines a page of the walk: which items are new, and what to ask
// next. The walk ends when a page brings nothing new (every item was yielded
// before: the server repeated itself) or when the next request is one already
// sent (a cursor that does not move), so no walk loops, whatever the server.
func (w *walk) step(req *intercom.Request, resp *intercom.Response) page {
	p := page{resp: resp, examined: true, view: w.view(resp)}
	switch {
	case p.view.count == 0:
		return p // an empty page ends every style
	case len(p.view.keep) == 0:
		p.warning = "the server sent a page of items already seen; the walk stops there and may be incomplete"
		return p
	case p.view.single:
		return p // one object, not a list: there is no next page
	}
	next := nextRequest(w.op, req, resp, w.field)
	if next == nil {
		return p
	}
	// A scroll keeps its scroll_param for the whole walk: only the items tell
	// whether it moves.
	if next.Query.Get("scroll_param") == "" && !w.sent(next) {
		p.warning = "the server sent the same next-page cursor again; the walk stops there and may be incomplete"
		return p
	}
	p.next = next
	return p
}

// sent records a request of the walk; false when it was sent before.
func (w *walk) sent(req *intercom.Request) bool {
	key := req.Method + " " + req.Path + "?" + req.Query.Encode() + "\n" + string(req.Body)
	if _, seen := w.requests[key]; seen {
		return false
	}
	w.requests[key] = struct{}{}
	return true
}

// view finds the items of a page and keeps those not seen before in the walk:
// an item with an id is new when its id is; items without ids are new when
// their page is not one seen before.
func (w *walk) view(resp *intercom.Response) pageView {
	if resp.DryRun || len(resp.Body) == 0 || !gjson.ValidBytes(resp.Body) {
		return pageView{}
	}
	body := gjson.ParseBytes(resp.Body)
	path, single := itemsPath(body, w.field)
	var items []gjson.Result
	raw := body.Raw
	switch {
	case single:
		items = []gjson.Result{body}
	case path != nil:
		v := getPath(body, path)
		items, raw = v.Array(), v.Raw
	}
	v := pageView{path: path, single: single, count: len(items), keep: make([]int, 0, len(items))}
	newPage := true
	for _, it := range items {
		if itemID(it) == "" {
			sum := sha256.Sum256([]byte(raw))
			_, seen := w.idless[sum]
			newPage = !seen
			w.idless[sum] = struct{}{}
			break
		}
	}
	for i, it := range items {
		id := itemID(it)
		if id == "" {
			if newPage {
				v.keep = append(v.keep, i)
			}
			continue
		}
		if _, seen := w.ids[id]; seen {
			continue
		}
		w.ids[id] = struct{}{}
		v.keep = append(v.keep, i)
	}
	return v
}

// itemID is the id of an item, "" when it has none.
func itemID(item gjson.Result) string {
	id := item.Get("id")
	switch id.Type {
	case gjson.String, gjson.Number:
		// A copy: gjson's string shares the page's body, which a walk
		// would otherwise keep alive for as long as it remembers the id.
		return strings.Clone(id.String())
	}
	return ""
}

// itemsPath finds the items array of a page: the catalogue's field, else
// the body itself when it is one object with an id (a list operation that
// answered with a single item, as retrieveCompany does for company_id or
// name), else the first of "data" or any top-level array (the description is
// not always right about the name; FACTS.md §1).
func itemsPath(body gjson.Result, field string) (path []string, single bool) {
	if !body.IsObject() {
		return nil, false
	}
	if field != "" {
		if p := strings.Split(field, "."); getPath(body, p).IsArray() {
			return p, false
		}
	}
	if itemID(body) != "" {
		return nil, true
	}
	if body.Get("data").IsArray() {
		return []string{"data"}, false
	}
	body.ForEach(func(k, v gjson.Result) bool {
		if v.IsArray() {
			path = []string{k.String()}
			return false
		}
		return true
	})
	return path, false
}

func getPath(body gjson.Result, path []string) gjson.Result {
	v := body
	for _, part := range path {
		v = v.Get(gjson.Escape(part))
	}
	return v
}

// nextRequest derives the request for the page after resp, or nil when the
// walk is over. It reads the style of the catalogue first; a raw request
// without an operation follows whatever paging the response carries. A
// request carries either a cursor or a page number, never both.
func nextRequest(op *catalog.Operation, req *intercom.Request, resp *intercom.Response, items string) *intercom.Request {
	if resp.DryRun || len(resp.Body) == 0 || !gjson.ValidBytes(resp.Body) {
		return nil
	}
	body := gjson.ParseBytes(resp.Body)
	if v := newWalk(op, items).view(resp); v.count == 0 || v.single {
		return nil
	}
	style := catalog.Pagination("")
	if op != nil {
		style = op.Pagination
	}
	next := body.Get("pages.next")
	link := next.Type == gjson.String && next.String() != ""
	after := next.Get("starting_after").String()
	switch style {
	case catalog.PageNone:
		return nil
	case catalog.PageSearch:
		return searchNext(req, after)
	case catalog.PageScroll:
		return scrollNext(req, body)
	case catalog.PageNextCursor:
		return nextCursorNext(req, body)
	case catalog.PageCursor, catalog.PageLink:
		switch {
		case link:
			return followLink(req, next.String())
		case after != "":
			return withQuery(req, "starting_after", after, "page")
		}
		return nil
	case "": // raw: the response says how it pages
		if body.Get("scroll_param").Exists() {
			return scrollNext(req, body)
		}
	}
	switch {
	case link:
		return followLink(req, next.String())
	case after != "":
		return withQuery(req, "starting_after", after, "page")
	}
	return pageNext(op, req, body)
}

// pageNext asks for the page after the one answered, when there is one. A
// server whose page lags behind the one asked for does not send the walk
// back: the next page is after the later of the two.
func pageNext(op *catalog.Operation, req *intercom.Request, body gjson.Result) *intercom.Request {
	pages := body.Get("pages")
	if !pages.Exists() {
		pages = body // listAudiences, listContentSnippets: page and total_pages beside the items
	}
	page, total := pages.Get("page").Int(), pages.Get("total_pages").Int()
	inBody := pageInBody(op)
	asked := req.Query.Get("page")
	if inBody {
		asked = gjson.GetBytes(req.Body, "page").String()
	}
	if n, err := strconv.ParseInt(asked, 10, 64); err == nil && n > page {
		page = n
	}
	if page <= 0 || page >= total {
		return nil
	}
	if !inBody {
		return withQuery(req, "page", strconv.FormatInt(page+1, 10), "starting_after")
	}
	var m map[string]any
	if len(req.Body) > 0 && json.Unmarshal(req.Body, &m) != nil {
		return nil
	}
	if m == nil {
		m = map[string]any{}
	}
	m["page"] = page + 1
	next := *req
	next.Body, _ = json.Marshal(m)
	return &next
}

// pageInBody reports whether op takes its page number in the body, not the
// query: a POST whose body declares page and whose query does not
// (searchActivityLogs; listAllCompanies takes it in the query).
func pageInBody(op *catalog.Operation) bool {
	if op == nil || op.Method != http.MethodPost || op.Body == nil ||
		slices.ContainsFunc(op.Query, func(q catalog.Param) bool { return q.Name == "page" }) {
		return false
	}
	return slices.ContainsFunc(op.Catalog().Lookup(op.Body).Properties, func(p catalog.Property) bool { return p.Name == "page" })
}

func scrollNext(req *intercom.Request, body gjson.Result) *intercom.Request {
	if sp := body.Get("scroll_param").String(); sp != "" {
		return withQuery(req, "scroll_param", sp)
	}
	return nil
}

func searchNext(req *intercom.Request, after string) *intercom.Request {
	if after == "" {
		return nil
	}
	var m map[string]any
	if len(req.Body) > 0 && json.Unmarshal(req.Body, &m) != nil {
		return nil
	}
	if m == nil {
		m = map[string]any{}
	}
	pg, _ := m["pagination"].(map[string]any)
	if pg == nil {
		pg = map[string]any{}
	}
	pg["starting_after"] = after
	m["pagination"] = pg
	next := *req
	next.Body, _ = json.Marshal(m)
	return &next
}

// nextCursorNext is the next page of a next-cursor walk: cursor set to the
// response's next_cursor, while has_more is true (a response without
// has_more goes on while it names a cursor).
func nextCursorNext(req *intercom.Request, body gjson.Result) *intercom.Request {
	cursor := body.Get("next_cursor")
	if cursor.Type != gjson.String || cursor.String() == "" {
		return nil
	}
	if more := body.Get("has_more"); more.Exists() && !more.Bool() {
		return nil
	}
	return withQuery(req, "cursor", cursor.String())
}

// withQuery is req with key set to value, and without the drop parameters.
func withQuery(req *intercom.Request, key, value string, drop ...string) *intercom.Request {
	next := *req
	next.Query = url.Values{}
	for k, v := range req.Query {
		next.Query[k] = v
	}
	for _, k := range drop {
		next.Query.Del(k)
	}
	next.Query.Set(key, value)
	return &next
}

// followLink requests the path and query of a next-page URL from the same
// server as the first page: the token is never sent to another host.
func followLink(req *intercom.Request, link string) *intercom.Request {
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(u.Path, "/") {
		return nil
	}
	next := *req
	next.Path = u.Path
	next.Query = u.Query()
	return &next
}

package bindings

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/dop251/goja"
	"github.com/tidwall/gjson"

	"github.com/icscript/icscript/bindings/catalog"
	"github.com/icscript/icscript/bindings/client"
)

// pageSource is the Go side of a Pager: it knows the first request and how
// to derive the next one from a response. Each iteration opens a cursor.
type pageSource struct {
	b     *Bindings
	op    *catalog.Operation
	first *client.Request
	items string // items field, dotted

	mu    sync.Mutex
	total goja.Value // total_count of the first page seen, when given
}

func (b *Bindings) newPager(op *catalog.Operation, req *client.Request) goja.Value {
	return b.newPagerFor(op, req, op.ItemsField, op.JSName())
}

func (b *Bindings) newPagerFor(op *catalog.Operation, req *client.Request, items, name string) goja.Value {
	src := &pageSource{b: b, op: op, first: req, items: items}
	jsSrc := b.rt.NewObject()
	_ = jsSrc.Set("open", func() *goja.Object { return src.open() })
	_ = jsSrc.Set("totalCount", func() goja.Value {
		src.mu.Lock()
		defer src.mu.Unlock()
		if src.total == nil {
			return goja.Undefined()
		}
		return src.total
	})
	_ = jsSrc.Set("itemsField", items)
	pager, err := b.rt.New(b.pagerCtor, jsSrc, b.rt.ToValue(name))
	if err != nil {
		panic(err)
	}
	return pager
}

// page is one fetched page, or the error that ended the walk.
type page struct {
	resp *client.Response
	next *client.Request // nil at the end
	err  error
}

// cursor walks one iteration. It keeps one request ahead: when a page is
// handed to the script, the next is already on its way, so at most two
// pages are held at a time.
type cursor struct {
	src    *pageSource
	ctx    context.Context
	cancel context.CancelFunc
	ahead  chan page // the page being fetched, if any
	done   bool
}

func (s *pageSource) open() *goja.Object {
	ctx, cancel := context.WithCancel(s.b.host.Context())
	c := &cursor{src: s, ctx: ctx, cancel: cancel}
	c.fetch(s.first)
	o := s.b.rt.NewObject()
	_ = o.Set("nextSync", c.nextSync)
	_ = o.Set("next", c.next)
	_ = o.Set("close", c.close)
	return o
}

// fetch starts getting a page in the background.
func (c *cursor) fetch(req *client.Request) {
	ch := make(chan page, 1)
	c.ahead = ch
	go func() {
		resp, err := c.src.b.client.Do(c.ctx, req)
		if err != nil {
			ch <- page{err: err}
			return
		}
		ch <- page{resp: resp, next: nextRequest(c.src.op, req, resp, c.src.items)}
	}()
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
	v, err := c.src.toJS(p)
	if err != nil {
		panic(c.src.b.rt.NewGoError(err))
	}
	return v
}

// next resolves to the next page, or null at the end.
func (c *cursor) next() *goja.Promise {
	b := c.src.b
	if c.done || c.ahead == nil {
		promise, resolve, _ := b.rt.NewPromise()
		_ = resolve(goja.Null())
		return promise
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
		return c.src.toJS(p)
	})
}

func (c *cursor) close() {
	c.done = true
	c.cancel()
}

// toJS makes {items, body} of a page, on the loop.
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
	o := b.rt.NewObject()
	_ = o.Set("body", body)
	_ = o.Set("items", itemsOf(b.rt, body, s.items))
	return o, nil
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

// itemsOf finds the items array of a page: the catalogue's field, else the
// first of "data" or any top-level array (the description is not always
// right about the name; FACTS.md §1).
func itemsOf(rt *goja.Runtime, body goja.Value, field string) goja.Value {
	obj, ok := body.(*goja.Object)
	if !ok {
		return rt.NewArray()
	}
	if v := dig(obj, field); isArray(v) {
		return v
	}
	if v := obj.Get("data"); isArray(v) {
		return v
	}
	for _, k := range obj.Keys() {
		if v := obj.Get(k); isArray(v) {
			return v
		}
	}
	return rt.NewArray()
}

func dig(obj *goja.Object, path string) goja.Value {
	var v goja.Value = obj
	for _, part := range strings.Split(path, ".") {
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

// nextRequest derives the request for the page after resp, or nil when the
// walk is over. It reads the style of the catalogue first and falls back to
// whatever paging the response carries.
func nextRequest(op *catalog.Operation, req *client.Request, resp *client.Response, items string) *client.Request {
	if resp.DryRun || len(resp.Body) == 0 || !gjson.ValidBytes(resp.Body) {
		return nil
	}
	body := gjson.ParseBytes(resp.Body)
	if countItems(body, items) == 0 {
		return nil
	}
	style := catalog.PageNone
	if op != nil {
		style = op.Pagination
	}
	switch style {
	case catalog.PageNone:
		return nil
	case catalog.PageSearch:
		return searchNext(req, body)
	case catalog.PageScroll:
		if sp := body.Get("scroll_param").String(); sp != "" {
			return withQuery(req, "scroll_param", sp)
		}
		return nil
	}
	next := body.Get("pages.next")
	switch {
	case next.Type == gjson.String && next.String() != "":
		return followLink(req, next.String())
	case next.Get("starting_after").String() != "":
		return withQuery(req, "starting_after", next.Get("starting_after").String())
	}
	page, total := body.Get("pages.page").Int(), body.Get("pages.total_pages").Int()
	if page > 0 && page < total {
		return withQuery(req, "page", strconv.FormatInt(page+1, 10))
	}
	return nil
}

func countItems(body gjson.Result, items string) int {
	if items == "" {
		items = "data"
	}
	v := body.Get(items)
	if !v.IsArray() {
		v = body.Get("data")
	}
	if !v.IsArray() {
		for _, x := range body.Map() {
			if x.IsArray() {
				return len(x.Array())
			}
		}
		return 0
	}
	return len(v.Array())
}

func searchNext(req *client.Request, body gjson.Result) *client.Request {
	after := body.Get("pages.next.starting_after").String()
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

func withQuery(req *client.Request, key, value string) *client.Request {
	next := *req
	next.Query = url.Values{}
	for k, v := range req.Query {
		next.Query[k] = v
	}
	next.Query.Set(key, value)
	return &next
}

// followLink requests the path and query of a next-page URL from the same
// server as the first page: the token is never sent to another host.
func followLink(req *client.Request, link string) *client.Request {
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(u.Path, "/") {
		return nil
	}
	next := *req
	next.Path = u.Path
	next.Query = u.Query()
	return &next
}

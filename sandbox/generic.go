package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/icscript/icscript/intercom/catalog"
)

// The generic resource handler answers the operations of API 2.11 and later
// that 2.10 lacks (calls, brands, internal articles, macros, office hours,
// reporting data exports…) from the catalogue of the request's version, so
// that each is stateful without a handler of its own:
//
//   - a resource is the collection its path names: the path itself, or for
//     /…/{id} the path without its last segment, with the parameters filled
//     in (/office_hours_schedules/7/office_hours_exceptions). Its records live
//     in the store's table "api:<collection>", saved with the rest;
//   - POST on a collection creates a record from the body; GET, PUT/PATCH
//     and DELETE on /{id} read, update and delete it (404 when absent);
//   - GET on a collection whose response holds an array of objects lists its
//     records, paged as the operation's parameters say; …/search lists the
//     records of the collection it is under with a value (not a field
//     name) holding the query;
//   - any other path is a singleton (GET /ip_allowlist, PUT to update it,
//     POST /fin/start…), one record per path;
//   - a collection that only lists (calls, brands, emails…) is seeded with
//     three records on first use, deterministic from the seed;
//   - answers are shaped by the version's response schema: every property,
//     from the record where it has a valid value, else a generated one
//     (type from the schema's enum, ids, timestamps, placeholders).
const genericSeeded = 3

// genericName is the table name of a collection path.
func genericName(collection string) string { return "api:" + collection }

// genericTable is the table of a collection path.
func (st *store) genericTable(collection string) *table {
	name := genericName(collection)
	t := st.Tables[name]
	if t == nil {
		t = newTable()
		st.Tables[name] = t
	}
	return t
}

// table is the table of a collection path as the call may use it: under
// the read lock, one that does not exist yet is an empty table the store
// does not hold (a write asks for the write lock first, see writes).
func (c *call) table(collection string) *table {
	if !c.readOnly {
		return c.st.genericTable(collection)
	}
	if t := c.st.Tables[genericName(collection)]; t != nil {
		return t
	}
	return newTable()
}

// writes is nil when the call may change the store, errNeedsWrite under
// the read lock: the generic handler calls it before its first change.
func (c *call) writes() *apiError {
	if c.readOnly {
		return errNeedsWrite
	}
	return nil
}

// genericShape is what a request to the generic handler addresses.
type genericShape struct {
	collection string // concrete collection path
	template   string // its template
	id         string // the item's id; "" for a collection or singleton
	search     bool
	byQuery    bool // the item is the one whose members hold the query's values
}

func (c *call) genericTarget() genericShape {
	segs := splitPath(c.op.Path)
	concrete := c.concrete(segs)
	last := len(segs) - 1
	switch {
	case last < 0:
		return genericShape{collection: "/", template: "/"}
	case strings.HasPrefix(segs[last], "{") && last > 0 && c.createsIn(c.op.Path):
		// POST on this template creates: it is a collection, whose items a
		// read or delete finds by the query (custom object instances by
		// external_id).
		return genericShape{collection: strings.Join(concrete, ""), template: c.op.Path, byQuery: c.op.Method != http.MethodPost}
	case strings.HasPrefix(segs[last], "{") && last > 0:
		return genericShape{collection: strings.Join(concrete[:last], ""), template: "/" + strings.Join(segs[:last], "/"), id: concrete[last][1:]}
	case segs[last] == "search" && last > 0:
		return genericShape{collection: strings.Join(concrete[:last], ""), template: "/" + strings.Join(segs[:last], "/"), search: true}
	}
	return genericShape{collection: strings.Join(concrete, ""), template: c.op.Path}
}

// hGeneric is the generic resource handler. Its answer is shaped by the
// version's response schema once: apply does not conform it again.
func hGeneric(c *call) (any, *apiError) {
	sub := c.answersParent()
	c.unshaped = sub >= 0 // the parent's record is the answer, not the change's
	out, err := c.generic()
	if err != nil || sub < 0 {
		return out, err
	}
	return c.parentAnswer(sub, out), nil
}

// answersParent is the index of the last segment of a change to a
// sub-collection whose operation answers its parent (the options of a
// conversation attribute answer the attribute), -1 for any other operation.
func (c *call) answersParent() int {
	segs := splitPath(c.op.Path)
	last := len(segs) - 1
	if last >= 0 && strings.HasPrefix(segs[last], "{") {
		last--
	}
	if c.op.Method == http.MethodGet || last < 2 || !strings.HasPrefix(segs[last-1], "{") || c.op.Response == "" {
		return -1
	}
	parentTemplate := "/" + strings.Join(segs[:last], "/")
	for _, op := range c.api.Operations {
		if op.Method == http.MethodGet && catalog.PathShape(op.Path) == catalog.PathShape(parentTemplate) && op.Response == c.op.Response {
			return last
		}
	}
	return -1
}

// parentAnswer is the answer of an operation that answers its parent (see
// answersParent): the parent's record with the sub-collection's records
// under the sub-collection's name, or out, the change's own answer
// unshaped, when the parent does not exist.
func (c *call) parentAnswer(last int, out any) any {
	segs := splitPath(c.op.Path)
	concrete := c.concrete(segs[:last+1])
	c.unshaped = false
	parent := c.table(strings.Join(concrete[:len(concrete)-2], "")).get(concrete[len(concrete)-2][1:])
	if parent == nil {
		if r, ok := out.(record); ok {
			return c.answer(c.responseSchema(), r)
		}
		return out
	}
	r := copyRecord(parent)
	var subs []any
	for _, x := range c.table(strings.Join(concrete, "")).all() {
		subs = append(subs, x)
	}
	r[segs[last]] = subs
	return c.answer(c.responseSchema(), r)
}

// concrete is path segments with their parameters filled in, each with a
// leading "/".
func (c *call) concrete(segs []string) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			s = c.params[strings.Trim(s, "{}")]
		}
		out[i] = "/" + s
	}
	return out
}

func (c *call) generic() (any, *apiError) {
	g := c.genericTarget()
	resp := c.responseSchema()
	items := itemsOf(c.api, resp)
	t := c.table(g.collection)
	switch {
	case g.search || (c.op.Method == http.MethodGet && g.id == "" && items != nil):
		if err := c.seedGeneric(g, t, items); err != nil {
			return nil, err
		}
		return c.genericList(g.collection, t, resp, items, g.search)
	case g.byQuery:
		r := t.find(func(r record) bool {
			for k := range c.query {
				if asString(r[k]) == c.query.Get(k) {
					return true
				}
			}
			return false
		})
		if r == nil {
			return nil, errNotFound(codeNotFound, msgNotFound)
		}
		g.id = str(r, "id")
		return c.itemOp(g, t, r, resp)
	case g.id != "":
		list := c.listSchemaOf(g.template)
		if err := c.seedGeneric(g, t, itemsOf(c.api, list)); err != nil {
			return nil, err
		}
		r := t.get(g.id)
		if r == nil && list == nil && !c.createsIn(g.template) {
			// Nothing creates or lists this resource (fin voice calls by
			// id, workflow exports, job statuses): any id names one.
			if err := c.writes(); err != nil {
				return nil, err
			}
			r = record{"id": g.id, "created_at": c.now, "updated_at": c.now}
			t.put(r)
		}
		if r == nil {
			return nil, errNotFound(codeNotFound, msgNotFound)
		}
		return c.itemOp(g, t, r, resp)
	case c.op.Method == http.MethodPost && (c.listSchemaOf(g.template) != nil || g.template == c.op.Path && strings.HasSuffix(c.op.Path, "}")):
		if err := c.writes(); err != nil {
			return nil, err
		}
		r := copyRecord(c.body)
		r["id"] = c.st.nextGeneric(g.collection)
		r["created_at"], r["updated_at"] = c.now, c.now
		t.put(r)
		return c.answer(resp, r), nil
	}
	// A singleton: one record per path, created on first use.
	r := t.get("singleton")
	if c.op.Method == http.MethodGet && r != nil {
		return c.answer(resp, r), nil
	}
	if err := c.writes(); err != nil {
		return nil, err
	}
	if r == nil {
		r = record{"id": "singleton", "created_at": c.now}
	} else {
		r = copyRecord(r)
	}
	if c.op.Method != http.MethodGet {
		for k, v := range c.body {
			r[k] = v
		}
		r["updated_at"] = c.now
	}
	if c.op.Method == http.MethodDelete {
		t.remove("singleton")
	} else {
		t.put(r)
	}
	return c.answer(resp, r), nil
}

// itemOp reads, updates, deletes or acts on one record of a collection.
func (c *call) itemOp(g genericShape, t *table, r record, resp *catalog.Schema) (any, *apiError) {
	if c.op.Method != http.MethodGet {
		if err := c.writes(); err != nil {
			return nil, err
		}
	}
	switch c.op.Method {
	case http.MethodPut, http.MethodPatch, http.MethodPost: // POST: an action on an item (merge, publish…)
		r = copyRecord(r)
		for k, v := range c.body {
			r[k] = v
		}
		r["updated_at"] = c.now
		t.put(r)
	case http.MethodDelete:
		t.remove(g.id)
		if resp == nil && c.op.Status == http.StatusNoContent {
			return &rawResponse{status: http.StatusNoContent}, nil
		}
		d := copyRecord(r)
		d["deleted"] = true
		return c.answer(resp, d), nil
	}
	return c.answer(resp, r), nil
}

// answer is a record as the response schema shapes it, or the empty answer
// of an operation without one.
func (c *call) answer(resp *catalog.Schema, r record) any {
	switch {
	case resp != nil && c.unshaped:
		return r
	case resp != nil:
		return c.shape(resp, r)
	case c.op.Status == 0 && slices.Contains(c.op.Errors, http.StatusFound):
		// A redirect to the resource's bytes (a call's recording).
		return &rawResponse{status: http.StatusFound, location: c.base + "/sandbox/signed" + c.op.Path + "/" + str(r, "id")}
	case c.op.Status == http.StatusNoContent:
		return &rawResponse{status: http.StatusNoContent}
	case inlineAnswers[c.op.ID].text:
		return &rawResponse{status: http.StatusOK, contentType: "text/plain; charset=utf-8",
			body: []byte(fmt.Sprintf("[00:00] Sandbox: transcript of %s %s\n", c.op.Path, str(r, "id")))}
	case inlineAnswers[c.op.ID].array:
		return []any{c.shape(c.api.Schemas[inlineAnswers[c.op.ID].schema], r)}
	}
	// The description's answer is an inline schema the catalogue does not
	// name: the record as it is.
	out := record{}
	for k, v := range r {
		if !strings.HasPrefix(k, "_") {
			out[k] = v
		}
	}
	return out
}

func statusOf(op *catalog.Operation) int {
	if op.Status == 0 {
		return http.StatusOK
	}
	return op.Status
}

func (c *call) responseSchema() *catalog.Schema { return responseOf(c.api, c.op) }

// inlineAnswers are the success answers the descriptions give inline rather
// than as a component schema, so that the catalogue names none: what the
// sandbox answers instead of the bare record.
var inlineAnswers = map[string]struct {
	schema string // component schema of the answer, or of its items
	array  bool   // the answer is an array of schema
	text   bool   // the answer is text/plain
}{
	// 2.11-: allOf [message] with conversation_id required.
	"createConversation": {schema: "message"},
	// 2.11-: allOf [contact] and enabled_push_messaging.
	"MergeContact": {schema: "contact"},
	// 2.15-: an array of ai_call_response.
	"collectFinVoiceCallsByConversationId": {schema: "ai_call_response", array: true},
	// 2.15-: the description declares no success answer (401, 404 and
	// default: error only); its siblings collectFinVoiceCallById and
	// ...ByExternalId answer ai_call_response.
	"collectFinVoiceCallByPhoneNumber": {schema: "ai_call_response"},
	// 2.14-: text/plain, the transcript.
	"showCallTranscript": {text: true},
}

// responseOf is the schema of an operation's success answer in a version,
// nil when it has none or an inline one the catalogue does not name.
func responseOf(cat *catalog.Catalog, op *catalog.Operation) *catalog.Schema {
	if op.Response != "" {
		return cat.Schemas[op.Response]
	}
	if in, ok := inlineAnswers[op.ID]; ok && in.schema != "" && !in.array {
		return cat.Schemas[in.schema]
	}
	return nil
}

// listSchemaOf is the response schema of the version's GET on a
// collection template, when it lists; nil when there is none.
func (c *call) listSchemaOf(template string) *catalog.Schema {
	return c.av.lists[catalog.PathShape(template)]
}

// itemsOf finds where a list response holds its items: the first array of
// objects among its properties, or one level down (data.internal_articles).
func itemsOf(cat *catalog.Catalog, s *catalog.Schema) []string {
	s = cat.Lookup(s)
	if s == nil {
		return nil
	}
	for _, p := range s.Properties {
		ps := cat.Lookup(p.Schema)
		if ps.Type == "array" && ps.Items != nil && isObject(cat, ps.Items) {
			return []string{p.Name}
		}
	}
	for _, p := range s.Properties {
		ps := cat.Lookup(p.Schema)
		if ps.Type != "object" {
			continue
		}
		for _, q := range ps.Properties {
			qs := cat.Lookup(q.Schema)
			if qs.Type == "array" && qs.Items != nil && isObject(cat, qs.Items) {
				return []string{p.Name, q.Name}
			}
		}
	}
	return nil
}

func isObject(cat *catalog.Catalog, s *catalog.Schema) bool {
	s = cat.Lookup(s)
	return s.Type == "object" || len(s.Properties) > 0 || len(s.AllOf) > 0 || len(s.OneOf) > 0 || len(s.AnyOf) > 0
}

// itemSchema is the schema of one item of a list response.
func itemSchema(cat *catalog.Catalog, s *catalog.Schema, path []string) *catalog.Schema {
	for _, name := range path {
		s = propertyOf(cat, cat.Lookup(s), name)
	}
	return cat.Lookup(s).Items
}

func propertyOf(cat *catalog.Catalog, s *catalog.Schema, name string) *catalog.Schema {
	for _, p := range s.Properties {
		if p.Name == name {
			return p.Schema
		}
	}
	return &catalog.Schema{}
}

// nextGeneric is the next id of a collection: numeric, growing.
func (st *store) nextGeneric(collection string) string {
	key := genericName(collection)
	st.Counters[key]++
	return strconv.FormatInt(100000+st.Counters[key], 10)
}

// seedGeneric gives a collection that nothing creates (calls, brands…) its
// seeded records on first use (errNeedsWrite under the read lock).
func (c *call) seedGeneric(g genericShape, t *table, items []string) *apiError {
	collection := g.collection
	key := "api-seeded:" + collection
	if items == nil || c.st.Counters[key] > 0 || c.createsIn(g.template) {
		return nil
	}
	if err := c.writes(); err != nil {
		return err
	}
	c.st.Counters[key] = 1
	base := time.Unix(c.now, 0).Add(-72 * time.Hour).Unix()
	last := splitPath(collection)
	kind := strings.TrimSuffix(last[len(last)-1], "s")
	for i := 1; i <= genericSeeded; i++ {
		id := c.st.nextGeneric(collection)
		t.put(record{"id": id, "name": fmt.Sprintf("Sandbox %s %d", kind, i),
			"created_at": base + int64(i)*3600, "updated_at": base + int64(i)*3600,
			"_seed": c.st.Prefix})
	}
	return nil
}

// valueHolds reports whether a value of v, or of its members at any depth,
// holds the lower-case text q: values only, never the names of fields, and
// not the sandbox's own members ("_seed"), which no answer shows.
func valueHolds(v any, q string) bool {
	switch x := v.(type) {
	case record:
		for k, e := range x {
			if !strings.HasPrefix(k, "_") && valueHolds(e, q) {
				return true
			}
		}
		return false
	case []any:
		return slices.ContainsFunc(x, func(e any) bool { return valueHolds(e, q) })
	case []record:
		return slices.ContainsFunc(x, func(e record) bool { return valueHolds(e, q) })
	case nil:
		return false
	case string:
		return strings.Contains(strings.ToLower(x), q)
	}
	return strings.Contains(strings.ToLower(fmt.Sprint(v)), q)
}

// createsIn reports whether the version has a POST on a collection template.
func (c *call) createsIn(template string) bool { return c.av.creates[catalog.PathShape(template)] }

// genericList answers a list (or search) of a collection's records, t.
func (c *call) genericList(collection string, t *table, resp *catalog.Schema, items []string, search bool) (any, *apiError) {
	if items == nil { // a search answering no list (calls with transcripts)
		return c.answer(resp, record{"total_count": t.len()}), nil
	}
	recs := t.all()
	if search {
		q := strings.ToLower(firstNonEmpty(c.query.Get("phrase"), c.query.Get("query"), asString(c.body["query"])))
		if q != "" {
			recs = t.filter(func(r record) bool { return valueHolds(r, q) })
		}
	}
	total := len(recs)
	var pages, more record
	switch {
	case c.op.Pagination == catalog.PageNextCursor:
		// The id cursor of cursorPage, named cursor and answered as
		// next_cursor and has_more beside the items.
		var err *apiError
		if recs, pages, err = cursorPage(recs, c.query.Get("cursor"), 1, queryPerPage(c.query, 50), false); err != nil {
			return nil, errInvalid(msgInvalid, "cursor")
		}
		more = record{"has_more": false}
		if next, ok := pages["next"].(record); ok {
			more = record{"has_more": true, "next_cursor": next["starting_after"]}
		}
		pages = nil
	case hasQuery(c.op, "starting_after"):
		page, per := queryPage(c.query), queryPerPage(c.query, 50)
		var err *apiError
		if recs, pages, err = cursorPage(recs, c.query.Get("starting_after"), page, per, false); err != nil {
			return nil, err
		}
	case hasQuery(c.op, "page") || hasQuery(c.op, "per_page"):
		all := recs
		recs, pages, total = c.numberPage(genericName(collection), func() []record { return all }, 50)
	}
	body := record{"total_count": total}
	if pages != nil {
		body["pages"] = pages
	}
	for k, v := range more {
		body[k] = v
	}
	// The envelope is shaped with no items, then given the items, each
	// shaped once as an item.
	holder := body
	if len(items) == 2 {
		holder = record{}
		body[items[0]] = holder
	}
	holder[items[len(items)-1]] = []any{}
	shaped, ok := c.shape(resp, body).(record)
	if !ok {
		return nil, newError(http.StatusInternalServerError, codeServerError, "the list schema of "+c.op.ID+" is no object")
	}
	holder = shaped
	if len(items) == 2 {
		if holder, ok = shaped[items[0]].(record); !ok {
			return nil, newError(http.StatusInternalServerError, codeServerError, "the list schema of "+c.op.ID+" holds its items in no object")
		}
	}
	isch := itemSchema(c.api, resp, items)
	out := make([]any, len(recs))
	for i, r := range recs {
		out[i] = c.shape(isch, r)
	}
	holder[items[len(items)-1]] = out
	return shaped, nil
}

func hasQuery(op *catalog.Operation, name string) bool {
	for _, p := range op.Query {
		if p.Name == name {
			return true
		}
	}
	return false
}

// shape renders a record as schema s of the request's version: every
// property, the record's value where it is valid, else a generated one.
func (c *call) shape(s *catalog.Schema, v any) any {
	return shaper{cat: c.api, now: c.now, fill: true}.value(s, v, "", 0)
}

// conform fixes an answer of a 2.10 handler to the shape a later version's
// response schema gives it: members that do not validate (a string where
// the version has an object, a changed enum) and missing required members
// are generated as shape does; valid parts are kept as they are.
func conform(cat *catalog.Catalog, s *catalog.Schema, v any, now int64) any {
	return shaper{cat: cat, now: now}.value(s, v, "", 0)
}

// shaper renders values as a version's schemas describe them. With fill,
// an object gets every property; without, only the required ones it lacks.
type shaper struct {
	cat  *catalog.Catalog
	now  int64
	fill bool
}

func (sh shaper) value(s *catalog.Schema, v any, name string, depth int) any {
	cat, now := sh.cat, sh.now
	s = cat.Lookup(s)
	if s == nil {
		return v
	}
	if x, ok := v.(string); ok && !validTime(s.Format, x) {
		v = nil
	}
	if v != nil && len(catalog.ValidateWith(s, v, catalog.ValidateOptions{Strict: true})) == 0 {
		if _, isObj := v.(record); !isObj || !sh.fill || depth > 0 && len(s.Properties) == 0 {
			return v
		}
	}
	if len(s.Enum) > 0 {
		for _, e := range s.Enum {
			if e != "" { // "" stands for null
				return e
			}
		}
		return nil
	}
	if len(s.AllOf) > 0 {
		out := record{}
		for _, part := range s.AllOf {
			if m, ok := sh.value(part, v, name, depth+1).(record); ok {
				for k, x := range m { // a part's members win over another's copy of the value's
					if _, had := out[k]; !had || declares(cat.Lookup(part), k) {
						out[k] = x
					}
				}
			}
		}
		if own, ok := sh.object(s, v, depth).(record); ok {
			for k, x := range own { // the parts' members win over the value's own
				if _, had := out[k]; !had || declares(s, k) && x != nil {
					out[k] = x
				}
			}
		}
		// A member one part requires and another declares.
		for _, part := range append([]*catalog.Schema{s}, s.AllOf...) {
			for _, name := range cat.Lookup(part).Required {
				if out[name] != nil {
					continue
				}
				for _, decl := range append([]*catalog.Schema{s}, s.AllOf...) {
					if ps := propertyOf(cat, cat.Lookup(decl), name); declares(cat.Lookup(decl), name) && !cat.Lookup(ps).Nullable {
						out[name] = sh.value(ps, nil, name, depth+1)
						break
					}
				}
			}
		}
		return out
	}
	for _, alts := range [][]*catalog.Schema{s.OneOf, s.AnyOf} {
		if len(alts) > 0 {
			return sh.value(alts[0], v, name, depth+1)
		}
	}
	switch kindOf(s) {
	case "object":
		return sh.object(s, v, depth)
	case "array":
		if list, ok := v.([]any); ok && s.Items != nil {
			out := make([]any, len(list))
			for i, x := range list {
				out[i] = sh.value(s.Items, x, name, depth+1)
			}
			return out
		}
		return []any{}
	case "integer":
		if n, ok := asInt(v); ok {
			return n
		}
		if strings.HasSuffix(name, "_at") || strings.HasSuffix(name, "_time") {
			return now
		}
		return int64(1)
	case "number":
		if n, ok := asInt(v); ok {
			return n
		}
		return 1.0
	case "boolean":
		if b, ok := v.(bool); ok {
			return b
		}
		return false
	case "string":
		if n, ok := v.(int64); ok && (s.Format == "date-time" || s.Format == "date") {
			return placeholder(s, name, n)
		}
		if x, ok := v.(string); ok && s.Format == "" {
			return x
		}
		if n, ok := v.(int64); ok && s.Format == "" {
			return strconv.FormatInt(n, 10)
		}
		return placeholder(s, name, now)
	}
	if v != nil {
		return v
	}
	return placeholder(s, name, now)
}

// validTime reports whether a string holds the date or time its format says.
func validTime(format, x string) bool {
	switch format {
	case "date-time":
		_, err := time.Parse(time.RFC3339, x)
		return err == nil
	case "date":
		_, err := time.Parse("2006-01-02", x)
		return err == nil
	}
	return true
}

func declares(s *catalog.Schema, name string) bool {
	for _, p := range s.Properties {
		if p.Name == name {
			return true
		}
	}
	return false
}

func kindOf(s *catalog.Schema) string {
	if s.Type == "" && len(s.Properties) > 0 {
		return "object"
	}
	return s.Type
}

// object renders an object schema: with fill every property, nested
// objects to a few levels (only their required members below that); without,
// the value's members fixed where invalid and the required ones it lacks.
// The value's own members the schema does not name are kept.
func (sh shaper) object(s *catalog.Schema, v any, depth int) any {
	src, _ := v.(record)
	out := record{}
	for _, p := range s.Properties {
		x, ok := src[p.Name]
		required := contains(s.Required, p.Name)
		if !ok && !required && (!sh.fill || depth > 3) {
			continue
		}
		ps := sh.cat.Lookup(p.Schema)
		if !ok && ps.Nullable && depth > 1 && !required {
			out[p.Name] = nil
			continue
		}
		out[p.Name] = sh.value(p.Schema, x, p.Name, depth+1)
	}
	for _, name := range s.Required { // required but not declared: any value
		if _, done := out[name]; !done {
			out[name] = src[name]
		}
	}
	if !s.Closed {
		keys := make([]string, 0, len(src))
		for k := range src {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, named := out[k]; !named && !strings.HasPrefix(k, "_") && !(sh.fill && k == "deleted") {
				out[k] = src[k]
			}
		}
	}
	return out
}

// placeholder is a generated string for a property without a value.
func placeholder(s *catalog.Schema, name string, now int64) string {
	t := time.Unix(now, 0).UTC()
	switch s.Format {
	case "date-time":
		return t.Format(time.RFC3339)
	case "date":
		return t.Format("2006-01-02")
	case "uri", "url":
		return "https://sandbox.invalid/" + name
	case "email":
		return "sandbox@example.com"
	case "uuid":
		return "5a4d0000-0000-4000-8000-000000000001"
	}
	switch {
	case name == "id" || strings.HasSuffix(name, "_id"):
		return "1"
	case strings.HasSuffix(name, "url"):
		return "https://sandbox.invalid/" + name
	case strings.HasSuffix(name, "email"):
		return "sandbox@example.com"
	}
	return "Sandbox " + strings.ReplaceAll(name, "_", " ")
}

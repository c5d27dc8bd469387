package sandbox

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/icscript/icscript/sandbox/search"
)

// Segments: each holds a rule (a search query over contacts, "_rule") that
// decides its members.

func renderSegment(sg record) record {
	out := copyRecord(sg)
	delete(out, "count")
	return out
}

// segmentRule is a segment's compiled rule.
type segmentRule struct {
	id any
	m  search.Matcher
}

func (st *store) segmentRules() []segmentRule {
	var out []segmentRule
	for _, sg := range st.t(tSegments).all() {
		if m := segmentMatcher(sg); m != nil {
			out = append(out, segmentRule{sg["id"], m})
		}
	}
	return out
}

// segmentIDsOf lists the segments a contact belongs to.
func segmentIDsOf(ct record, rules []segmentRule) []any {
	out := []any{}
	for _, r := range rules {
		if r.m.Match(ct) {
			out = append(out, r.id)
		}
	}
	return out
}

func segmentMatcher(sg record) search.Matcher {
	rule, ok := sg["_rule"]
	if !ok {
		return nil
	}
	m, err := search.Compile(rule, nil)
	if err != nil {
		return nil
	}
	return m
}

func (st *store) segmentCount(sg record) int {
	m := segmentMatcher(sg)
	if m == nil {
		return 0
	}
	n := 0
	for _, ct := range st.t(tContacts).rows {
		if !boolean(ct, "_archived") && m.Match(ct) {
			n++
		}
	}
	return n
}

func hListSegments(c *call) (any, *apiError) {
	withCount := c.query.Get("include_count") == "true"
	items := []any{}
	for _, sg := range c.st.t(tSegments).all() {
		out := renderSegment(sg)
		if withCount {
			out["count"] = c.st.segmentCount(sg)
		}
		items = append(items, out)
	}
	return record{"type": "segment.list", "segments": items, "pages": record{}}, nil
}

func hRetrieveSegment(c *call) (any, *apiError) {
	sg := c.st.t(tSegments).get(c.param("id"))
	if sg == nil {
		return nil, errResource
	}
	out := renderSegment(sg)
	out["count"] = c.st.segmentCount(sg)
	return out, nil
}

func hListSegmentsForAContact(c *call) (any, *apiError) {
	ct, err := c.pathContact("contact_id")
	if err != nil {
		return nil, err
	}
	items := []any{}
	for _, id := range segmentIDsOf(ct, c.st.segmentRules()) {
		items = append(items, renderSegment(c.st.t(tSegments).get(asString(id))))
	}
	return record{"type": "list", "data": items}, nil
}

// Subscription types.

func hListSubscriptionTypes(c *call) (any, *apiError) {
	return record{"type": "list", "data": render(c.st.t(tSubscriptions).all(), deepCopyRecord)}, nil
}

func deepCopyRecord(r record) record { return deepCopy(copyRecord(r)).(record) }

func hListSubscriptionsForAContact(c *call) (any, *apiError) {
	ct, err := c.pathContact("contact_id")
	if err != nil {
		return nil, err
	}
	items := []any{}
	for _, field := range []string{"opted_in_subscription_types", "opted_out_subscription_types"} {
		for _, id := range idsOf(list(obj(ct, field), "data")) {
			if s := c.st.t(tSubscriptions).get(id); s != nil {
				items = append(items, deepCopyRecord(s))
			}
		}
	}
	return record{"type": "list", "data": items}, nil
}

func hAttachSubscriptionTypeToContact(c *call) (any, *apiError) {
	ct, err := c.pathContact("contact_id")
	if err != nil {
		return nil, err
	}
	s := c.st.t(tSubscriptions).get(str(c.body, "id"))
	if s == nil {
		return nil, errResource
	}
	consent := str(c.body, "consent_type")
	if consent != "opt_in" && consent != "opt_out" {
		return nil, enumError("consent_type", []string{"opt_in", "opt_out"})
	}
	id := str(s, "id")
	detachRef(ct, "opted_in_subscription_types", id)
	detachRef(ct, "opted_out_subscription_types", id)
	field := "opted_in_subscription_types"
	if consent == "opt_out" {
		field = "opted_out_subscription_types"
	}
	attachRef(ct, field, "subscription", id, "/subscriptions/"+id)
	ct["updated_at"] = c.now
	return deepCopyRecord(s), nil
}

func hDetachSubscriptionTypeToContact(c *call) (any, *apiError) {
	ct, err := c.pathContact("contact_id")
	if err != nil {
		return nil, err
	}
	s := c.st.t(tSubscriptions).get(c.param("id"))
	if s == nil {
		return nil, errResource
	}
	id := str(s, "id")
	in, out := detachRef(ct, "opted_in_subscription_types", id), detachRef(ct, "opted_out_subscription_types", id)
	if !in && !out {
		return nil, errResource
	}
	ct["updated_at"] = c.now
	return deepCopyRecord(s), nil
}

// Notes.

func (st *store) renderNote(n record) record {
	out := copyRecord(n)
	out["contact"] = copyRecord(obj(n, "contact"))
	if a := st.admin(str(n, "_author")); a != nil {
		out["author"] = renderAdmin(a)
	}
	return out
}

func hListNotes(c *call) (any, *apiError) {
	ct, err := c.pathContact("id")
	if err != nil {
		return nil, err
	}
	page, pages, total := c.numberPage(tNotes, func() []record {
		var notes []record
		t := c.st.t(tNotes)
		for i := len(t.ids) - 1; i >= 0; i-- { // newest first
			if n := t.recs[i]; str(obj(n, "contact"), "id") == str(ct, "id") {
				notes = append(notes, n)
			}
		}
		return notes
	}, helpPerPage)
	return listOf("list", "data", render(page, c.st.renderNote), total, pages), nil
}

func hCreateNote(c *call) (any, *apiError) {
	ct, err := c.pathContact("id")
	if err != nil {
		return nil, err
	}
	adminID := firstNonEmpty(str(c.body, "admin_id"), c.st.Admin)
	if c.st.admin(adminID) == nil {
		return nil, errAdmin
	}
	n := c.st.newNote(ct, adminID, str(c.body, "body"), c.now)
	return c.st.renderNote(n), nil
}

func (st *store) newNote(ct record, adminID, body string, now int64) record {
	n := record{
		"type": "note", "id": st.nextNum(tNotes), "created_at": now,
		"contact": record{"type": "contact", "id": ct["id"]}, "_author": adminID, "body": html(body),
	}
	st.t(tNotes).put(n)
	id := str(n, "id")
	attachRef(ct, "notes", "note", id, "/notes/"+id)
	return n
}

func hRetrieveNote(c *call) (any, *apiError) {
	n := c.st.t(tNotes).get(c.param("id"))
	if n == nil {
		return nil, errResource
	}
	return c.st.renderNote(n), nil
}

// Messages.

func hCreateMessage(c *call) (any, *apiError) {
	b := c.body
	a := c.st.admin(str(obj(b, "from"), "id"))
	if a == nil {
		return nil, errAdmin
	}
	ct := c.st.contact(str(obj(b, "to"), "id"))
	if ct == nil {
		return nil, errContactNotFound
	}
	kind := str(b, "message_type")
	if kind == "email" && str(b, "subject") == "" {
		return nil, &apiError{Status: http.StatusBadRequest, Code: codeParamNotFound, Message: msgSubjectRequired, Field: "subject"}
	}
	if str(b, "body") == "" {
		return nil, &apiError{Status: http.StatusBadRequest, Code: codeParamInvalid, Message: msgBodyRequired, Field: "body"}
	}
	m := c.st.sendMessage(a, ct, kind, str(b, "subject"), str(b, "body"), boolean(b, "create_conversation_without_contact_reply"), c.now)
	return copyRecord(m), nil
}

// sendMessage records an admin's outbound message; with conversation, it
// starts the (closed until the contact replies) conversation at once.
func (st *store) sendMessage(a, ct record, kind, subject, body string, conversation bool, now int64) record {
	if kind == "in_app" {
		kind = "inapp"
	}
	m := record{
		"type": "admin_message", "id": st.nextNum(tMessages), "created_at": now, "subject": subject,
		"body": html(body), "message_type": kind, "_to": ct["id"],
	}
	if conversation {
		cv := st.newConversation(ct, st.adminAuthor(a), body, subject, "admin_initiated", now)
		cv["state"], cv["open"], cv["waiting_since"] = "closed", false, nil
		if kind == "email" {
			obj(cv, "source")["type"] = "email"
		}
		st.t(tConversations).put(cv)
		m["conversation_id"] = cv["id"]
	}
	ct["last_contacted_at"] = now
	st.t(tMessages).put(m)
	return m
}

// Visitors.

func (st *store) visitorBy(id, userID, email string) record {
	switch {
	case id != "":
		return st.t(tVisitors).get(id)
	case userID != "":
		return st.t(tVisitors).find(func(r record) bool { return str(r, "user_id") == userID })
	case email != "":
		return st.t(tVisitors).find(func(r record) bool { return strings.EqualFold(str(r, "email"), email) })
	}
	return nil
}

var errVisitor = errNotFound(codeNotFound, msgVisitorNotFound)

func hRetrieveVisitorWithUserID(c *call) (any, *apiError) {
	userID := c.query.Get("user_id")
	if userID == "" {
		return nil, errMissing("user_id")
	}
	v := c.st.visitorBy("", userID, "")
	if v == nil {
		return nil, errVisitor
	}
	return deepCopyRecord(v), nil
}

func hUpdateVisitor(c *call) (any, *apiError) {
	v := c.st.visitorBy(str(c.body, "id"), str(c.body, "user_id"), "")
	if v == nil {
		return nil, errVisitor
	}
	if name, ok := c.body["name"].(string); ok {
		v["name"] = name
	}
	if ca, ok := c.body["custom_attributes"].(map[string]any); ok {
		attrs := obj(v, "custom_attributes")
		for k, val := range ca {
			attrs[k] = val
		}
	}
	v["updated_at"] = c.now
	return deepCopyRecord(v), nil
}

// hConvertVisitor turns a visitor into a lead, or merges it into a user
// (created when the user does not exist yet); the visitor is gone after.
func hConvertVisitor(c *call) (any, *apiError) {
	typ := str(c.body, "type")
	if typ != "user" && typ != "lead" {
		return nil, enumError("type", []string{"user", "lead"})
	}
	vb, ub := obj(c.body, "visitor"), obj(c.body, "user")
	v := c.st.visitorBy(str(vb, "id"), str(vb, "user_id"), str(vb, "email"))
	if v == nil {
		return nil, errVisitor
	}
	ct := c.st.findContact(str(ub, "id"), str(ub, "user_id"), str(ub, "email"))
	if ct == nil && str(ub, "id") != "" {
		return nil, errContactNotFound
	}
	if ct == nil {
		ct = c.st.newContact(typ, c.now)
		given := record{"external_id": ub["user_id"], "email": ub["email"], "name": v["name"]}
		fields := record{}
		for k, val := range given {
			if val != nil && (k != "external_id" || typ == "user") {
				fields[k] = val
			}
		}
		c.st.applyContactBody(ct, fields, c.now)
		c.st.t(tContacts).put(ct)
	}
	for k, val := range obj(v, "custom_attributes") {
		if _, ok := obj(ct, "custom_attributes")[k]; !ok {
			obj(ct, "custom_attributes")[k] = val
		}
	}
	if ct["name"] == nil && v["name"] != nil {
		ct["name"] = v["name"]
	}
	ct["updated_at"] = c.now
	c.st.t(tVisitors).remove(str(v, "id"))
	return renderContact(ct), nil
}

// Phone call redirects.

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

func hCreatePhoneSwitch(c *call) (any, *apiError) {
	phone := str(c.body, "phone")
	if !e164.MatchString(phone) {
		return nil, &apiError{Status: http.StatusBadRequest, Code: codeParamInvalid, Message: msgPhoneInvalid, Field: "phone"}
	}
	c.st.t(tPhoneRedirects).put(record{"id": c.st.nextHex(tPhoneRedirects), "phone": phone, "created_at": c.now, "custom_attributes": c.body["custom_attributes"]})
	return record{"type": "phone_call_redirect", "phone": phone}, nil
}

package sandbox

import (
	"net/http"
	"strings"

	"github.com/icscript/icscript/internal/lazyregexp"
)

// The conversations namespace (intercom.conversations).
func init() {
	register("conversations", map[string]handler{
		"listConversations":             hListConversations,
		"createConversation":            hCreateConversation,
		"retrieveConversation":          hRetrieveConversation,
		"updateConversation":            hUpdateConversation,
		"searchConversations":           hSearchConversations,
		"replyConversation":             hReplyConversation,
		"manageConversation":            hManageConversation,
		"autoAssignConversation":        hAutoAssignConversation,
		"attachContactToConversation":   hAttachContactToConversation,
		"detachContactFromConversation": hDetachContactFromConversation,
		"redactConversation":            hRedactConversation,
		"convertConversationToTicket":   hConvertConversationToTicket,
		"deleteConversation":            hDeleteConversation, // API 2.13 and later
	})
}

// maxParts is the most conversation parts retrieveConversation returns.
const maxParts = 500

func (st *store) conversation(id string) record { return st.t(tConversations).get(id) }

// renderConversation renders a stored conversation; withParts adds its parts
// (retrieve and the mutations), lists leave them out (conversation_list_item).
func (st *store) renderConversation(cv record, withParts, plain bool) record {
	out := copyRecord(cv)
	refs := []any{}
	for _, id := range idsOf(list(obj(cv, "contacts"), "contacts")) {
		refs = append(refs, st.contactRef(id))
	}
	out["contacts"] = record{"type": "contact.list", "contacts": refs}
	out["tags"] = st.renderTagList(obj(cv, "tags"))
	for _, k := range []string{"source", "teammates", "statistics", "linked_objects", "custom_attributes", "first_contact_reply"} {
		if v, ok := cv[k]; ok {
			out[k] = deepCopy(v)
		}
	}
	delete(out, "conversation_parts")
	if withParts {
		parts := list(obj(cv, "conversation_parts"), "conversation_parts")
		if len(parts) > maxParts {
			parts = parts[len(parts)-maxParts:]
		}
		cp := deepCopy(parts).([]any)
		if plain {
			for _, p := range cp {
				plainBody(p.(map[string]any))
			}
			plainBody(obj(out, "source"))
		}
		out["conversation_parts"] = record{"type": "conversation_part.list", "conversation_parts": cp, "total_count": len(list(obj(cv, "conversation_parts"), "conversation_parts"))}
	}
	return out
}

var tagRE = lazyregexp.New(`<[^>]*>`)

func plainBody(p record) {
	if b, ok := p["body"].(string); ok {
		p["body"] = tagRE.ReplaceAllString(b, "")
	}
}

// html wraps plain text in a paragraph, as Intercom stores message bodies.
func html(body string) string {
	if body == "" || strings.HasPrefix(strings.TrimSpace(body), "<") {
		return body
	}
	return "<p>" + body + "</p>"
}

func (c *call) conversationReply(cv record) record {
	return c.st.renderConversation(cv, true, c.query.Get("display_as") == "plaintext")
}

func hListConversations(c *call) (any, *apiError) {
	t := c.st.t(tConversations)
	items := make([]record, 0, t.len())
	for i := len(t.ids) - 1; i >= 0; i-- { // newest first
		items = append(items, t.recs[i])
	}
	page, pages, err := cursorPage(items, c.query.Get("starting_after"), queryPage(c.query), queryPerPage(c.query, 20), true)
	if err != nil {
		return nil, err
	}
	return listOf("conversation.list", "conversations", render(page, c.listItem), len(items), pages), nil
}

func (c *call) listItem(cv record) record { return c.st.renderConversation(cv, false, false) }

func hSearchConversations(c *call) (any, *apiError) {
	page, pages, total, err := c.search(c.st.t(tConversations), 20, nil, nil)
	if err != nil {
		return nil, err
	}
	return listOf("conversation.list", "conversations", render(page, c.listItem), total, pages), nil
}

func hRetrieveConversation(c *call) (any, *apiError) {
	cv, err := c.lookup(tConversations, c.param("id"))
	if err != nil {
		return nil, err
	}
	return c.conversationReply(cv), nil
}

func hUpdateConversation(c *call) (any, *apiError) {
	cv, err := c.lookup(tConversations, c.param("id"))
	if err != nil {
		return nil, err
	}
	if v, ok := c.body["read"].(bool); ok {
		cv["read"] = v
	}
	if ca, ok := c.body["custom_attributes"].(map[string]any); ok {
		attrs := obj(cv, "custom_attributes")
		if attrs == nil {
			attrs = record{}
			cv["custom_attributes"] = attrs
		}
		for k, v := range ca {
			attrs[k] = v
		}
		cv["updated_at"] = c.now
	}
	return c.conversationReply(cv), nil
}

// author builds a conversation_part_author.
func (st *store) adminAuthor(a record) record {
	return record{"type": "admin", "id": a["id"], "name": a["name"], "email": a["email"]}
}

func contactAuthor(ct record) record {
	typ := "user"
	if str(ct, "role") == "lead" {
		typ = "lead"
	}
	return record{"type": typ, "id": ct["id"], "name": ct["name"], "email": str(ct, "email")}
}

func botAuthor(st *store) record {
	return record{"type": "bot", "id": st.Admin, "name": "Operator", "email": "operator+" + str(st.App, "id_code") + "@intercom.io"}
}

// newConversation builds an open conversation started by source's author.
func (st *store) newConversation(ct record, author record, body, subject, deliveredAs string, now int64) record {
	return record{
		"type": "conversation", "id": st.nextNum(tConversations), "title": nil,
		"created_at": now, "updated_at": now, "waiting_since": now, "snoozed_until": nil,
		"open": true, "state": "open", "read": false, "priority": "not_priority",
		"admin_assignee_id": nil, "team_assignee_id": nil,
		"tags": record{"type": "tag.list", "tags": []any{}},
		"source": record{
			"type": "conversation", "id": st.nextNum("sources"), "delivered_as": deliveredAs,
			"subject": subject, "body": html(body), "author": author, "attachments": []any{},
			"url": nil, "redacted": false,
		},
		"contacts":           record{"type": "contact.list", "contacts": []any{record{"type": "contact", "id": ct["id"]}}},
		"teammates":          record{"type": "admin.list", "teammates": []any{}},
		"statistics":         record{"type": "conversation_statistics", "count_reopens": int64(0), "count_assignments": int64(0), "count_conversation_parts": int64(1)},
		"linked_objects":     record{"type": "list", "data": []any{}, "total_count": 0, "has_more": false},
		"custom_attributes":  record{},
		"conversation_parts": record{"type": "conversation_part.list", "conversation_parts": []any{}, "total_count": 0},
	}
}

func hCreateConversation(c *call) (any, *apiError) {
	from := obj(c.body, "from")
	ct, err := c.lookup(tContacts, str(from, "id"))
	if err != nil {
		return nil, err
	}
	cv := c.st.newConversation(ct, contactAuthor(ct), str(c.body, "body"), str(c.body, "subject"), "customer_initiated", c.now)
	obj(cv, "source")["attachments"] = attachments(list(c.body, "attachment_urls"))
	stats := obj(cv, "statistics")
	stats["first_contact_reply_at"], stats["last_contact_reply_at"] = c.now, c.now
	cv["first_contact_reply"] = record{"created_at": c.now, "type": "conversation", "url": nil}
	c.st.t(tConversations).put(cv)
	ct["last_replied_at"], ct["updated_at"] = c.now, c.now
	c.touch("conversation", c.conversationReply(cv))
	src := obj(cv, "source")
	return record{
		"type": "user_message", "id": src["id"], "created_at": c.now, "body": src["body"],
		"message_type": "inapp", "conversation_id": cv["id"],
	}, nil
}

// attachments turns attachment URLs into part attachments.
func attachments(urls []any) []any {
	out := []any{}
	for _, u := range urls {
		s := asString(u)
		name := s[strings.LastIndex(s, "/")+1:]
		out = append(out, record{"type": "upload", "name": name, "url": s, "content_type": contentTypeOf(name), "filesize": int64(1024), "width": int64(0), "height": int64(0)})
	}
	return out
}

func contentTypeOf(name string) string {
	switch {
	case strings.HasSuffix(name, ".png"):
		return "image/png"
	case strings.HasSuffix(name, ".jpg"), strings.HasSuffix(name, ".jpeg"):
		return "image/jpeg"
	case strings.HasSuffix(name, ".pdf"):
		return "application/pdf"
	}
	return "application/octet-stream"
}

// addPart appends a conversation part and bumps updated_at and the part count.
func (st *store) addPart(cv record, partType string, body any, author record, now int64) record {
	p := record{
		"type": "conversation_part", "id": st.nextNum("parts"), "part_type": partType, "body": body,
		"created_at": now, "updated_at": now, "notified_at": now, "author": author,
		"attachments": []any{}, "external_id": nil, "redacted": false,
	}
	if s, ok := body.(string); ok {
		p["body"] = html(s)
	}
	cp := obj(cv, "conversation_parts")
	cp["conversation_parts"] = append(list(cp, "conversation_parts"), p)
	cp["total_count"] = len(list(cp, "conversation_parts"))
	stats := obj(cv, "statistics")
	stats["count_conversation_parts"] = num(stats, "count_conversation_parts") + 1
	cv["updated_at"] = now
	return p
}

func optionalBody(b record) any {
	if s, ok := b["body"].(string); ok && s != "" {
		return s
	}
	return nil
}

func (st *store) addTeammate(cv record, adminID string) {
	tm := obj(cv, "teammates")
	if !hasID(list(tm, "teammates"), adminID) {
		tm["teammates"] = append(list(tm, "teammates"), record{"type": "admin", "id": adminID})
	}
}

// reopen moves a closed or snoozed conversation back to open.
func reopen(cv record) {
	if str(cv, "state") == "closed" {
		stats := obj(cv, "statistics")
		stats["count_reopens"] = num(stats, "count_reopens") + 1
	}
	cv["state"], cv["open"], cv["snoozed_until"] = "open", true, nil
}

// resolveReplyTarget finds the conversation of a reply; "last" is the replying
// contact's latest conversation (or the workspace's latest for admins).
func (st *store) resolveReplyTarget(id string, ct record) record {
	if id != "last" {
		return st.conversation(id)
	}
	t := st.t(tConversations)
	for i := len(t.ids) - 1; i >= 0; i-- {
		cv := t.recs[i]
		if ct == nil || hasID(list(obj(cv, "contacts"), "contacts"), str(ct, "id")) {
			return cv
		}
	}
	return nil
}

func hReplyConversation(c *call) (any, *apiError) {
	if str(c.body, "type") == "admin" {
		return c.adminReply()
	}
	ct := c.st.findContact(str(c.body, "intercom_user_id"), str(c.body, "user_id"), str(c.body, "email"))
	if ct == nil {
		return nil, errContactNotFound
	}
	cv := c.st.resolveReplyTarget(c.param("id"), ct)
	if cv == nil {
		return nil, errConversation
	}
	p := c.st.addPart(cv, "comment", str(c.body, "body"), contactAuthor(ct), c.now)
	p["attachments"] = attachments(list(c.body, "attachment_urls"))
	reopen(cv)
	if cv["waiting_since"] == nil {
		cv["waiting_since"] = c.now
	}
	cv["read"] = false
	stats := obj(cv, "statistics")
	if _, ok := stats["first_contact_reply_at"]; !ok {
		stats["first_contact_reply_at"] = c.now
		cv["first_contact_reply"] = record{"created_at": c.now, "type": "conversation", "url": nil}
	}
	stats["last_contact_reply_at"] = c.now
	if !hasID(list(obj(cv, "contacts"), "contacts"), str(ct, "id")) {
		refs := obj(cv, "contacts")
		refs["contacts"] = append(list(refs, "contacts"), record{"type": "contact", "id": ct["id"]})
	}
	ct["last_replied_at"] = c.now
	return c.conversationReply(cv), nil
}

func (c *call) adminReply() (any, *apiError) {
	a, err := c.lookup(tAdmins, str(c.body, "admin_id"))
	if err != nil {
		return nil, err
	}
	cv := c.st.resolveReplyTarget(c.param("id"), nil)
	if cv == nil {
		return nil, errConversation
	}
	kind := str(c.body, "message_type")
	if kind == "comment" && str(c.body, "body") == "" && len(list(c.body, "attachment_urls")) == 0 && len(list(c.body, "attachment_files")) == 0 {
		return nil, errInvalid(msgBodyRequired)
	}
	p := c.st.addPart(cv, kind, str(c.body, "body"), c.st.adminAuthor(a), c.now)
	p["attachments"] = attachments(list(c.body, "attachment_urls"))
	c.st.addTeammate(cv, str(a, "id"))
	if kind == "comment" {
		cv["waiting_since"] = nil
		noteAdminReply(cv, c.now)
		for _, id := range idsOf(list(obj(cv, "contacts"), "contacts")) {
			if ct := c.st.contact(id); ct != nil {
				ct["last_contacted_at"] = c.now
			}
		}
	}
	return c.conversationReply(cv), nil
}

// noteAdminReply moves a conversation's statistics for an admin's reply at t.
func noteAdminReply(cv record, t int64) {
	stats := obj(cv, "statistics")
	if _, ok := stats["first_admin_reply_at"]; !ok {
		stats["first_admin_reply_at"] = t
		stats["time_to_admin_reply"] = t - num(cv, "created_at")
	}
	stats["last_admin_reply_at"] = t
}

func hManageConversation(c *call) (any, *apiError) {
	cv, err := c.lookup(tConversations, c.param("id"))
	if err != nil {
		return nil, err
	}
	a, err := c.lookup(tAdmins, str(c.body, "admin_id"))
	if err != nil {
		return nil, err
	}
	switch str(c.body, "message_type") {
	case "close":
		c.closeConversation(cv, a)
	case "snoozed":
		until := num(c.body, "snoozed_until")
		if until <= c.now {
			return nil, errInvalid(msgInvalid, "snoozed_until")
		}
		c.st.addPart(cv, "snoozed", nil, c.st.adminAuthor(a), c.now)
		cv["state"], cv["open"], cv["snoozed_until"] = "snoozed", true, until
	case "open":
		c.st.addPart(cv, "open", nil, c.st.adminAuthor(a), c.now)
		reopen(cv)
	case "assignment":
		if err := c.assign(cv, a, str(c.body, "type"), str(c.body, "assignee_id"), c.st.adminAuthor(a)); err != nil {
			return nil, err
		}
	}
	c.st.addTeammate(cv, str(a, "id"))
	return c.conversationReply(cv), nil
}

func (c *call) closeConversation(cv, a record) {
	c.st.addPart(cv, "close", optionalBody(c.body), c.st.adminAuthor(a), c.now)
	cv["state"], cv["open"], cv["snoozed_until"], cv["waiting_since"] = "closed", false, nil, nil
	stats := obj(cv, "statistics")
	if _, ok := stats["first_close_at"]; !ok {
		stats["first_close_at"] = c.now
		stats["time_to_first_close"] = c.now - num(cv, "created_at")
	}
	stats["last_close_at"] = c.now
	stats["time_to_last_close"] = c.now - num(cv, "created_at")
	stats["last_closed_by_id"] = str(a, "id")
}

// assign gives the conversation to an admin or a team ("0" unassigns); the
// checks come first so a failed assignment changes nothing.
func (c *call) assign(cv, a record, typ, assigneeID string, author record) *apiError {
	var assignee any
	if assigneeID != "0" {
		tname := tAdmins
		if typ == "team" {
			tname = tTeams
		}
		if c.st.t(tname).get(assigneeID) == nil {
			return errAssignee
		}
		assignee, _ = asInt(assigneeID)
	}
	p := c.st.addPart(cv, "assignment", optionalBody(c.body), author, c.now)
	p["assigned_to"] = record{"type": typ, "id": assigneeID}
	if typ == "team" {
		cv["team_assignee_id"] = assignee
	} else {
		cv["admin_assignee_id"] = assignee
	}
	stats := obj(cv, "statistics")
	stats["count_assignments"] = num(stats, "count_assignments") + 1
	if _, ok := stats["first_assignment_at"]; !ok {
		stats["first_assignment_at"] = c.now
		stats["time_to_assignment"] = c.now - num(cv, "created_at")
	}
	stats["last_assignment_at"] = c.now
	return nil
}

// hAutoAssignConversation runs the sandbox's one assignment rule: open
// conversations go to the team with the fewest open conversations.
func hAutoAssignConversation(c *call) (any, *apiError) {
	cv, err := c.lookup(tConversations, c.param("id"))
	if err != nil {
		return nil, err
	}
	if team := c.st.leastBusyTeam(); team != nil && str(cv, "state") != "closed" {
		if err := c.assign(cv, nil, "team", str(team, "id"), botAuthor(c.st)); err != nil {
			return nil, err
		}
	}
	return c.conversationReply(cv), nil
}

func (st *store) leastBusyTeam() record {
	load := map[string]int{}
	for _, cv := range st.t(tConversations).all() {
		if boolean(cv, "open") {
			load[asString(cv["team_assignee_id"])]++
		}
	}
	var best record
	for _, t := range st.t(tTeams).all() {
		if best == nil || load[str(t, "id")] < load[str(best, "id")] {
			best = t
		}
	}
	return best
}

func hAttachContactToConversation(c *call) (any, *apiError) {
	cv, err := c.lookup(tConversations, c.param("id"))
	if err != nil {
		return nil, err
	}
	a, err := c.lookup(tAdmins, str(c.body, "admin_id"))
	if err != nil {
		return nil, err
	}
	cu := obj(c.body, "customer")
	ct := c.st.findContact(str(cu, "intercom_user_id"), str(cu, "user_id"), str(cu, "email"))
	if ct == nil {
		return nil, errContactNotFound
	}
	refs := obj(cv, "contacts")
	if !hasID(list(refs, "contacts"), str(ct, "id")) {
		refs["contacts"] = append(list(refs, "contacts"), record{"type": "contact", "id": ct["id"]})
		c.st.addPart(cv, "participant_added", nil, c.st.adminAuthor(a), c.now)
	}
	return c.conversationReply(cv), nil
}

func hDetachContactFromConversation(c *call) (any, *apiError) {
	cv, err := c.lookup(tConversations, c.param("conversation_id"))
	if err != nil {
		return nil, err
	}
	a, err := c.lookup(tAdmins, str(c.body, "admin_id"))
	if err != nil {
		return nil, err
	}
	refs := obj(cv, "contacts")
	id := c.param("contact_id")
	if !hasID(list(refs, "contacts"), id) {
		return nil, errContactNotFound
	}
	if len(list(refs, "contacts")) == 1 {
		return nil, newError(http.StatusUnprocessableEntity, codeParamInvalid, msgLastCustomer)
	}
	refs["contacts"], _ = withoutID(list(refs, "contacts"), id)
	c.st.addPart(cv, "participant_removed", nil, c.st.adminAuthor(a), c.now)
	return c.conversationReply(cv), nil
}

func hRedactConversation(c *call) (any, *apiError) {
	cv, err := c.lookup(tConversations, str(c.body, "conversation_id"))
	if err != nil {
		return nil, err
	}
	if str(c.body, "type") == "source" {
		src := obj(cv, "source")
		if str(src, "id") != str(c.body, "source_id") {
			return nil, errNotFound(codePartNotFound, msgPartNotFound)
		}
		src["body"], src["redacted"], src["attachments"] = "", true, []any{}
		return c.conversationReply(cv), nil
	}
	for _, it := range list(obj(cv, "conversation_parts"), "conversation_parts") {
		p := it.(map[string]any)
		if str(p, "id") == str(c.body, "conversation_part_id") {
			p["body"], p["redacted"], p["attachments"], p["updated_at"] = nil, true, []any{}, c.now
			return c.conversationReply(cv), nil
		}
	}
	return nil, errNotFound(codePartNotFound, msgPartNotFound)
}

func hConvertConversationToTicket(c *call) (any, *apiError) {
	cv, err := c.lookup(tConversations, c.param("id"))
	if err != nil {
		return nil, err
	}
	tt := c.st.t(tTicketTypes).get(str(c.body, "ticket_type_id"))
	if tt == nil {
		return nil, errInvalid(msgInvalid, "ticket_type_id")
	}
	if str(tt, "category") != "Customer" {
		return nil, errInvalid(msgNotCustomerType)
	}
	attrs := obj(c.body, "attributes")
	if attrs == nil {
		attrs = record{}
	}
	if _, ok := attrs["_default_title_"]; !ok {
		attrs["_default_title_"] = firstNonEmpty(asString(cv["title"]), str(obj(cv, "source"), "subject"), "Conversation "+str(cv, "id"))
	}
	if err := checkTicketAttributes(tt, attrs, false); err != nil {
		return nil, err
	}
	tk := c.st.newTicket(tt, idsOf(list(obj(cv, "contacts"), "contacts")), attrs, c.now)
	link(tk, "conversation", str(cv, "id"), nil)
	link(cv, "ticket", str(tk, "id"), tk["category"])
	cv["updated_at"] = c.now
	c.st.t(tTickets).put(tk)
	return c.st.renderTicket(tk), nil
}

// link adds a linked_object to r's linked_objects.
func link(r record, typ, id string, category any) {
	lo := obj(r, "linked_objects")
	lo["data"] = append(list(lo, "data"), record{"type": typ, "id": id, "category": category})
	lo["total_count"] = len(list(lo, "data"))
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func hDeleteConversation(c *call) (any, *apiError) {
	cv, err := c.lookup(tConversations, c.lastParam())
	if err != nil {
		return nil, err
	}
	c.st.t(tConversations).remove(str(cv, "id"))
	return record{"id": cv["id"], "object": "conversation", "deleted": true}, nil
}

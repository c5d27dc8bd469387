package sandbox

// The tickets namespace (intercom.tickets).
func init() {
	register("tickets", map[string]handler{
		"replyTicket":   hReplyTicket,
		"createTicket":  hCreateTicket,
		"updateTicket":  hUpdateTicket,
		"getTicket":     hGetTicket,
		"searchTickets": hSearchTickets,
		"deleteTicket":  hDeleteTicket, // API 2.13 and later
	})
}

var ticketStateLabels = map[string]string{
	"submitted": "Submitted", "in_progress": "In progress",
	"waiting_on_customer": "Waiting on customer", "resolved": "Resolved",
}

func (st *store) renderTicket(tk record) record {
	out := copyRecord(tk)
	if tt := st.ticketType(str(obj(tk, "ticket_type"), "id")); tt != nil {
		out["ticket_type"] = renderTicketType(tt)
	}
	refs := []any{}
	for _, id := range idsOf(list(obj(tk, "contacts"), "contacts")) {
		refs = append(refs, st.contactRef(id))
	}
	out["contacts"] = record{"type": "contact.list", "contacts": refs}
	out["tags"] = st.renderTagList(obj(tk, "tags"))
	for _, k := range []string{"ticket_attributes", "ticket_parts", "linked_objects"} {
		out[k] = deepCopy(tk[k])
	}
	return out
}

// newTicket builds a submitted ticket of a type for contacts.
func (st *store) newTicket(tt record, contactIDs []string, attrs record, now int64) record {
	refs := []any{}
	for _, id := range contactIDs {
		refs = append(refs, record{"type": "contact", "id": id})
	}
	st.Counters["ticket_number"]++
	return record{
		"type": "ticket", "id": st.nextNum(tTickets), "ticket_id": asString(st.Counters["ticket_number"]),
		"category": tt["category"], "ticket_attributes": attrs, "ticket_state": "submitted",
		"ticket_state_internal_label": ticketStateLabels["submitted"], "ticket_state_external_label": ticketStateLabels["submitted"],
		"ticket_type": record{"id": tt["id"]}, "contacts": record{"type": "contact.list", "contacts": refs},
		"admin_assignee_id": "0", "team_assignee_id": "0", "created_at": now, "updated_at": now, "open": true,
		"linked_objects": record{"type": "list", "data": []any{}, "total_count": 0, "has_more": false},
		"ticket_parts":   record{"type": "ticket_part.list", "ticket_parts": []any{}, "total_count": 0},
		"is_shared":      false, "tags": record{"type": "tag.list", "tags": []any{}},
	}
}

// checkTicketAttributes checks values against a ticket type's attributes:
// known names, types, and (on create) the ones required to create.
func checkTicketAttributes(tt record, attrs record, creating bool) *apiError {
	defs := map[string]record{}
	for _, it := range list(obj(tt, "ticket_type_attributes"), "ticket_type_attributes") {
		a := it.(map[string]any)
		if !boolean(a, "archived") {
			defs[str(a, "name")] = a
		}
	}
	for name, v := range attrs {
		def, ok := defs[name]
		if !ok {
			return errInvalid(msgInvalid, "ticket_attributes."+name)
		}
		if v != nil && !valueFits(str(def, "data_type"), v) {
			return errInvalid(msgInvalid, "ticket_attributes."+name)
		}
	}
	if creating {
		for name, def := range defs {
			if _, ok := attrs[name]; !ok && boolean(def, "required_to_create") {
				return errMissing("ticket_attributes." + name)
			}
		}
	}
	return nil
}

func hCreateTicket(c *call) (any, *apiError) {
	tt := c.st.ticketType(str(c.body, "ticket_type_id"))
	if tt == nil {
		return nil, errInvalid(msgInvalid, "ticket_type_id")
	}
	attrs := obj(c.body, "ticket_attributes")
	if attrs == nil {
		attrs = record{}
	}
	if err := checkTicketAttributes(tt, attrs, true); err != nil {
		return nil, err
	}
	if cid := str(c.body, "company_id"); cid != "" && c.st.company(cid) == nil && c.st.companyByCompanyID(cid) == nil {
		return nil, errCompany
	}
	var ids []string
	var create []string
	for _, it := range list(c.body, "contacts") {
		m, _ := it.(map[string]any)
		ct := c.st.findContact(str(m, "id"), str(m, "external_id"), str(m, "email"))
		switch {
		case ct != nil:
			ids = append(ids, str(ct, "id"))
		case str(m, "email") != "":
			create = append(create, str(m, "email"))
		default:
			return nil, errContactNotFound
		}
	}
	for _, email := range create { // "email creates the contact if missing"
		ct := c.st.newContact("user", c.now)
		c.st.applyContactBody(ct, record{"email": email}, c.now)
		c.st.t(tContacts).put(ct)
		ids = append(ids, str(ct, "id"))
	}
	tk := c.st.newTicket(tt, ids, attrs, c.now)
	if cid := str(c.body, "company_id"); cid != "" {
		tk["company_id"] = cid
	}
	c.st.t(tTickets).put(tk)
	return c.st.renderTicket(tk), nil
}

func hGetTicket(c *call) (any, *apiError) {
	tk, err := c.lookup(tTickets, c.param("id"))
	if err != nil {
		return nil, err
	}
	return c.st.renderTicket(tk), nil
}

// addTicketPart appends a ticket part.
func (st *store) addTicketPart(tk record, partType string, body any, author record, prev string, now int64) record {
	p := record{
		"type": "ticket_part", "id": st.nextNum("parts"), "part_type": partType, "body": body,
		"previous_ticket_state": prev, "ticket_state": tk["ticket_state"],
		"created_at": now, "updated_at": now, "author": author, "attachments": []any{},
		"external_id": nil, "redacted": false,
	}
	if s, ok := body.(string); ok {
		p["body"] = html(s)
	}
	tp := obj(tk, "ticket_parts")
	tp["ticket_parts"] = append(list(tp, "ticket_parts"), p)
	tp["total_count"] = len(list(tp, "ticket_parts"))
	tk["updated_at"] = now
	return p
}

func hUpdateTicket(c *call) (any, *apiError) {
	tk, err := c.lookup(tTickets, c.param("id"))
	if err != nil {
		return nil, err
	}
	tt := c.st.ticketType(str(obj(tk, "ticket_type"), "id"))
	attrs := obj(c.body, "ticket_attributes")
	if attrs != nil && tt != nil {
		if err := checkTicketAttributes(tt, attrs, false); err != nil {
			return nil, err
		}
	}
	var admin record
	asg := obj(c.body, "assignment")
	if asg != nil {
		if admin = c.st.admin(str(asg, "admin_id")); admin == nil {
			return nil, errAdmin
		}
		if id := str(asg, "assignee_id"); id != "0" && c.st.admin(id) == nil && c.st.t(tTeams).get(id) == nil {
			return nil, errAssignee
		}
	}
	author := botAuthor(c.st)
	if admin != nil {
		author = c.st.adminAuthor(admin)
	}
	for k, v := range attrs {
		obj(tk, "ticket_attributes")[k] = v
	}
	if state := str(c.body, "state"); state != "" && state != str(tk, "ticket_state") {
		prev := str(tk, "ticket_state")
		tk["ticket_state"] = state
		tk["ticket_state_internal_label"], tk["ticket_state_external_label"] = ticketStateLabels[state], ticketStateLabels[state]
		c.st.addTicketPart(tk, "ticket_state_updated_by_admin", nil, author, prev, c.now)
	}
	if asg != nil {
		c.assignTicket(tk, str(asg, "assignee_id"), author)
	}
	for _, k := range []string{"open", "is_shared"} {
		if v, ok := c.body[k].(bool); ok {
			tk[k] = v
		}
	}
	if v, ok := c.body["snoozed_until"]; ok && v != nil {
		tk["snoozed_until"] = v
	}
	tk["updated_at"] = c.now
	return c.st.renderTicket(tk), nil
}

func (c *call) assignTicket(tk record, assigneeID string, author record) {
	switch {
	case assigneeID == "0":
		tk["admin_assignee_id"], tk["team_assignee_id"] = "0", "0"
	case c.st.admin(assigneeID) != nil:
		tk["admin_assignee_id"] = assigneeID
	default:
		tk["team_assignee_id"] = assigneeID
	}
	p := c.st.addTicketPart(tk, "assignment", nil, author, str(tk, "ticket_state"), c.now)
	p["assigned_to"] = record{"type": "admin", "id": assigneeID}
}

func hReplyTicket(c *call) (any, *apiError) {
	tk, err := c.lookup(tTickets, c.param("id"))
	if err != nil {
		return nil, err
	}
	var author record
	partType := str(c.body, "message_type")
	if str(c.body, "type") == "admin" {
		a, err := c.lookup(tAdmins, str(c.body, "admin_id"))
		if err != nil {
			return nil, err
		}
		if partType == "quick_reply" && len(list(c.body, "reply_options")) == 0 {
			return nil, errMissing("reply_options")
		}
		author = c.st.adminAuthor(a)
	} else {
		ct := c.st.findContact(str(c.body, "intercom_user_id"), str(c.body, "user_id"), str(c.body, "email"))
		if ct == nil {
			return nil, errContactNotFound
		}
		author = contactAuthor(ct)
		author["type"] = "user"
	}
	prev := str(tk, "ticket_state")
	if author["type"] == "user" && prev == "waiting_on_customer" {
		tk["ticket_state"] = "in_progress"
		tk["ticket_state_internal_label"], tk["ticket_state_external_label"] = ticketStateLabels["in_progress"], ticketStateLabels["in_progress"]
	}
	p := c.st.addTicketPart(tk, partType, str(c.body, "body"), author, prev, c.now)
	p["attachments"] = attachments(list(c.body, "attachment_urls"))
	out := copyRecord(p)
	delete(out, "previous_ticket_state")
	delete(out, "ticket_state")
	delete(out, "external_id")
	return out, nil
}

func hSearchTickets(c *call) (any, *apiError) {
	page, pages, total, err := c.search(c.st.t(tTickets), 20, nil, nil)
	if err != nil {
		return nil, err
	}
	return listOf("ticket.list", "tickets", render(page, c.st.renderTicket), total, pages), nil
}

func hDeleteTicket(c *call) (any, *apiError) {
	tk, err := c.lookup(tTickets, c.lastParam())
	if err != nil {
		return nil, err
	}
	c.st.t(tTickets).remove(str(tk, "id"))
	return record{"id": tk["id"], "object": "ticket", "deleted": true}, nil
}

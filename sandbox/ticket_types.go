package sandbox

import "strings"

// The ticketTypes namespace (intercom.ticketTypes).
func init() {
	register("ticketTypes", map[string]handler{
		"listTicketTypes":  hListTicketTypes,
		"createTicketType": hCreateTicketType,
		"getTicketType":    hGetTicketType,
		"updateTicketType": hUpdateTicketType,
	})
}

func (st *store) ticketType(id string) record { return st.t(tTicketTypes).get(id) }

func renderTicketType(tt record) record {
	out := copyRecord(tt)
	out["ticket_type_attributes"] = deepCopy(tt["ticket_type_attributes"])
	return out
}

func (st *store) newTicketType(name, desc, category, icon string, internal bool, now int64) record {
	tt := record{
		"type": "ticket_type", "id": st.nextNum(tTicketTypes), "category": category, "name": name,
		"description": desc, "icon": icon, "workspace_id": str(st.App, "id_code"),
		"ticket_type_attributes": record{"type": "list", "ticket_type_attributes": []any{}},
		"archived":               false, "created_at": now, "updated_at": now, "is_internal": internal,
	}
	title := st.newTicketTypeAttribute(tt, "_default_title_", "Title", "string", true, now)
	title["required_to_create"] = false
	addAttribute(tt, title)
	addAttribute(tt, st.newTicketTypeAttribute(tt, "_default_description_", "Description", "string", true, now))
	return tt
}

func hListTicketTypes(c *call) (any, *apiError) {
	return record{"type": "list", "data": render(c.st.t(tTicketTypes).all(), renderTicketType)}, nil
}

func hCreateTicketType(c *call) (any, *apiError) {
	b := c.body
	name := str(b, "name")
	if c.st.t(tTicketTypes).find(func(r record) bool { return strings.EqualFold(str(r, "name"), name) }) != nil {
		return nil, errInvalid(msgInvalid, "name")
	}
	category := firstNonEmpty(str(b, "category"), "Customer")
	tt := c.st.newTicketType(name, str(b, "description"), category, firstNonEmpty(str(b, "icon"), "🎟️"), boolean(b, "is_internal"), c.now)
	c.st.t(tTicketTypes).put(tt)
	return renderTicketType(tt), nil
}

func hGetTicketType(c *call) (any, *apiError) {
	tt, err := c.lookup(tTicketTypes, c.param("id"))
	if err != nil {
		return nil, err
	}
	return renderTicketType(tt), nil
}

func hUpdateTicketType(c *call) (any, *apiError) {
	tt, err := c.lookup(tTicketTypes, c.param("id"))
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"name", "description", "category", "icon", "archived", "is_internal"} {
		if v, ok := c.body[k]; ok && v != nil {
			tt[k] = v
		}
	}
	tt["updated_at"] = c.now
	for _, tk := range c.st.t(tTickets).all() { // a ticket's category is its type's
		if str(obj(tk, "ticket_type"), "id") == str(tt, "id") {
			tk["category"] = tt["category"]
		}
	}
	return renderTicketType(tt), nil
}

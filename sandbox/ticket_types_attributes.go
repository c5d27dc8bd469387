package sandbox

import (
	"net/http"
	"strings"
)

// The ticketTypes.attributes namespace (intercom.ticketTypes.attributes).
func init() {
	register("ticketTypes.attributes", map[string]handler{
		"createTicketTypeAttribute": hCreateTicketTypeAttribute,
		"updateTicketTypeAttribute": hUpdateTicketTypeAttribute,
	})
}

// Ticket types and their attributes.

func (st *store) newTicketTypeAttribute(tt record, name, desc, dataType string, def bool, now int64) record {
	n, _ := asInt(tt["id"])
	return record{
		"type": "ticket_type_attribute", "id": st.nextNum("ticket_type_attributes"), "workspace_id": str(st.App, "id_code"),
		"name": name, "description": desc, "data_type": dataType, "input_options": record{}, "order": int64(len(list(obj(tt, "ticket_type_attributes"), "ticket_type_attributes"))),
		"required_to_create": false, "required_to_create_for_contacts": false, "visible_on_create": true,
		"visible_to_contacts": true, "default": def, "ticket_type_id": n, "archived": false,
		"created_at": now, "updated_at": now,
	}
}

func addAttribute(tt, a record) {
	l := obj(tt, "ticket_type_attributes")
	l["ticket_type_attributes"] = append(list(l, "ticket_type_attributes"), a)
}

var attributeOptions = []string{"multiline", "allow_multiple_values"}

func applyAttributeBody(a, b record, now int64) {
	for _, k := range []string{"name", "description", "required_to_create", "required_to_create_for_contacts", "visible_on_create", "visible_to_contacts", "archived"} {
		if v, ok := b[k]; ok && v != nil {
			a[k] = v
		}
	}
	opts := obj(a, "input_options")
	for _, k := range attributeOptions {
		if v, ok := b[k]; ok {
			opts[k] = v
		}
	}
	if items, ok := b["list_items"].(string); ok {
		var lo []any
		for i, label := range strings.Split(items, ",") {
			lo = append(lo, record{"id": asString(int64(i + 1)), "label": strings.TrimSpace(label), "archived": false})
		}
		opts["list_options"] = lo
	}
	a["updated_at"] = now
}

func hCreateTicketTypeAttribute(c *call) (any, *apiError) {
	tt, err := c.lookup(tTicketTypes, c.param("ticket_type_id"))
	if err != nil {
		return nil, err
	}
	name := str(c.body, "name")
	for _, it := range list(obj(tt, "ticket_type_attributes"), "ticket_type_attributes") {
		if strings.EqualFold(str(it.(map[string]any), "name"), name) {
			return nil, errInvalid(msgInvalid, "name")
		}
	}
	dataType := str(c.body, "data_type")
	if dataType == "list" && str(c.body, "list_items") == "" {
		return nil, newError(http.StatusBadRequest, codeParamNotFound, "list_items is a required parameter for a list attribute")
	}
	a := c.st.newTicketTypeAttribute(tt, name, str(c.body, "description"), dataType, false, c.now)
	applyAttributeBody(a, c.body, c.now)
	addAttribute(tt, a)
	tt["updated_at"] = c.now
	return copyRecord(a), nil
}

func hUpdateTicketTypeAttribute(c *call) (any, *apiError) {
	tt, err := c.lookup(tTicketTypes, c.param("ticket_type_id"))
	if err != nil {
		return nil, err
	}
	for _, it := range list(obj(tt, "ticket_type_attributes"), "ticket_type_attributes") {
		a := it.(map[string]any)
		if str(a, "id") == c.param("id") {
			applyAttributeBody(a, c.body, c.now)
			return copyRecord(a), nil
		}
	}
	return nil, errResource
}

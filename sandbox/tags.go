package sandbox

import (
	"net/http"
	"strings"
)

// The tags namespace (intercom.tags).
func init() {
	register("tags", map[string]handler{
		"attachTagToContact":        hAttachTagToContact,
		"detachTagFromContact":      hDetachTagFromContact,
		"attachTagToConversation":   hAttachTagToConversation,
		"detachTagFromConversation": hDetachTagFromConversation,
		"listTags":                  hListTags,
		"createTag":                 hCreateTag,
		"findTag":                   hFindTag,
		"deleteTag":                 hDeleteTag,
		"attachTagToTicket":         hAttachTagToTicket,
		"detachTagFromTicket":       hDetachTagFromTicket,
	})
}

func (st *store) tag(id string) record { return st.t(tTags).get(id) }

func (st *store) tagByName(name string) record {
	return st.t(tTags).find(func(r record) bool { return strings.EqualFold(str(r, "name"), name) })
}

func renderTag(t record) record {
	return record{"type": "tag", "id": t["id"], "name": t["name"]}
}

// tagOrCreate finds a tag by name, or creates it.
func (st *store) tagOrCreate(name string) record {
	if t := st.tagByName(name); t != nil {
		return t
	}
	t := record{"type": "tag", "id": st.nextNum(tTags), "name": name}
	st.t(tTags).put(t)
	return t
}

func hListTags(c *call) (any, *apiError) {
	return record{"type": "list", "data": render(c.st.t(tTags).all(), renderTag)}, nil
}

func hFindTag(c *call) (any, *apiError) {
	t, err := c.lookup(tTags, c.param("id"))
	if err != nil {
		return nil, err
	}
	return renderTag(t), nil
}

// hCreateTag dispatches on the body's shape (FACTS.md §6): companies (tag or
// untag), users (tag contacts), or a plain create / rename.
func hCreateTag(c *call) (any, *apiError) {
	name := str(c.body, "name")
	switch {
	case c.body["companies"] != nil:
		return c.tagCompanies(name, list(c.body, "companies"))
	case c.body["users"] != nil:
		return c.tagUsers(name, list(c.body, "users"))
	case str(c.body, "id") != "":
		t, err := c.lookup(tTags, str(c.body, "id"))
		if err != nil {
			return nil, err
		}
		t["name"] = name
		return renderTag(t), nil
	}
	return renderTag(c.st.tagOrCreate(name)), nil
}

func (c *call) tagCompanies(name string, items []any) (any, *apiError) {
	var companies []record
	untag := false
	for _, it := range items {
		m, _ := it.(map[string]any)
		co := c.st.company(str(m, "id"))
		if co == nil && str(m, "company_id") != "" {
			co = c.st.companyByCompanyID(str(m, "company_id"))
		}
		if co == nil {
			return nil, errCompany
		}
		companies = append(companies, co)
		untag = untag || boolean(m, "untag")
	}
	if untag {
		t := c.st.tagByName(name)
		if t == nil {
			return nil, errTag
		}
		for _, co := range companies {
			tl := obj(co, "tags")
			tl["tags"], _ = withoutID(list(tl, "tags"), str(t, "id"))
		}
		return renderTag(t), nil
	}
	t := c.st.tagOrCreate(name)
	for _, co := range companies {
		tl := obj(co, "tags")
		if !hasID(list(tl, "tags"), str(t, "id")) {
			tl["tags"] = append(list(tl, "tags"), record{"type": "tag", "id": t["id"]})
		}
	}
	return renderTag(t), nil
}

func (c *call) tagUsers(name string, items []any) (any, *apiError) {
	var contacts []record
	for _, it := range items {
		m, _ := it.(map[string]any)
		ct, err := c.lookup(tContacts, str(m, "id"))
		if err != nil {
			return nil, err
		}
		contacts = append(contacts, ct)
	}
	t := c.st.tagOrCreate(name)
	for _, ct := range contacts {
		tagContact(ct, t)
	}
	return renderTag(t), nil
}

func tagContact(ct, t record) bool {
	id := str(t, "id")
	return attachRef(ct, "tags", "tag", id, "/tags/"+id)
}

func hDeleteTag(c *call) (any, *apiError) {
	t, err := c.lookup(tTags, c.param("id"))
	if err != nil {
		return nil, err
	}
	if c.st.tagInUse(str(t, "id")) {
		return nil, newError(http.StatusBadRequest, codeTagHasDependents, msgTagDependents)
	}
	c.st.t(tTags).remove(str(t, "id"))
	return &rawResponse{status: http.StatusOK}, nil
}

// tagInUse reports whether a tag is attached to anything or used by a segment.
func (st *store) tagInUse(id string) bool {
	used := func(tname, field, items string) bool {
		return st.t(tname).find(func(r record) bool { return hasID(list(obj(r, field), items), id) }) != nil
	}
	if used(tContacts, "tags", "data") || used(tCompanies, "tags", "tags") ||
		used(tConversations, "tags", "tags") || used(tTickets, "tags", "tags") {
		return true
	}
	return st.t(tSegments).find(func(r record) bool { return mentionsValue(r["_rule"], id) }) != nil
}

func hAttachTagToContact(c *call) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("contact_id"))
	if err != nil {
		return nil, err
	}
	t, err := c.lookup(tTags, str(c.body, "id"))
	if err != nil {
		return nil, err
	}
	if tagContact(ct, t) {
		ct["updated_at"] = c.now
	}
	c.touch("contact", renderContact(ct))
	return renderTag(t), nil
}

func hDetachTagFromContact(c *call) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("contact_id"))
	if err != nil {
		return nil, err
	}
	t := c.st.tag(c.param("id"))
	if t == nil || !hasID(list(obj(ct, "tags"), "data"), str(t, "id")) {
		return nil, errTag
	}
	detachRef(ct, "tags", str(t, "id"))
	ct["updated_at"] = c.now
	c.touch("contact", renderContact(ct))
	return renderTag(t), nil
}

// Conversations and tickets keep {type: "tag.list", tags: [{type, id, applied_at, applied_by}]}.

func (c *call) attachTagTo(r record, adminID, tagID string) (any, *apiError) {
	t, err := c.lookup(tTags, tagID)
	if err != nil {
		return nil, err
	}
	if c.st.admin(adminID) == nil {
		return nil, errAdmin
	}
	tl := obj(r, "tags")
	if !hasID(list(tl, "tags"), tagID) {
		tl["tags"] = append(list(tl, "tags"), record{
			"type": "tag", "id": t["id"], "applied_at": c.now, "applied_by": record{"type": "admin", "id": adminID},
		})
	}
	return renderTag(t), nil
}

func (c *call) detachTagFrom(r record, adminID, tagID string) (any, *apiError) {
	t := c.st.tag(tagID)
	if t == nil || !hasID(list(obj(r, "tags"), "tags"), tagID) {
		return nil, errTag
	}
	if c.st.admin(adminID) == nil {
		return nil, errAdmin
	}
	tl := obj(r, "tags")
	tl["tags"], _ = withoutID(list(tl, "tags"), tagID)
	return renderTag(t), nil
}

func hAttachTagToConversation(c *call) (any, *apiError) {
	cv, err := c.lookup(tConversations, c.param("conversation_id"))
	if err != nil {
		return nil, err
	}
	return c.attachTagTo(cv, str(c.body, "admin_id"), str(c.body, "id"))
}

func hDetachTagFromConversation(c *call) (any, *apiError) {
	cv, err := c.lookup(tConversations, c.param("conversation_id"))
	if err != nil {
		return nil, err
	}
	return c.detachTagFrom(cv, str(c.body, "admin_id"), c.param("id"))
}

func hAttachTagToTicket(c *call) (any, *apiError) {
	tk, err := c.lookup(tTickets, c.param("ticket_id"))
	if err != nil {
		return nil, err
	}
	return c.attachTagTo(tk, str(c.body, "admin_id"), str(c.body, "id"))
}

func hDetachTagFromTicket(c *call) (any, *apiError) {
	tk, err := c.lookup(tTickets, c.param("ticket_id"))
	if err != nil {
		return nil, err
	}
	return c.detachTagFrom(tk, str(c.body, "admin_id"), c.param("id"))
}

// renderTagList renders a stored tag.list with each tag's current name.
func (st *store) renderTagList(tl record) record {
	tags := []any{}
	for _, it := range list(tl, "tags") {
		m, _ := it.(map[string]any)
		t := st.tag(str(m, "id"))
		if t == nil {
			continue
		}
		out := copyRecord(m)
		out["name"] = t["name"]
		if ab, ok := m["applied_by"].(map[string]any); ok {
			out["applied_by"] = copyRecord(ab)
		}
		tags = append(tags, out)
	}
	return record{"type": "tag.list", "tags": tags}
}

// mentionsValue reports whether a JSON value holds the string v anywhere.
func mentionsValue(x any, v string) bool {
	switch t := x.(type) {
	case string:
		return t == v
	case map[string]any:
		for _, e := range t {
			if mentionsValue(e, v) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if mentionsValue(e, v) {
				return true
			}
		}
	}
	return false
}

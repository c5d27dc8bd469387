package sandbox

import "strings"

// The visitors namespace (intercom.visitors).
func init() {
	register("visitors", map[string]handler{
		"updateVisitor":             hUpdateVisitor,
		"retrieveVisitorWithUserId": hRetrieveVisitorWithUserID,
		"convertVisitor":            hConvertVisitor,
	})
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

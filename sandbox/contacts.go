package sandbox

import (
	"fmt"
	"net/http"
	"strings"
)

// The contacts namespace (intercom.contacts).
func init() {
	register("contacts", map[string]handler{
		"listCompaniesForAContact":        hListCompaniesForAContact,
		"listSegmentsForAContact":         hListSegmentsForAContact,
		"listSubscriptionsForAContact":    hListSubscriptionsForAContact,
		"attachSubscriptionTypeToContact": hAttachSubscriptionTypeToContact,
		"detachSubscriptionTypeToContact": hDetachSubscriptionTypeToContact,
		"listTagsForAContact":             hListTagsForAContact,
		"UpdateContact":                   hUpdateContact,
		"ShowContact":                     hShowContact,
		"DeleteContact":                   hDeleteContact,
		"MergeContact":                    hMergeContact,
		"SearchContacts":                  hSearchContacts,
		"ListContacts":                    hListContacts,
		"CreateContact":                   hCreateContact,
		"ArchiveContact":                  hArchiveContact,
		"UnarchiveContact":                hUnarchiveContact,
		"ShowContactByExternalId":         hShowContactByExternalID, // API 2.13 and later
	})
}

// contactNullFields are rendered as null when a contact has no value for them.
var contactNullFields = []string{
	"external_id", "phone", "name", "owner_id", "signed_up_at", "last_seen_at", "last_replied_at",
	"last_contacted_at", "last_email_opened_at", "last_email_clicked_at", "language_override",
	"browser", "browser_version", "browser_language", "os", "android_app_name",
	"android_app_version", "android_device", "android_os_version", "android_sdk_version",
	"android_last_seen_at", "ios_app_name", "ios_app_version", "ios_device", "ios_os_version",
	"ios_sdk_version", "ios_last_seen_at", "utm_campaign", "utm_content", "utm_medium",
	"utm_source", "utm_term", "referrer",
}

// Embedded lists of a contact: stored as {"data": [...]}, rendered with their url and counts.
var contactLists = map[string]string{
	"tags": "tags", "notes": "notes", "companies": "companies",
	"opted_in_subscription_types": "subscriptions", "opted_out_subscription_types": "subscriptions",
}

const embeddedMax = 10 // Intercom embeds at most 10 items of a contact's lists, with has_more

func (st *store) contact(id string) record {
	c := st.t(tContacts).get(id)
	return c
}

func renderContact(c record) record {
	out := copyRecord(c)
	for _, k := range contactNullFields {
		if _, ok := out[k]; !ok {
			out[k] = nil
		}
	}
	out["avatar"] = record{"type": "avatar", "image_url": nullable(str(c, "avatar"))}
	id := str(c, "id")
	for field, path := range contactLists {
		items := list(obj(c, field), "data")
		shown := items
		if len(shown) > embeddedMax {
			shown = shown[:embeddedMax]
		}
		out[field] = record{
			"type": "list", "data": deepCopy(shown), "url": "/contacts/" + id + "/" + path,
			"total_count": len(items), "has_more": len(items) > embeddedMax,
		}
	}
	out["location"] = record{"type": "location", "country": nil, "region": nil, "city": nil, "country_code": nil, "continent_code": nil}
	for k, v := range obj(c, "location") {
		obj(out, "location")[k] = v
	}
	out["custom_attributes"] = deepCopy(c["custom_attributes"])
	if out["custom_attributes"] == nil {
		out["custom_attributes"] = record{}
	}
	out["social_profiles"] = record{"type": "list", "data": deepCopy(list(obj(c, "social_profiles"), "data"))}
	if list(obj(c, "social_profiles"), "data") == nil {
		obj(out, "social_profiles")["data"] = []any{}
	}
	return out
}

// contactRef is a contact_reference; contacts deleted since keep their id.
func (st *store) contactRef(id string) record {
	ref := record{"type": "contact", "id": id, "external_id": nil}
	if c := st.contact(id); c != nil {
		ref["external_id"] = c["external_id"]
	}
	return ref
}

// newContact builds a contact record with Intercom's defaults.
func (st *store) newContact(role string, now int64) record {
	return record{
		"type": "contact", "id": st.nextHex(tContacts), "workspace_id": str(st.App, "id_code"),
		"role": role, "email": "", "email_domain": "",
		"has_hard_bounced": false, "marked_email_as_spam": false, "unsubscribed_from_emails": false,
		"created_at": now, "updated_at": now,
		"social_profiles":   record{"type": "list", "data": []any{}},
		"location":          record{"type": "location", "country": nil, "region": nil, "city": nil, "country_code": nil, "continent_code": nil},
		"custom_attributes": record{},
		"tags":              record{"data": []any{}}, "notes": record{"data": []any{}}, "companies": record{"data": []any{}},
		"opted_in_subscription_types": record{"data": []any{}}, "opted_out_subscription_types": record{"data": []any{}},
	}
}

// contactFieldsOf checks the writable fields of a create or update body
// against the workspace (roles, owners, uniqueness, custom attributes).
func (c *call) checkContactBody(self record) *apiError {
	b := c.body
	role := str(b, "role")
	if _, ok := b["role"]; ok && role != "user" && role != "lead" {
		return enumError("role", []string{"user", "lead"})
	}
	if self != nil && str(self, "role") == "user" && role == "lead" {
		return errInvalid(msgRoleChange)
	}
	if v, ok := b["owner_id"]; ok && v != nil && c.st.admin(asString(v)) == nil {
		return errInvalid(msgInvalid, "owner_id")
	}
	if ca, ok := b["custom_attributes"].(map[string]any); ok {
		if err := c.st.checkCustomAttributes("contact", ca); err != nil {
			return err
		}
	}
	finalRole := role
	if finalRole == "" && self != nil {
		finalRole = str(self, "role")
	}
	if finalRole == "" {
		finalRole = "user"
	}
	if finalRole == "user" {
		if dup := c.st.duplicateUser(b, self); dup != nil {
			return newError(http.StatusConflict, codeConflict, fmt.Sprintf(msgContactConflict, str(dup, "id")))
		}
	}
	return nil
}

// duplicateUser finds another user with the body's email or external_id.
func (st *store) duplicateUser(b record, self record) record {
	selfID := ""
	if self != nil {
		selfID = str(self, "id")
	}
	var cands []record
	if ext := str(b, "external_id"); ext != "" {
		cands = append(cands, st.contactsBy(st.idx.byExternal, ext)...)
	}
	if email := strings.ToLower(str(b, "email")); email != "" {
		cands = append(cands, st.contactsBy(st.idx.byEmail, email)...)
	}
	for _, r := range cands {
		if str(r, "role") == "user" && str(r, "id") != selfID {
			return r
		}
	}
	return nil
}

// applyContactBody writes the body's fields into a contact.
func (st *store) applyContactBody(ct record, b record, now int64) {
	st.unindexContact(ct)
	defer st.indexContact(ct)
	for _, k := range []string{"role", "external_id", "email", "phone", "name", "avatar", "signed_up_at", "last_seen_at", "owner_id", "unsubscribed_from_emails"} {
		if v, ok := b[k]; ok {
			ct[k] = v
		}
	}
	if email := str(ct, "email"); email != "" {
		_, domain, _ := strings.Cut(email, "@")
		ct["email_domain"] = domain
	}
	if ca, ok := b["custom_attributes"].(map[string]any); ok {
		attrs := obj(ct, "custom_attributes")
		if attrs == nil {
			attrs = record{}
			ct["custom_attributes"] = attrs
		}
		for k, v := range ca {
			attrs[k] = v
		}
	}
	ct["updated_at"] = now
}

func hCreateContact(c *call) (any, *apiError) {
	if err := c.checkContactBody(nil); err != nil {
		return nil, err
	}
	role := str(c.body, "role")
	if role == "" {
		role = "user"
	}
	ct := c.st.newContact(role, c.now)
	c.st.applyContactBody(ct, c.body, c.now)
	c.st.t(tContacts).put(ct)
	return renderContact(ct), nil
}

func hShowContact(c *call) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("id"))
	if err != nil {
		return nil, err
	}
	return renderContact(ct), nil
}

func hUpdateContact(c *call) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("id"))
	if err != nil {
		return nil, err
	}
	if err := c.checkContactBody(ct); err != nil {
		return nil, err
	}
	c.st.applyContactBody(ct, c.body, c.now)
	return renderContact(ct), nil
}

func hDeleteContact(c *call) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("id"))
	if err != nil {
		return nil, err
	}
	c.st.deleteContact(ct)
	return record{"type": "contact", "id": ct["id"], "external_id": ct["external_id"], "deleted": true}, nil
}

func (st *store) deleteContact(ct record) {
	for _, id := range idsOf(list(obj(ct, "companies"), "data")) {
		if co := st.t(tCompanies).get(id); co != nil {
			co["user_count"] = max(num(co, "user_count")-1, 0)
		}
	}
	if boolean(ct, "_archived") {
		st.archived--
	}
	st.unindexContact(ct)
	st.t(tContacts).remove(str(ct, "id"))
}

func hArchiveContact(c *call) (any, *apiError) { return c.setArchived(true) }

func hUnarchiveContact(c *call) (any, *apiError) { return c.setArchived(false) }

func (c *call) setArchived(archived bool) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("id"))
	if err != nil {
		return nil, err
	}
	if was := boolean(ct, "_archived"); archived && !was {
		ct["_archived"] = true
		c.st.archived++
	} else if !archived && was {
		delete(ct, "_archived")
		c.st.archived--
	}
	ct["updated_at"] = c.now
	return record{"type": "contact", "id": ct["id"], "external_id": ct["external_id"], "archived": archived}, nil
}

func hListContacts(c *call) (any, *apiError) {
	items := c.st.t(tContacts).recs // read-only under the read lock
	if c.st.archived > 0 {
		items = c.st.t(tContacts).filter(func(r record) bool { return !boolean(r, "_archived") })
	}
	page, pages, err := cursorPage(items, c.query.Get("starting_after"), queryPage(c.query), queryPerPage(c.query, 50), false)
	if err != nil {
		return nil, err
	}
	return listOf("list", "data", render(page, renderContact), len(items), pages), nil
}

func hSearchContacts(c *call) (any, *apiError) {
	page, pages, total, err := c.searchContacts()
	if err != nil {
		return nil, err
	}
	return listOf("list", "data", render(page, renderContact), total, pages), nil
}

// searchContacts serves a page of POST /contacts/search, before rendering.
func (c *call) searchContacts() ([]record, record, int, *apiError) {
	withSegments := mentions(c.body["query"], "segment_id")
	rules := c.st.segmentRules()
	prepare := func(r record) record {
		if !withSegments {
			return r
		}
		doc := make(record, len(r)+1)
		for k, v := range r {
			doc[k] = v
		}
		doc["segment_id"] = segmentIDsOf(r, rules)
		return doc
	}
	var keep func(record) bool
	if c.st.archived > 0 {
		keep = func(r record) bool { return !boolean(r, "_archived") }
	}
	if !withSegments {
		prepare = nil
	}
	return c.search(c.st.t(tContacts), 50, keep, prepare)
}

func hMergeContact(c *call) (any, *apiError) {
	from, into := c.st.contact(str(c.body, "from")), c.st.contact(str(c.body, "into"))
	if from == nil || into == nil {
		return nil, errContactNotFound
	}
	if str(from, "role") != "lead" || str(into, "role") != "user" || str(from, "id") == str(into, "id") {
		return nil, errInvalid(msgMergeRoles)
	}
	c.st.mergeContact(from, into, c.now)
	return renderContact(into), nil
}

// mergeContact moves a lead's tags, companies, notes, subscriptions, missing
// fields and conversations into a user, then deletes the lead.
func (st *store) mergeContact(from, into record, now int64) {
	st.unindexContact(from)
	st.unindexContact(into)
	defer st.indexContact(into)
	for _, field := range []string{"tags", "notes", "companies", "opted_in_subscription_types", "opted_out_subscription_types"} {
		dst := ensureList(into, field)
		for _, it := range list(obj(from, field), "data") {
			id := asString(it.(map[string]any)["id"])
			if !hasID(list(dst, "data"), id) {
				dst["data"] = append(list(dst, "data"), it)
				if field == "companies" {
					continue // the user count moves with the contact below
				}
			} else if field == "companies" {
				if co := st.t(tCompanies).get(id); co != nil {
					co["user_count"] = max(num(co, "user_count")-1, 0)
				}
			}
		}
	}
	for k, v := range from {
		if strings.HasPrefix(k, "_") {
			continue
		}
		if _, ok := into[k]; !ok || into[k] == nil || into[k] == "" {
			into[k] = v
		}
	}
	ca := obj(into, "custom_attributes")
	if ca == nil {
		ca = record{}
		into["custom_attributes"] = ca
	}
	for k, v := range obj(from, "custom_attributes") {
		if _, ok := ca[k]; !ok {
			ca[k] = v
		}
	}
	st.moveContactRefs(str(from, "id"), str(into, "id"))
	into["updated_at"] = now
	if boolean(from, "_archived") {
		st.archived--
	}
	st.t(tContacts).remove(str(from, "id"))
}

// moveContactRefs points conversations, tickets, notes and events of one contact at another.
func (st *store) moveContactRefs(from, into string) {
	for _, tname := range []string{tConversations, tTickets} {
		for _, r := range st.t(tname).all() {
			refs := obj(r, "contacts")
			items := list(refs, "contacts")
			if !hasID(items, from) {
				continue
			}
			items, _ = withoutID(items, from)
			if !hasID(items, into) {
				items = append(items, record{"type": "contact", "id": into})
			}
			refs["contacts"] = items
		}
	}
	for _, n := range st.t(tNotes).all() {
		if str(obj(n, "contact"), "id") == from {
			obj(n, "contact")["id"] = into
		}
	}
	for _, e := range st.t(tEvents).all() {
		if str(e, "intercom_user_id") == from {
			e["intercom_user_id"] = into
		}
	}
}

// findContact resolves the identifiers of request bodies: id / intercom_user_id
// (Intercom's id), user_id / external_id (yours) or email (a user first).
func (st *store) findContact(id, externalID, email string) record {
	switch {
	case id != "":
		return st.contact(id)
	case externalID != "":
		if cs := st.contactsBy(st.idx.byExternal, externalID); len(cs) > 0 {
			return cs[0]
		}
	case email != "":
		cs := st.contactsBy(st.idx.byEmail, strings.ToLower(email))
		for _, ct := range cs {
			if str(ct, "role") == "user" {
				return ct
			}
		}
		if len(cs) > 0 {
			return cs[0]
		}
	}
	return nil
}

// ensureList returns a contact's embedded list, creating it (seeded contacts
// leave empty lists out, to seed large workspaces fast).
func ensureList(ct record, field string) record {
	l := obj(ct, field)
	if l == nil {
		l = record{"data": []any{}}
		ct[field] = l
	}
	return l
}

// attachRef adds {type, id, url} to a contact's embedded list; false if it was there.
func attachRef(ct record, field, typ, id, url string) bool {
	l := ensureList(ct, field)
	items := list(l, "data")
	if hasID(items, id) {
		return false
	}
	l["data"] = append(items, record{"type": typ, "id": id, "url": url})
	return true
}

func detachRef(ct record, field, id string) bool {
	l := obj(ct, field)
	items, removed := withoutID(list(l, "data"), id)
	if l != nil {
		l["data"] = items
	}
	return removed
}

func hListCompaniesForAContact(c *call) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("id"))
	if err != nil {
		return nil, err
	}
	page, pages, total := c.numberPage(tCompanies, func() []record {
		var items []record
		for _, id := range idsOf(list(obj(ct, "companies"), "data")) {
			if co := c.st.company(id); co != nil {
				items = append(items, co)
			}
		}
		return items
	}, companiesPerPage)
	pages["next"] = nil
	if pg := queryPage(c.query); int64(pg) < num(pages, "total_pages") {
		pages["next"] = c.pageURL(pg + 1)
	}
	return listOf("list", "companies", render(page, c.st.renderCompany), total, pages), nil
}

func hListSegmentsForAContact(c *call) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("contact_id"))
	if err != nil {
		return nil, err
	}
	items := []any{}
	for _, id := range segmentIDsOf(ct, c.st.segmentRules()) {
		items = append(items, renderSegment(c.st.t(tSegments).get(asString(id))))
	}
	return record{"type": "list", "data": items}, nil
}

func hListSubscriptionsForAContact(c *call) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("contact_id"))
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
	ct, err := c.lookup(tContacts, c.param("contact_id"))
	if err != nil {
		return nil, err
	}
	s, err := c.lookup(tSubscriptions, str(c.body, "id"))
	if err != nil {
		return nil, err
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
	ct, err := c.lookup(tContacts, c.param("contact_id"))
	if err != nil {
		return nil, err
	}
	s, err := c.lookup(tSubscriptions, c.param("id"))
	if err != nil {
		return nil, err
	}
	id := str(s, "id")
	in, out := detachRef(ct, "opted_in_subscription_types", id), detachRef(ct, "opted_out_subscription_types", id)
	if !in && !out {
		return nil, errResource
	}
	ct["updated_at"] = c.now
	return deepCopyRecord(s), nil
}

func hListTagsForAContact(c *call) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("contact_id"))
	if err != nil {
		return nil, err
	}
	var out []any
	for _, id := range idsOf(list(obj(ct, "tags"), "data")) {
		if t := c.st.tag(id); t != nil {
			out = append(out, renderTag(t))
		}
	}
	if out == nil {
		out = []any{}
	}
	return record{"type": "list", "data": out}, nil
}

func hShowContactByExternalID(c *call) (any, *apiError) {
	ext := c.lastParam()
	ct := c.st.t(tContacts).find(func(r record) bool { return ext != "" && str(r, "external_id") == ext })
	if ct == nil {
		return nil, errNotFound(codeNotFound, msgUserNotFound)
	}
	return renderContact(ct), nil
}

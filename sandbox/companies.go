package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"
)

// The companies namespace (intercom.companies).
func init() {
	register("companies", map[string]handler{
		"createOrUpdateCompany":            hCreateOrUpdateCompany,
		"retrieveCompany":                  hRetrieveCompany,
		"RetrieveACompanyById":             hRetrieveCompanyByID,
		"UpdateCompany":                    hUpdateCompany,
		"deleteCompany":                    hDeleteCompany,
		"ListAttachedContacts":             hListAttachedContacts,
		"ListAttachedSegmentsForCompanies": hListAttachedSegmentsForCompanies,
		"listAllCompanies":                 hListAllCompanies,
		"scrollOverAllCompanies":           hScrollOverAllCompanies,
		"attachContactToACompany":          hAttachContactToACompany,
		"detachContactFromACompany":        hDetachContactFromACompany,
	})
}

// Company listings default to 15 a page (the description of retrieveCompany).
const companiesPerPage = 15

func (st *store) company(id string) record { return st.t(tCompanies).get(id) }

func (st *store) companyByCompanyID(companyID string) record {
	return st.t(tCompanies).find(func(r record) bool { return str(r, "company_id") == companyID })
}

func (st *store) renderCompany(co record) record {
	out := copyRecord(co)
	out["custom_attributes"] = deepCopy(co["custom_attributes"])
	out["plan"] = deepCopy(co["plan"])
	tags := []any{}
	for _, id := range idsOf(list(obj(co, "tags"), "tags")) {
		if t := st.t(tTags).get(id); t != nil {
			tags = append(tags, record{"type": "tag", "id": id, "name": t["name"]})
		}
	}
	out["tags"] = record{"type": "tag.list", "tags": tags}
	segs := []any{}
	for _, id := range strs(co["_segment_ids"]) {
		if sg := st.t(tSegments).get(id); sg != nil {
			segs = append(segs, renderSegment(sg))
		}
	}
	out["segments"] = record{"type": "segment.list", "segments": segs}
	return out
}

func (st *store) newCompany(companyID string, now int64) record {
	return record{
		"type": "company", "id": st.nextHex(tCompanies), "app_id": str(st.App, "id_code"),
		"company_id": companyID, "name": companyID, "remote_created_at": now, "created_at": now,
		"updated_at": now, "last_request_at": now, "monthly_spend": int64(0), "session_count": int64(0),
		"user_count": int64(0), "custom_attributes": record{}, "plan": record{},
		"tags": record{"type": "tag.list", "tags": []any{}},
	}
}

// applyCompanyBody writes create_or_update_company_request fields into a company.
func (st *store) applyCompanyBody(co, b record, now int64) {
	for _, k := range []string{"name", "size", "website", "industry", "remote_created_at", "monthly_spend"} {
		if v, ok := b[k]; ok && v != nil {
			co[k] = v
		}
	}
	if p, ok := b["plan"].(string); ok && p != "" {
		co["plan"] = record{"type": "plan", "id": st.planID(p), "name": p}
	}
	if ca, ok := b["custom_attributes"].(map[string]any); ok {
		attrs := obj(co, "custom_attributes")
		for k, v := range ca {
			attrs[k] = v
		}
	}
	co["updated_at"] = now
}

// planID gives each plan name one id across the workspace.
func (st *store) planID(name string) string {
	if co := st.t(tCompanies).find(func(r record) bool { return str(obj(r, "plan"), "name") == name }); co != nil {
		return str(obj(co, "plan"), "id")
	}
	return st.nextNum("plans")
}

func (c *call) checkCompanyBody() *apiError {
	if ca, ok := c.body["custom_attributes"].(map[string]any); ok {
		return c.st.checkCustomAttributes("company", ca)
	}
	return nil
}

func hCreateOrUpdateCompany(c *call) (any, *apiError) {
	if err := c.checkCompanyBody(); err != nil {
		return nil, err
	}
	companyID := str(c.body, "company_id")
	co := c.st.companyByCompanyID(companyID)
	if co == nil {
		if companyID == "" {
			return nil, &apiError{Status: http.StatusBadRequest, Code: codeParamNotFound, Message: msgCompanyMissing, Field: "company_id"}
		}
		co = c.st.newCompany(companyID, c.now)
		c.st.t(tCompanies).put(co)
	}
	c.st.applyCompanyBody(co, c.body, c.now)
	return c.st.renderCompany(co), nil
}

func hRetrieveCompanyByID(c *call) (any, *apiError) {
	co, err := c.lookup(tCompanies, c.param("id"))
	if err != nil {
		return nil, err
	}
	return c.st.renderCompany(co), nil
}

func hUpdateCompany(c *call) (any, *apiError) {
	co, err := c.lookup(tCompanies, c.param("id"))
	if err != nil {
		return nil, err
	}
	if err := c.checkCompanyBody(); err != nil {
		return nil, err
	}
	b := copyRecord(c.body)
	delete(b, "company_id") // a company's company_id cannot change
	c.st.applyCompanyBody(co, b, c.now)
	return c.st.renderCompany(co), nil
}

func hDeleteCompany(c *call) (any, *apiError) {
	co, err := c.lookup(tCompanies, c.param("id"))
	if err != nil {
		return nil, err
	}
	id := str(co, "id")
	for _, ct := range c.st.companyContacts(id) {
		detachRef(ct, "companies", id)
	}
	c.st.t(tCompanies).remove(id)
	return record{"id": id, "object": "company", "deleted": true}, nil
}

// companyContacts lists the contacts attached to a company.
func (st *store) companyContacts(companyID string) []record {
	return st.t(tContacts).filter(func(r record) bool {
		return hasID(list(obj(r, "companies"), "data"), companyID)
	})
}

// hRetrieveCompany is GET /companies: one company by company_id or name, or a
// page of companies filtered by tag_id or segment_id.
func hRetrieveCompany(c *call) (any, *apiError) {
	if cid, name := c.query.Get("company_id"), c.query.Get("name"); cid != "" || name != "" {
		co := c.st.t(tCompanies).find(func(r record) bool {
			return (cid == "" || str(r, "company_id") == cid) && (name == "" || str(r, "name") == name)
		})
		if co == nil {
			return nil, errCompany
		}
		return c.st.renderCompany(co), nil
	}
	tagID, segID := c.query.Get("tag_id"), c.query.Get("segment_id")
	page, pages, total := c.numberPage(tCompanies, func() []record {
		return c.st.t(tCompanies).filter(func(r record) bool {
			return (tagID == "" || hasID(list(obj(r, "tags"), "tags"), tagID)) &&
				(segID == "" || contains(strs(r["_segment_ids"]), segID))
		})
	}, companiesPerPage)
	return listOf("list", "data", render(page, c.st.renderCompany), total, pages), nil
}

func hListAllCompanies(c *call) (any, *apiError) {
	page, pages, total := c.numberPage(tCompanies, func() []record {
		items := c.st.t(tCompanies).all()
		if c.query.Get("order") == "desc" {
			slices.Reverse(items) // the table is in id order
		}
		return items
	}, companiesPerPage)
	return listOf("list", "data", render(page, c.st.renderCompany), total, pages), nil
}

func hListAttachedContacts(c *call) (any, *apiError) {
	co, err := c.lookup(tCompanies, c.param("id"))
	if err != nil {
		return nil, err
	}
	page, pages, total := c.numberPage(tContacts, func() []record { return c.st.companyContacts(str(co, "id")) }, 50)
	return listOf("list", "data", render(page, renderContact), total, pages), nil
}

func hListAttachedSegmentsForCompanies(c *call) (any, *apiError) {
	co, err := c.lookup(tCompanies, c.param("id"))
	if err != nil {
		return nil, err
	}
	out := c.st.renderCompany(co)
	return record{"type": "list", "data": obj(out, "segments")["segments"]}, nil
}

func hAttachContactToACompany(c *call) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("id"))
	if err != nil {
		return nil, err
	}
	co, err := c.lookup(tCompanies, str(c.body, "id"))
	if err != nil {
		return nil, err
	}
	id := str(co, "id")
	if attachRef(ct, "companies", "company", id, "/companies/"+id) {
		co["user_count"] = num(co, "user_count") + 1
		ct["updated_at"] = c.now
	}
	return c.st.renderCompany(co), nil
}

func hDetachContactFromACompany(c *call) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("contact_id"))
	if err != nil {
		return nil, err
	}
	co, err := c.lookup(tCompanies, c.param("id"))
	if err != nil {
		return nil, err
	}
	if !hasID(list(obj(ct, "companies"), "data"), str(co, "id")) {
		return nil, errCompany
	}
	detachRef(ct, "companies", str(co, "id"))
	co["user_count"] = max(num(co, "user_count")-1, 0)
	ct["updated_at"] = c.now
	return c.st.renderCompany(co), nil
}

// scrolls is the workspace's one open company scroll ("one open scroll per
// app, expires after 1 minute idle"). The scroll ends with an empty page
// that carries no scroll_param: the official Node SDK asks for a next page
// for as long as a scroll_param comes back (its hasNextPage), so a param on
// the empty page would make it loop for ever. The param stays valid
// (answering empty pages) until it has been idle for a minute: a client
// that asks once more after the end gets an empty page, not a 404.
// A finished scroll does not keep a new one from starting.
type scrolls struct {
	mu    sync.Mutex
	param string
	after string // id of the last company served
	last  time.Time
	seq   int
	done  bool // the empty last page was served
}

const scrollIdle = time.Minute

func hScrollOverAllCompanies(c *call) (any, *apiError) {
	sc := c.sb.scrolls
	sc.mu.Lock()
	defer sc.mu.Unlock()
	now := c.sb.now()
	live := sc.param != "" && now.Sub(sc.last) < scrollIdle
	param := c.query.Get("scroll_param")
	switch {
	case param == "" && live && !sc.done:
		return nil, newError(http.StatusBadRequest, codeScrollExists, msgScrollExists)
	case param == "":
		sc.seq++
		sc.param, sc.after, sc.done = fmt.Sprintf("%s-%08x-scroll", c.st.Prefix, sc.seq), "", false
	case !live || param != sc.param:
		return nil, errNotFound(codeNotFound, msgScrollExpired)
	}
	sc.last = now
	items := c.st.t(tCompanies).all()
	if sc.done {
		return record{"type": "list", "data": []any{}, "total_count": len(items)}, nil
	}
	start := sort.Search(len(items), func(i int) bool { return sc.after == "" || idLess(sc.after, str(items[i], "id")) })
	page := items[start:min(start+companiesPerPage, len(items))]
	out := record{"type": "list", "data": render(page, c.st.renderCompany), "total_count": len(items), "scroll_param": sc.param}
	if len(page) == 0 {
		sc.done = true
		delete(out, "scroll_param")
		return out, nil
	}
	sc.after = str(page[len(page)-1], "id")
	return out, nil
}

package sandbox

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Data attributes.

func (st *store) newDataAttribute(model, name, dataType, desc string, custom bool, now int64) record {
	full := name
	if custom {
		full = "custom_attributes." + name
	}
	id, _ := strconv.ParseInt(st.nextNum(tDataAttributes), 10, 64)
	return record{
		"type": "data_attribute", "id": id, "model": model, "name": name, "full_name": full,
		"label": strings.ReplaceAll(name, "_", " "), "description": desc, "data_type": dataType,
		"api_writable": true, "messenger_writable": false, "ui_writable": true, "custom": custom,
		"archived": false, "created_at": now, "updated_at": now, "admin_id": st.Admin,
	}
}

// checkCustomAttributes accepts the custom attributes a model defines (not
// archived) with values of their type, or null.
func (st *store) checkCustomAttributes(model string, attrs map[string]any) *apiError {
	for name, v := range attrs {
		def := st.t(tDataAttributes).find(func(r record) bool {
			return str(r, "model") == model && boolean(r, "custom") && str(r, "name") == name && !boolean(r, "archived")
		})
		if def == nil {
			return &apiError{Status: http.StatusBadRequest, Code: codeParamNotFound, Message: fmt.Sprintf(msgUnknownAttribute, name), Field: "custom_attributes." + name}
		}
		if v != nil && !valueFits(str(def, "data_type"), v) {
			return typeError("custom_attributes."+name, str(def, "data_type"))
		}
	}
	return nil
}

// valueKinds lists the JSON kinds each attribute data type accepts, for
// data attributes (integer, float, date, boolean, string) and ticket type
// attributes (integer, decimal, datetime, boolean, files, string…); any
// other type takes a string.
var valueKinds = map[string][]string{
	"integer": {"integer"}, "date": {"integer"}, "float": {"integer", "number"}, "decimal": {"integer", "number"},
	"boolean": {"boolean"}, "datetime": {"integer", "string"}, "files": {"array"},
}

// valueFits reports whether an attribute value has a kind its data type accepts.
func valueFits(dataType string, v any) bool {
	kinds, ok := valueKinds[dataType]
	if !ok {
		kinds = []string{"string"}
	}
	for _, k := range kinds {
		switch v.(type) {
		case int64:
			if k == "integer" {
				return true
			}
		case float64:
			if k == "number" {
				return true
			}
		case bool:
			if k == "boolean" {
				return true
			}
		case string:
			if k == "string" {
				return true
			}
		case []any:
			if k == "array" {
				return true
			}
		}
	}
	return false
}

var attributeNameRE = regexp.MustCompile(`^[A-Za-z0-9_\- ]+$`)

func hListDataAttributes(c *call) (any, *apiError) {
	model, archived := c.query.Get("model"), c.query.Get("include_archived") == "true"
	items := c.st.t(tDataAttributes).filter(func(r record) bool {
		return (model == "" || str(r, "model") == model) && (archived || !boolean(r, "archived"))
	})
	return record{"type": "list", "data": render(items, copyRecord)}, nil
}

func hCreateDataAttribute(c *call) (any, *apiError) {
	name, model := str(c.body, "name"), str(c.body, "model")
	if !attributeNameRE.MatchString(name) {
		return nil, errInvalid(msgAttributeName)
	}
	if c.st.t(tDataAttributes).find(func(r record) bool {
		return str(r, "model") == model && strings.EqualFold(str(r, "name"), name)
	}) != nil {
		return nil, errInvalid(msgAttributeExists, name, model)
	}
	dataType := str(c.body, "data_type")
	if dataType == "datetime" {
		dataType = "date"
	}
	opts := list(c.body, "options")
	if len(opts) > 0 && dataType != "string" {
		return nil, errInvalid(msgInvalid, "options")
	}
	a := c.st.newDataAttribute(model, name, dataType, str(c.body, "description"), true, c.now)
	if len(opts) > 0 {
		a["options"] = opts
	}
	if v, ok := c.body["messenger_writable"].(bool); ok {
		a["messenger_writable"] = v
	}
	c.st.t(tDataAttributes).put(a)
	return copyRecord(a), nil
}

func hUpdateDataAttribute(c *call) (any, *apiError) {
	a := c.st.t(tDataAttributes).get(c.param("id"))
	if a == nil || !boolean(a, "custom") {
		return nil, errNotFound(codeFieldNotFound, msgFieldNotFound)
	}
	if boolean(c.body, "archived") && c.st.attributeInUse(a) {
		return nil, newError(http.StatusUnprocessableEntity, codeDataInvalid, "The Data Attribute you are trying to archive has a dependant object")
	}
	if opts, ok := c.body["options"]; ok && str(a, "data_type") != "string" && len(strs(opts)) > 0 {
		return nil, errInvalid(msgInvalid, "options")
	}
	for _, k := range []string{"archived", "description", "options", "messenger_writable"} {
		if v, ok := c.body[k]; ok {
			a[k] = v
		}
	}
	a["updated_at"] = c.now
	return copyRecord(a), nil
}

// attributeInUse reports whether a segment's rule reads the attribute.
func (st *store) attributeInUse(a record) bool {
	full := str(a, "full_name")
	return st.t(tSegments).find(func(r record) bool { return mentionsValue(r["_rule"], full) }) != nil
}

// Data events.

func (c *call) eventContact(id, userID, email string) (record, *apiError) {
	ct := c.st.findContact(id, userID, email)
	if ct == nil {
		return nil, errContactNotFound
	}
	return ct, nil
}

func hCreateDataEvent(c *call) (any, *apiError) {
	b := c.body
	ct, err := c.eventContact(str(b, "id"), str(b, "user_id"), str(b, "email"))
	if err != nil {
		return nil, err
	}
	name, at := str(b, "event_name"), num(b, "created_at")
	dup := c.st.t(tEvents).find(func(e record) bool {
		return str(e, "intercom_user_id") == str(ct, "id") && str(e, "event_name") == name && num(e, "created_at") == at
	})
	if dup == nil { // Intercom drops exact duplicates
		c.st.t(tEvents).put(c.st.newEvent(ct, name, at, obj(b, "metadata")))
	}
	return &rawResponse{status: http.StatusAccepted}, nil
}

func (st *store) newEvent(ct record, name string, at int64, meta record) record {
	if meta == nil {
		meta = record{}
	}
	return record{
		"type": "event", "id": st.nextHex(tEvents), "event_name": name, "created_at": at,
		"user_id": str(ct, "external_id"), "intercom_user_id": ct["id"], "email": str(ct, "email"), "metadata": meta,
	}
}

func hListDataEvents(c *call) (any, *apiError) {
	q := c.query
	if q.Get("user_id") == "" && q.Get("intercom_user_id") == "" && q.Get("email") == "" {
		return nil, errMissing("user_id, intercom_user_id or email")
	}
	ct, err := c.eventContact(q.Get("intercom_user_id"), q.Get("user_id"), q.Get("email"))
	if err != nil {
		return nil, err
	}
	id := str(ct, "id")
	events := func() []record {
		var events []record
		t := c.st.t(tEvents)
		for i := len(t.ids) - 1; i >= 0; i-- { // newest first
			if e := t.recs[i]; str(e, "intercom_user_id") == id {
				events = append(events, e)
			}
		}
		return events
	}
	if q.Get("summary") == "true" {
		return c.st.eventSummary(ct, events()), nil
	}
	pg := queryPage(q)
	page, pages, _ := c.numberPage(tEvents, events, 50)
	links := record{}
	if int64(pg) < num(pages, "total_pages") {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("page", strconv.Itoa(pg+1))
		links["next"] = c.base + "/events?" + next.Encode()
	}
	return record{"type": "event.list", "events": render(page, copyRecord), "pages": links}, nil
}

// eventSummary counts a contact's events by name, with summaries posted to
// /events/summaries added in.
func (st *store) eventSummary(ct record, events []record) record {
	type agg struct{ first, last, count int64 }
	byName := map[string]*agg{}
	var names []string
	add := func(name string, first, last, count int64) {
		a := byName[name]
		if a == nil {
			a = &agg{first: first, last: last}
			byName[name] = a
			names = append(names, name)
		}
		a.first, a.last, a.count = min(a.first, first), max(a.last, last), a.count+count
	}
	for _, e := range events {
		add(str(e, "event_name"), num(e, "created_at"), num(e, "created_at"), 1)
	}
	for _, s := range st.t(tEventSummaries).all() {
		if str(s, "intercom_user_id") == str(ct, "id") {
			add(str(s, "event_name"), num(s, "first"), num(s, "last"), num(s, "count"))
		}
	}
	out := []any{}
	for _, n := range names {
		a := byName[n]
		out = append(out, record{"name": n, "first": isoTime(a.first), "last": isoTime(a.last), "count": a.count, "description": ""})
	}
	return record{"type": "event.summary", "email": str(ct, "email"), "intercom_user_id": ct["id"], "user_id": str(ct, "external_id"), "events": out}
}

func isoTime(t int64) string { return time.Unix(t, 0).UTC().Format("2006-01-02T15:04:05.000Z07:00") }

func hDataEventSummaries(c *call) (any, *apiError) {
	ct, err := c.eventContact("", str(c.body, "user_id"), "")
	if err != nil {
		return nil, err
	}
	s := obj(c.body, "event_summaries")
	if str(s, "event_name") == "" {
		return nil, errMissing("event_summaries.event_name")
	}
	key := str(ct, "id") + ":" + str(s, "event_name")
	sum := c.st.t(tEventSummaries).get(key)
	if sum == nil {
		sum = record{"id": key, "intercom_user_id": ct["id"], "event_name": s["event_name"], "first": num(s, "first"), "last": num(s, "last"), "count": int64(0)}
		c.st.t(tEventSummaries).put(sum)
	}
	sum["count"] = num(sum, "count") + max(num(s, "count"), 1)
	sum["first"] = min(num(sum, "first"), num(s, "first"))
	sum["last"] = max(num(sum, "last"), num(s, "last"))
	return &rawResponse{status: http.StatusOK}, nil
}

// Data exports: each poll of a job moves it one step, pending → in_progress →
// completed, so scripts see the progression without waiting.

var exportSteps = map[string]string{"pending": "in_progress", "in_progress": "completed"}

// renderExport answers both spellings of the job's id: the schema data_export
// names it job_identfier (sic), while the description's own response examples
// (createDataExport, getDataExport), the path parameter and the official SDKs
// say job_identifier.
func renderExport(j record) record {
	return record{"job_identifier": j["id"], "job_identfier": j["id"], "status": j["status"], "download_expires_at": str(j, "download_expires_at"), "download_url": str(j, "download_url")}
}

func hCreateDataExport(c *call) (any, *apiError) {
	after, before := num(c.body, "created_at_after"), num(c.body, "created_at_before")
	if after >= before {
		return nil, errInvalid(msgInvalid, "created_at_before")
	}
	if c.st.t(tExports).find(func(j record) bool { _, busy := exportSteps[str(j, "status")]; return busy }) != nil {
		return nil, newError(http.StatusTooManyRequests, codeRateLimited, msgExportPending)
	}
	j := record{"id": c.st.nextHex(tExports), "status": "pending", "created_at_after": after, "created_at_before": before, "created_at": c.now}
	c.st.t(tExports).put(j)
	return renderExport(j), nil
}

func (c *call) pathExport() (record, *apiError) {
	j := c.st.t(tExports).get(c.param("job_identifier"))
	if j == nil {
		return nil, errResource
	}
	return j, nil
}

func hGetDataExport(c *call) (any, *apiError) {
	j, err := c.pathExport()
	if err != nil {
		return nil, err
	}
	if next, ok := exportSteps[str(j, "status")]; ok {
		j["status"] = next
		if next == "completed" {
			j["download_url"] = c.base + "/download/content/data/" + str(j, "id")
			j["download_expires_at"] = strconv.FormatInt(c.now+2*24*3600, 10)
		}
	}
	return renderExport(j), nil
}

func hCancelDataExport(c *call) (any, *apiError) {
	j, err := c.pathExport()
	if err != nil {
		return nil, err
	}
	j["status"], j["download_url"], j["download_expires_at"] = "canceled", "", ""
	return renderExport(j), nil
}

var exportColumns = []string{
	"user_id", "user_external_id", "company_id", "email", "name", "ruleset_id", "content_id",
	"content_type", "content_title", "ruleset_version_id", "receipt_id", "received_at", "series_id",
	"series_title", "node_id", "first_reply", "first_completion", "first_series_completion",
	"first_series_disengagement", "first_series_exit", "first_goal_success", "first_open",
	"first_click", "first_dismisall", "first_unsubscribe", "first_hard_bounce",
}

// hDownloadDataExport answers a gzipped CSV of the messages sent in the job's range.
func hDownloadDataExport(c *call) (any, *apiError) {
	j, err := c.pathExport()
	if err != nil {
		return nil, err
	}
	if str(j, "status") != "completed" {
		return nil, errNotFound(codeNotFound, msgExportNotReady)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	w := csv.NewWriter(zw)
	_ = w.Write(exportColumns)
	after, before := num(j, "created_at_after"), num(j, "created_at_before")
	for _, m := range c.st.t(tMessages).all() {
		if at := num(m, "created_at"); at >= after && at <= before {
			_ = w.Write(c.st.exportRow(m))
		}
	}
	w.Flush()
	_ = zw.Close()
	return &rawResponse{status: http.StatusOK, contentType: "application/octet-stream", body: buf.Bytes()}, nil
}

func (st *store) exportRow(m record) []string {
	ct := st.contact(str(m, "_to"))
	if ct == nil {
		ct = record{"id": m["_to"]}
	}
	company := ""
	if ids := idsOf(list(obj(ct, "companies"), "data")); len(ids) > 0 {
		company = ids[0]
	}
	id := str(m, "id")
	at := str(m, "created_at")
	return []string{
		str(ct, "id"), str(ct, "external_id"), company, str(ct, "email"), str(ct, "name"),
		"ruleset-" + id, id, str(m, "message_type"), str(m, "subject"), "1", "receipt-" + id, at,
		"", "", "", "", "", "", "", "", "", at, "", "", "", "",
	}
}

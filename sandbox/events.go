package sandbox

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The events namespace (intercom.events).
func init() {
	register("events", map[string]handler{
		"createDataEvent":    hCreateDataEvent,
		"lisDataEvents":      hListDataEvents,
		"dataEventSummaries": hDataEventSummaries,
	})
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

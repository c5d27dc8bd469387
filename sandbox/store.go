package sandbox

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// record is one stored resource: the JSON object Intercom returns, minus what is
// derived at render time. Keys starting with "_" are the sandbox's own and never rendered.
type record = map[string]any

// Table names, one per resource kind.
const (
	tAdmins         = "admins"
	tTeams          = "teams"
	tActivityLogs   = "activity_logs"
	tContacts       = "contacts"
	tCompanies      = "companies"
	tConversations  = "conversations"
	tTags           = "tags"
	tNotes          = "notes"
	tSegments       = "segments"
	tSubscriptions  = "subscription_types"
	tDataAttributes = "data_attributes"
	tEvents         = "events"
	tEventSummaries = "event_summaries"
	tExports        = "data_exports"
	tMessages       = "messages"
	tNewsItems      = "news_items"
	tNewsfeeds      = "newsfeeds"
	tHelpCenters    = "help_centers"
	tCollections    = "collections"
	tArticles       = "articles"
	tTicketTypes    = "ticket_types"
	tTickets        = "tickets"
	tVisitors       = "visitors"
	tPhoneRedirects = "phone_call_redirects"
)

var tableNames = []string{
	tAdmins, tTeams, tActivityLogs, tContacts, tCompanies, tConversations, tTags, tNotes,
	tSegments, tSubscriptions, tDataAttributes, tEvents, tEventSummaries, tExports, tMessages,
	tNewsItems, tNewsfeeds, tHelpCenters, tCollections, tArticles, tTicketTypes, tTickets,
	tVisitors, tPhoneRedirects,
}

// table holds the records of one kind in creation order. Ids grow with creation
// (see idLess), so the order of ids is the order of creation. recs holds the
// records in that order too, so scans touch no map.
type table struct {
	rows map[string]record
	ids  []string
	recs []record
}

func newTable() *table { return &table{rows: map[string]record{}} }

func (t *table) get(id string) record { return t.rows[id] }

func (t *table) len() int { return len(t.ids) }

func (t *table) index(id string) int {
	return sort.Search(len(t.ids), func(i int) bool { return !idLess(t.ids[i], id) })
}

// put inserts or replaces a record; a new id normally sorts after every
// existing one, or it is inserted in its place.
func (t *table) put(r record) {
	id := str(r, "id")
	if _, ok := t.rows[id]; ok {
		t.rows[id] = r
		t.recs[t.index(id)] = r
		return
	}
	t.rows[id] = r
	n := len(t.ids)
	if n == 0 || idLess(t.ids[n-1], id) {
		t.ids = append(t.ids, id)
		t.recs = append(t.recs, r)
		return
	}
	i := t.index(id)
	t.ids = slices.Insert(t.ids, i, id)
	t.recs = slices.Insert(t.recs, i, r)
}

func (t *table) remove(id string) {
	if _, ok := t.rows[id]; !ok {
		return
	}
	delete(t.rows, id)
	if i := t.index(id); i < len(t.ids) && t.ids[i] == id {
		t.ids = slices.Delete(t.ids, i, i+1)
		t.recs = slices.Delete(t.recs, i, i+1)
	}
}

// all returns the records in creation order (a copy of the slice).
func (t *table) all() []record { return slices.Clone(t.recs) }

// find returns the first record (in creation order) for which ok is true.
func (t *table) find(ok func(record) bool) record {
	for _, r := range t.recs {
		if ok(r) {
			return r
		}
	}
	return nil
}

// filter returns the records for which ok is true, in creation order.
func (t *table) filter(ok func(record) bool) []record {
	var out []record
	for _, r := range t.recs {
		if ok(r) {
			out = append(out, r)
		}
	}
	return out
}

// idLess orders ids by creation: every kind's ids have a fixed width or grow
// in length, so shorter sorts first, then bytes.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// store is the whole workspace. The Sandbox holds mu around every request.
type store struct {
	mu       sync.RWMutex
	Tables   map[string]*table
	Counters map[string]int64
	Prefix   string // hex prefix of hex ids, from the seed
	Admin    string // id of the token's own admin (GET /me)
	App      record // the workspace (app) object

	archived int    // contacts with "_archived" set; 0 lets searches skip the check
	version  uint64 // counts requests that could change the store (write-locked)
	idx      contactIndex
}

func newStore(prefix string) *store {
	st := &store{Tables: map[string]*table{}, Counters: map[string]int64{}, Prefix: prefix}
	for _, n := range tableNames {
		st.Tables[n] = newTable()
	}
	return st
}

func (st *store) t(name string) *table { return st.Tables[name] }

// nameOf is the name of table t.
func (st *store) nameOf(t *table) string {
	for name, tt := range st.Tables {
		if tt == t {
			return name
		}
	}
	return ""
}

// Id bases: numeric ids of each kind start at base+1 with a fixed width.
var numericBase = map[string]int64{
	tAdmins: 991267000, tTeams: 5017000, tActivityLogs: 100000000, tConversations: 100000000,
	tTags: 7000000, tNotes: 10000000, tSubscriptions: 1000, tDataAttributes: 10000000,
	tMessages: 300000000, tNewsItems: 30000, tNewsfeeds: 20000, tHelpCenters: 1000,
	tCollections: 5000000, tArticles: 8000000, tTicketTypes: 1000, tTickets: 600000,
	"ticket_type_attributes": 100000, "parts": 1000000000, "ticket_number": 0, "plans": 100,
	"sources": 400000000,
}

// nextNum returns the next numeric id of kind, as a decimal string.
func (st *store) nextNum(kind string) string {
	st.Counters[kind]++
	return strconv.FormatInt(numericBase[kind]+st.Counters[kind], 10)
}

// hexKinds gives each kind with hex ids its own id space.
var hexKinds = map[string]int{tContacts: 0x0c, tCompanies: 0x1b, tSegments: 0x2a, tEvents: 0x39, tExports: 0x48, tVisitors: 0x57, tPhoneRedirects: 0x66}

// nextHex returns the next 24-hex-digit id of kind, like Intercom's contact ids.
func (st *store) nextHex(kind string) string {
	st.Counters[kind]++
	return fmt.Sprintf("%s%02x%014x", st.Prefix, hexKinds[kind], st.Counters[kind])
}

// snapshot is the JSON form of the store: deterministic (map keys sorted,
// tables in creation order).
type snapshot struct {
	Prefix   string              `json:"prefix"`
	Admin    string              `json:"admin"`
	App      record              `json:"app"`
	Counters map[string]int64    `json:"counters"`
	Tables   map[string][]record `json:"tables"`
}

func (st *store) marshal() ([]byte, error) {
	snap := snapshot{Prefix: st.Prefix, Admin: st.Admin, App: st.App, Counters: st.Counters, Tables: map[string][]record{}}
	for name, t := range st.Tables {
		snap.Tables[name] = t.all()
	}
	return json.Marshal(snap)
}

func unmarshalStore(data []byte) (*store, error) {
	var snap snapshot
	if err := decodeJSON(data, &snap); err != nil {
		return nil, err
	}
	st := newStore(snap.Prefix)
	st.Admin, st.App = snap.Admin, normalize(snap.App).(record)
	for k, v := range snap.Counters {
		st.Counters[k] = v
	}
	defer st.reindexContacts()
	for name, rows := range snap.Tables {
		t, ok := st.Tables[name]
		if !ok && strings.HasPrefix(name, "api:") { // a generic resource (see hGeneric)
			t, ok = st.genericTable(strings.TrimPrefix(name, "api:")), true
		}
		if !ok {
			continue
		}
		for _, r := range rows {
			t.put(normalize(r).(record))
			if name == tContacts && boolean(r, "_archived") {
				st.archived++
			}
		}
	}
	return st, nil
}

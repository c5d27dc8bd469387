package sandbox

import (
	"sort"
	"strings"
)

// contactIndex finds contacts by email (case-insensitive) and external_id
// without scanning the table. Every write of those fields goes through
// store.indexContact / unindexContact.
type contactIndex struct {
	byEmail, byExternal map[string]map[string]bool
}

func (st *store) reindexContacts() {
	st.idx = contactIndex{byEmail: map[string]map[string]bool{}, byExternal: map[string]map[string]bool{}}
	for _, ct := range st.t(tContacts).recs {
		st.indexContact(ct)
	}
}

func addTo(m map[string]map[string]bool, key, id string) {
	if key == "" {
		return
	}
	if m[key] == nil {
		m[key] = map[string]bool{}
	}
	m[key][id] = true
}

func removeFrom(m map[string]map[string]bool, key, id string) {
	if set := m[key]; set != nil {
		delete(set, id)
		if len(set) == 0 {
			delete(m, key)
		}
	}
}

func (st *store) indexContact(ct record) {
	id := str(ct, "id")
	addTo(st.idx.byEmail, strings.ToLower(str(ct, "email")), id)
	addTo(st.idx.byExternal, str(ct, "external_id"), id)
}

func (st *store) unindexContact(ct record) {
	id := str(ct, "id")
	removeFrom(st.idx.byEmail, strings.ToLower(str(ct, "email")), id)
	removeFrom(st.idx.byExternal, str(ct, "external_id"), id)
}

// contactsBy returns the contacts of an index entry in creation order.
func (st *store) contactsBy(m map[string]map[string]bool, key string) []record {
	set := m[key]
	ids := make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return idLess(ids[i], ids[j]) })
	out := make([]record, 0, len(ids))
	for _, id := range ids {
		if ct := st.contact(id); ct != nil {
			out = append(out, ct)
		}
	}
	return out
}

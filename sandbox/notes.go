package sandbox

// The notes namespace (intercom.notes).
func init() {
	register("notes", map[string]handler{
		"listNotes":    hListNotes,
		"createNote":   hCreateNote,
		"retrieveNote": hRetrieveNote,
	})
}

// Notes.

func (st *store) renderNote(n record) record {
	out := copyRecord(n)
	out["contact"] = copyRecord(obj(n, "contact"))
	if a := st.admin(str(n, "_author")); a != nil {
		out["author"] = renderAdmin(a)
	}
	return out
}

func hListNotes(c *call) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("id"))
	if err != nil {
		return nil, err
	}
	page, pages, total := c.numberPage(tNotes, func() []record {
		var notes []record
		t := c.st.t(tNotes)
		for i := len(t.ids) - 1; i >= 0; i-- { // newest first
			if n := t.recs[i]; str(obj(n, "contact"), "id") == str(ct, "id") {
				notes = append(notes, n)
			}
		}
		return notes
	}, helpPerPage)
	return listOf("list", "data", render(page, c.st.renderNote), total, pages), nil
}

func hCreateNote(c *call) (any, *apiError) {
	ct, err := c.lookup(tContacts, c.param("id"))
	if err != nil {
		return nil, err
	}
	adminID := firstNonEmpty(str(c.body, "admin_id"), c.st.Admin)
	if c.st.admin(adminID) == nil {
		return nil, errAdmin
	}
	n := c.st.newNote(ct, adminID, str(c.body, "body"), c.now)
	return c.st.renderNote(n), nil
}

func (st *store) newNote(ct record, adminID, body string, now int64) record {
	n := record{
		"type": "note", "id": st.nextNum(tNotes), "created_at": now,
		"contact": record{"type": "contact", "id": ct["id"]}, "_author": adminID, "body": html(body),
	}
	st.t(tNotes).put(n)
	id := str(n, "id")
	attachRef(ct, "notes", "note", id, "/notes/"+id)
	return n
}

func hRetrieveNote(c *call) (any, *apiError) {
	n, err := c.lookup(tNotes, c.param("id"))
	if err != nil {
		return nil, err
	}
	return c.st.renderNote(n), nil
}

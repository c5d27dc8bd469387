package sandbox

// The helpCenters.collections namespace (intercom.helpCenters.collections).
func init() {
	register("helpCenters.collections", map[string]handler{
		"listAllCollections": hListAllCollections,
		"createCollection":   hCreateCollection,
		"retrieveCollection": hRetrieveCollection,
		"updateCollection":   hUpdateCollection,
		"deleteCollection":   hDeleteCollection,
	})
}

// Collections.

func renderCollection(co record) record {
	out := copyRecord(co)
	out["translated_content"] = deepCopy(co["translated_content"])
	return out
}

func groupContent(name, desc any) record {
	return record{"type": "group_translated_content", "en": record{"type": "group_content", "name": name, "description": desc}}
}

func hListAllCollections(c *call) (any, *apiError) {
	page, pages, total := c.numberPage(tCollections, c.st.t(tCollections).all, helpPerPage)
	return listOf("list", "data", render(page, renderCollection), total, pages), nil
}

func (c *call) checkCollectionRefs() *apiError {
	if p, ok := c.body["parent_id"]; ok && p != nil && c.st.t(tCollections).get(asString(p)) == nil {
		return errInvalid(msgInvalid, "parent_id")
	}
	if h, ok := c.body["help_center_id"]; ok && h != nil && c.st.t(tHelpCenters).get(asString(h)) == nil {
		return errInvalid(msgInvalid, "help_center_id")
	}
	return nil
}

func (st *store) newCollection(name string, hcID int64, now int64) record {
	id := st.nextNum(tCollections)
	return record{
		"id": id, "workspace_id": str(st.App, "id_code"), "name": name, "description": nil,
		"created_at": now, "updated_at": now, "url": st.helpCenterURL(asString(hcID)) + "/en/collections/" + id + "-" + slug(name),
		"icon": "book-bookmark", "order": int64(st.t(tCollections).len() + 1), "default_locale": "en",
		"translated_content": groupContent(name, nil), "parent_id": nil, "help_center_id": hcID,
	}
}

func hCreateCollection(c *call) (any, *apiError) {
	if err := c.checkCollectionRefs(); err != nil {
		return nil, err
	}
	hcID, ok := asInt(c.body["help_center_id"])
	if !ok {
		hcID, _ = asInt(c.st.t(tHelpCenters).all()[0]["id"])
	}
	co := c.st.newCollection(str(c.body, "name"), hcID, c.now)
	applyCollectionBody(co, c.body, c.now)
	c.st.t(tCollections).put(co)
	return renderCollection(co), nil
}

func applyCollectionBody(co, b record, now int64) {
	for _, k := range []string{"name", "description", "parent_id"} {
		if v, ok := b[k]; ok {
			co[k] = v
		}
	}
	if v, ok := b["parent_id"]; ok && v != nil {
		co["parent_id"] = asString(v)
	}
	tc := obj(co, "translated_content")
	if in, ok := b["translated_content"].(map[string]any); ok {
		for k, v := range in {
			tc[k] = v
		}
	}
	tc["en"] = record{"type": "group_content", "name": co["name"], "description": co["description"]}
	co["updated_at"] = now
}

func hRetrieveCollection(c *call) (any, *apiError) {
	co, err := c.lookup(tCollections, c.param("id"))
	if err != nil {
		return nil, err
	}
	return renderCollection(co), nil
}

func hUpdateCollection(c *call) (any, *apiError) {
	co, err := c.lookup(tCollections, c.param("id"))
	if err != nil {
		return nil, err
	}
	if err := c.checkCollectionRefs(); err != nil {
		return nil, err
	}
	applyCollectionBody(co, c.body, c.now)
	return renderCollection(co), nil
}

func hDeleteCollection(c *call) (any, *apiError) {
	co, err := c.lookup(tCollections, c.param("id"))
	if err != nil {
		return nil, err
	}
	id := str(co, "id")
	for _, a := range c.st.t(tArticles).all() {
		if str(a, "parent_id") == id {
			a["parent_id"], a["parent_ids"], a["parent_type"] = nil, []any{}, nil
		}
	}
	c.st.t(tCollections).remove(id)
	return record{"id": id, "object": "collection", "deleted": true}, nil
}

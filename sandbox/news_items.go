package sandbox

// The news.items namespace (intercom.news.items).
func init() {
	register("news.items", map[string]handler{
		"listNewsItems":    hListNewsItems,
		"createNewsItem":   hCreateNewsItem,
		"retrieveNewsItem": hRetrieveNewsItem,
		"updateNewsItem":   hUpdateNewsItem,
		"deleteNewsItem":   hDeleteNewsItem,
	})
}

// News items and newsfeeds.

func renderNewsItem(n record) record { return deepCopy(copyRecord(n)).(record) }

func pagesOne(n int) record {
	return record{"type": "pages", "page": 1, "per_page": max(n, 1), "total_pages": min(n, 1)}
}

func hListNewsItems(c *call) (any, *apiError) {
	items := c.st.t(tNewsItems).all()
	return listOf("list", "data", render(items, renderNewsItem), len(items), pagesOne(len(items))), nil
}

func (c *call) checkNewsBody() *apiError {
	if v, ok := c.body["sender_id"]; ok && c.st.admin(asString(v)) == nil {
		return errInvalid(msgInvalid, "sender_id")
	}
	for _, it := range list(c.body, "newsfeed_assignments") {
		m, _ := it.(map[string]any)
		if c.st.t(tNewsfeeds).get(str(m, "newsfeed_id")) == nil {
			return errInvalid(msgInvalid, "newsfeed_assignments.newsfeed_id")
		}
	}
	return nil
}

func (st *store) newNewsItem(now int64) record {
	return record{
		"type": "news-item", "id": st.nextNum(tNewsItems), "workspace_id": str(st.App, "id_code"),
		"title": "", "body": "", "sender_id": int64(0), "state": "draft", "newsfeed_assignments": []any{},
		"labels": []any{}, "cover_image_url": nil, "reactions": []any{}, "deliver_silently": false,
		"created_at": now, "updated_at": now,
	}
}

func applyNewsBody(n, b record, now int64) {
	for _, k := range []string{"title", "sender_id", "state", "deliver_silently", "labels", "reactions"} {
		if v, ok := b[k]; ok && v != nil {
			n[k] = v
		}
	}
	if s, ok := b["body"].(string); ok {
		n["body"] = html(s)
	}
	if v, ok := b["newsfeed_assignments"].([]any); ok {
		for _, it := range v {
			m := it.(map[string]any)
			if _, ok := m["published_at"]; !ok {
				m["published_at"] = now
			}
		}
		n["newsfeed_assignments"] = v
	}
	n["updated_at"] = now
}

func hCreateNewsItem(c *call) (any, *apiError) {
	if err := c.checkNewsBody(); err != nil {
		return nil, err
	}
	n := c.st.newNewsItem(c.now)
	applyNewsBody(n, c.body, c.now)
	c.st.t(tNewsItems).put(n)
	return renderNewsItem(n), nil
}

func hRetrieveNewsItem(c *call) (any, *apiError) {
	n, err := c.lookup(tNewsItems, c.param("id"))
	if err != nil {
		return nil, err
	}
	return renderNewsItem(n), nil
}

func hUpdateNewsItem(c *call) (any, *apiError) {
	n, err := c.lookup(tNewsItems, c.param("id"))
	if err != nil {
		return nil, err
	}
	if err := c.checkNewsBody(); err != nil {
		return nil, err
	}
	applyNewsBody(n, c.body, c.now)
	return renderNewsItem(n), nil
}

func hDeleteNewsItem(c *call) (any, *apiError) {
	n, err := c.lookup(tNewsItems, c.param("id"))
	if err != nil {
		return nil, err
	}
	c.st.t(tNewsItems).remove(str(n, "id"))
	return record{"id": str(n, "id"), "object": "news-item", "deleted": true}, nil
}

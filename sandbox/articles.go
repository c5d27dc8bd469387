package sandbox

import "strings"

// The articles namespace (intercom.articles).
func init() {
	register("articles", map[string]handler{
		"listArticles":    hListArticles,
		"createArticle":   hCreateArticle,
		"retrieveArticle": hRetrieveArticle,
		"updateArticle":   hUpdateArticle,
		"deleteArticle":   hDeleteArticle,
		"searchArticles":  hSearchArticles,
	})
}

// Articles.

func renderArticle(a record) record {
	out := copyRecord(a)
	out["translated_content"] = deepCopy(a["translated_content"])
	out["parent_ids"] = deepCopy(a["parent_ids"])
	return out
}

func (c *call) checkArticleRefs() *apiError {
	if v, ok := c.body["author_id"]; ok && c.st.admin(asString(v)) == nil {
		return errInvalid(msgInvalid, "author_id")
	}
	if v, ok := c.body["parent_id"]; ok && v != nil && c.st.t(tCollections).get(asString(v)) == nil {
		return errInvalid(msgInvalid, "parent_id")
	}
	return nil
}

func (st *store) newArticle(title string, authorID int64, now int64) record {
	return record{
		"type": "article", "id": st.nextNum(tArticles), "workspace_id": str(st.App, "id_code"),
		"title": title, "description": nil, "body": nil, "author_id": authorID, "state": "draft",
		"created_at": now, "updated_at": now, "url": nil, "parent_id": nil, "parent_ids": []any{},
		"parent_type": nil, "default_locale": "en",
		"translated_content": record{"type": "article_translated_content"},
	}
}

// applyArticleBody writes fields and keeps the English translation and url in step.
func (st *store) applyArticleBody(a, b record, now int64) {
	for _, k := range []string{"title", "description", "body", "author_id", "state"} {
		if v, ok := b[k]; ok {
			a[k] = v
		}
	}
	if v, ok := b["parent_id"]; ok && v != nil {
		n, _ := asInt(v)
		a["parent_id"], a["parent_type"], a["parent_ids"] = n, "collection", []any{n}
	}
	if s, ok := a["body"].(string); ok {
		a["body"] = html(s)
	}
	tc := obj(a, "translated_content")
	if in, ok := b["translated_content"].(map[string]any); ok {
		for k, v := range in {
			tc[k] = v
		}
	}
	a["url"] = nil
	if str(a, "state") == "published" {
		hc := ""
		if col := st.t(tCollections).get(str(a, "parent_id")); col != nil {
			hc = str(col, "help_center_id")
		}
		a["url"] = st.helpCenterURL(hc) + "/en/articles/" + str(a, "id") + "-" + slug(str(a, "title"))
	}
	a["updated_at"] = now
	tc["en"] = record{
		"type": "article_content", "title": a["title"], "description": str(a, "description"), "body": str(a, "body"),
		"author_id": a["author_id"], "state": a["state"], "created_at": a["created_at"], "updated_at": now, "url": str(a, "url"),
	}
}

func hListArticles(c *call) (any, *apiError) {
	page, pages, total := c.numberPage(tArticles, c.st.t(tArticles).all, helpPerPage)
	return listOf("list", "data", render(page, renderArticle), total, pages), nil
}

func hCreateArticle(c *call) (any, *apiError) {
	if err := c.checkArticleRefs(); err != nil {
		return nil, err
	}
	a := c.st.newArticle(str(c.body, "title"), num(c.body, "author_id"), c.now)
	c.st.applyArticleBody(a, c.body, c.now)
	c.st.t(tArticles).put(a)
	return renderArticle(a), nil
}

func hRetrieveArticle(c *call) (any, *apiError) {
	a, err := c.lookup(tArticles, c.param("id"))
	if err != nil {
		return nil, err
	}
	return renderArticle(a), nil
}

func hUpdateArticle(c *call) (any, *apiError) {
	a, err := c.lookup(tArticles, c.param("id"))
	if err != nil {
		return nil, err
	}
	if err := c.checkArticleRefs(); err != nil {
		return nil, err
	}
	c.st.applyArticleBody(a, c.body, c.now)
	return renderArticle(a), nil
}

func hDeleteArticle(c *call) (any, *apiError) {
	a, err := c.lookup(tArticles, c.param("id"))
	if err != nil {
		return nil, err
	}
	c.st.t(tArticles).remove(str(a, "id"))
	return record{"id": str(a, "id"), "object": "article", "deleted": true}, nil
}

// hSearchArticles matches the phrase (case-insensitive) in titles,
// descriptions and bodies; state defaults to published, "all" takes any.
func hSearchArticles(c *call) (any, *apiError) {
	phrase := strings.ToLower(c.query.Get("phrase"))
	state := firstNonEmpty(c.query.Get("state"), "published")
	if state != "published" && state != "draft" && state != "all" {
		return nil, enumError("state", []string{"published", "draft", "all"})
	}
	hcID := c.query.Get("help_center_id")
	page, pages, total := c.numberPage(tArticles, func() []record {
		var hits []record
		for _, a := range c.st.t(tArticles).all() {
			if state != "all" && str(a, "state") != state {
				continue
			}
			if hcID != "" && c.st.articleHelpCenter(a) != hcID {
				continue
			}
			text := strings.ToLower(str(a, "title") + " " + str(a, "description") + " " + tagRE.ReplaceAllString(str(a, "body"), " "))
			if phrase == "" || strings.Contains(text, phrase) {
				hits = append(hits, a)
			}
		}
		return hits
	}, helpPerPage)
	highlights := []any{}
	if c.query.Get("highlight") == "true" {
		for _, a := range page {
			highlights = append(highlights, highlight(a, phrase))
		}
	}
	return record{
		"type": "list", "total_count": total, "pages": pages,
		"data": record{"articles": render(page, renderArticle), "highlights": highlights},
	}, nil
}

func (st *store) articleHelpCenter(a record) string {
	if col := st.t(tCollections).get(str(a, "parent_id")); col != nil {
		return str(col, "help_center_id")
	}
	return ""
}

// highlight splits an article's title around the phrase.
func highlight(a record, phrase string) record {
	title := str(a, "title")
	parts := []any{}
	if i := strings.Index(strings.ToLower(title), phrase); phrase != "" && i >= 0 {
		if i > 0 {
			parts = append(parts, record{"type": "plain", "text": title[:i]})
		}
		parts = append(parts, record{"type": "highlight", "text": title[i : i+len(phrase)]})
		if rest := title[i+len(phrase):]; rest != "" {
			parts = append(parts, record{"type": "plain", "text": rest})
		}
	} else {
		parts = append(parts, record{"type": "plain", "text": title})
	}
	summary := []any{[]any{record{"type": "plain", "text": str(a, "description")}}}
	return record{"article_id": str(a, "id"), "highlighted_title": parts, "highlighted_summary": summary}
}

package sandbox

// The news.feeds namespace (intercom.news.feeds).
func init() {
	register("news.feeds", map[string]handler{
		"listLiveNewsfeedItems": hListLiveNewsfeedItems,
		"listNewsfeeds":         hListNewsfeeds,
		"retrieveNewsfeed":      hRetrieveNewsfeed,
	})
}

func hListNewsfeeds(c *call) (any, *apiError) {
	items := c.st.t(tNewsfeeds).all()
	return listOf("list", "data", render(items, copyRecord), len(items), pagesOne(len(items))), nil
}

func hRetrieveNewsfeed(c *call) (any, *apiError) {
	f, err := c.lookup(tNewsfeeds, c.param("id"))
	if err != nil {
		return nil, err
	}
	return copyRecord(f), nil
}

// hListLiveNewsfeedItems lists the live items assigned to a newsfeed.
func hListLiveNewsfeedItems(c *call) (any, *apiError) {
	f, err := c.lookup(tNewsfeeds, c.param("id"))
	if err != nil {
		return nil, err
	}
	id := str(f, "id")
	items := c.st.t(tNewsItems).filter(func(n record) bool {
		if str(n, "state") != "live" {
			return false
		}
		for _, it := range list(n, "newsfeed_assignments") {
			if str(it.(map[string]any), "newsfeed_id") == id {
				return true
			}
		}
		return false
	})
	return listOf("list", "data", render(items, renderNewsItem), len(items), pagesOne(len(items))), nil
}

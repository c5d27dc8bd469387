package sandbox

import "github.com/icscript/icscript/sandbox/search"

// The segments namespace (intercom.segments).
func init() {
	register("segments", map[string]handler{
		"listSegments":    hListSegments,
		"retrieveSegment": hRetrieveSegment,
	})
}

// Segments: each holds a rule (a search query over contacts, "_rule") that
// decides its members.

func renderSegment(sg record) record {
	out := copyRecord(sg)
	delete(out, "count")
	return out
}

// segmentRule is a segment's compiled rule.
type segmentRule struct {
	id any
	m  search.Matcher
}

func (st *store) segmentRules() []segmentRule {
	var out []segmentRule
	for _, sg := range st.t(tSegments).all() {
		if m := segmentMatcher(sg); m != nil {
			out = append(out, segmentRule{sg["id"], m})
		}
	}
	return out
}

// segmentIDsOf lists the segments a contact belongs to.
func segmentIDsOf(ct record, rules []segmentRule) []any {
	out := []any{}
	for _, r := range rules {
		if r.m.Match(ct) {
			out = append(out, r.id)
		}
	}
	return out
}

func segmentMatcher(sg record) search.Matcher {
	rule, ok := sg["_rule"]
	if !ok {
		return nil
	}
	m, err := search.Compile(rule, nil)
	if err != nil {
		return nil
	}
	return m
}

func (st *store) segmentCount(sg record) int {
	m := segmentMatcher(sg)
	if m == nil {
		return 0
	}
	n := 0
	for _, ct := range st.t(tContacts).rows {
		if !boolean(ct, "_archived") && m.Match(ct) {
			n++
		}
	}
	return n
}

func hListSegments(c *call) (any, *apiError) {
	withCount := c.query.Get("include_count") == "true"
	items := []any{}
	for _, sg := range c.st.t(tSegments).all() {
		out := renderSegment(sg)
		if withCount {
			out["count"] = c.st.segmentCount(sg)
		}
		items = append(items, out)
	}
	return record{"type": "segment.list", "segments": items, "pages": record{}}, nil
}

func hRetrieveSegment(c *call) (any, *apiError) {
	sg, err := c.lookup(tSegments, c.param("id"))
	if err != nil {
		return nil, err
	}
	out := renderSegment(sg)
	out["count"] = c.st.segmentCount(sg)
	return out, nil
}

package sandbox

import (
	"strings"

	"github.com/icscript/icscript/internal/lazyregexp"
)

// The helpCenters namespace (intercom.helpCenters).
func init() {
	register("helpCenters", map[string]handler{
		"retrieveHelpCenter": hRetrieveHelpCenter,
		"listHelpCenters":    hListHelpCenters,
	})
}

// Help center listings default to 20 a page.
const helpPerPage = 20

var slugRE = lazyregexp.New(`[^a-z0-9]+`)

func slug(s string) string {
	return strings.Trim(slugRE.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

func (st *store) helpCenterURL(id string) string {
	hc := st.t(tHelpCenters).get(id)
	if hc == nil {
		hc = st.t(tHelpCenters).find(func(record) bool { return true })
	}
	return str(hc, "url")
}

// Help centers.

func hListHelpCenters(c *call) (any, *apiError) {
	page, pages, total := c.numberPage(tHelpCenters, c.st.t(tHelpCenters).all, helpPerPage)
	return listOf("list", "data", render(page, copyRecord), total, pages), nil
}

func hRetrieveHelpCenter(c *call) (any, *apiError) {
	hc, err := c.lookup(tHelpCenters, c.param("id"))
	if err != nil {
		return nil, err
	}
	return copyRecord(hc), nil
}

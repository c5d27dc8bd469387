package sandbox

import (
	"fmt"
	"strconv"
)

// The admins namespace (intercom.admins).
func init() {
	register("admins", map[string]handler{
		"identifyAdmin":    hIdentifyAdmin,
		"setAwayAdmin":     hSetAwayAdmin,
		"listActivityLogs": hListActivityLogs,
		"listAdmins":       hListAdmins,
		"retrieveAdmin":    hRetrieveAdmin,
	})
}

func (st *store) admin(id string) record { return st.t(tAdmins).get(id) }

func renderAdmin(a record) record {
	out := copyRecord(a)
	out["avatar"] = nullable(str(a, "avatar"))
	return out
}

func hIdentifyAdmin(c *call) (any, *apiError) {
	a, err := c.lookup(tAdmins, c.st.Admin)
	if err != nil {
		return nil, err
	}
	out := copyRecord(a)
	out["avatar"] = record{"type": "avatar", "image_url": nullable(str(a, "avatar"))}
	out["email_verified"] = true
	out["app"] = deepCopy(c.st.App)
	return out, nil
}

func hListAdmins(c *call) (any, *apiError) {
	return record{"type": "admin.list", "admins": render(c.st.t(tAdmins).all(), renderAdmin)}, nil
}

func hRetrieveAdmin(c *call) (any, *apiError) {
	a, err := c.lookup(tAdmins, c.param("id"))
	if err != nil {
		return nil, err
	}
	return renderAdmin(a), nil
}

func hSetAwayAdmin(c *call) (any, *apiError) {
	a, err := c.lookup(tAdmins, c.param("id"))
	if err != nil {
		return nil, err
	}
	a["away_mode_enabled"] = c.body["away_mode_enabled"]
	a["away_mode_reassign"] = c.body["away_mode_reassign"]
	c.st.logActivity(a, "admin_away_mode_change", fmt.Sprintf("%s changed their away mode.", str(a, "name")),
		record{"away_mode": c.body["away_mode_enabled"], "reassign_conversations": c.body["away_mode_reassign"]}, c.now)
	return renderAdmin(a), nil
}

// logActivity appends an admin activity log entry.
func (st *store) logActivity(a record, typ, desc string, meta record, at int64) {
	st.t(tActivityLogs).put(record{
		"id":                   st.nextNum(tActivityLogs),
		"performed_by":         record{"type": "admin", "id": str(a, "id"), "email": str(a, "email"), "ip": "127.0.0.1"},
		"metadata":             meta,
		"created_at":           at,
		"activity_type":        typ,
		"activity_description": desc,
	})
}

func hListActivityLogs(c *call) (any, *apiError) {
	after, _ := strconv.ParseInt(c.query.Get("created_at_after"), 10, 64)
	before, err := strconv.ParseInt(c.query.Get("created_at_before"), 10, 64)
	if err != nil {
		before = 1 << 62
	}
	page, pages, _ := c.numberPage(tActivityLogs, func() []record {
		return c.st.t(tActivityLogs).filter(func(r record) bool {
			t := num(r, "created_at")
			return t >= after && t <= before
		})
	}, 20)
	return record{"type": "activity_log.list", "pages": pages, "activity_logs": render(page, copyRecord)}, nil
}

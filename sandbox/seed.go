package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Default sizes of the seeded workspace.
const (
	defaultContacts      = 200
	defaultCompanies     = 50
	defaultConversations = 300
	day                  = int64(24 * 3600)
)

// seeder builds a workspace from one seeded generator, in a fixed order, so
// the same seed gives the same workspace.
type seeder struct {
	st   *store
	r    *rand.Rand
	now  int64
	tags []record
}

func seed(opts Options, now time.Time) *store {
	st := newStore(idPrefix(opts.Seed))
	g := &seeder{st: st, r: rand.New(rand.NewPCG(uint64(opts.Seed), 0x1c5c41)), now: now.Unix()}
	g.app()
	g.admins()
	g.teams()
	g.tagList()
	g.dataAttributes()
	g.subscriptionTypes()
	g.companies(orDefault(opts.Companies, defaultCompanies))
	g.contacts(orDefault(opts.Contacts, defaultContacts))
	g.segments()
	g.conversations(orDefault(opts.Conversations, defaultConversations))
	g.ticketTypes()
	g.tickets(30)
	g.helpCenter()
	g.news()
	g.events(400)
	g.messages(20)
	g.notes(40)
	g.visitors(10)
	st.reindexContacts()
	return st
}

func orDefault(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

func (g *seeder) pick(list []string) string { return list[g.r.IntN(len(list))] }

// ago is a time up to days before now.
func (g *seeder) ago(days int64) int64 { return g.now - g.r.Int64N(days*day+1) }

func (g *seeder) app() {
	g.st.App = record{
		"type": "app", "id_code": strings.ToLower(g.st.Prefix[:8]), "name": "Acme (sandbox)", "region": "US",
		"timezone": "Europe/Dublin", "created_at": g.now - 400*day, "identity_verification": false, "secure": false,
	}
}

func (g *seeder) admins() {
	for i, a := range adminSeeds {
		first, _, _ := strings.Cut(a.name, " ")
		rec := record{
			"type": "admin", "id": g.st.nextNum(tAdmins), "name": a.name,
			"email": strings.ToLower(foldASCII(first)) + "@acme.test", "job_title": a.title,
			"away_mode_enabled": false, "away_mode_reassign": false, "has_inbox_seat": true,
			"team_ids": []any{}, "avatar": fmt.Sprintf("https://static.intercomassets.com/avatars/%d/square_128/admin.png", i+1),
			"team_priority_level": record{},
		}
		g.st.t(tAdmins).put(rec)
		if i == 0 {
			g.st.Admin = str(rec, "id")
		}
	}
}

func (g *seeder) teams() {
	admins := g.st.t(tAdmins).all()
	for i, name := range teamSeeds {
		t := record{"type": "team", "id": g.st.nextNum(tTeams), "name": name, "admin_ids": []any{}, "admin_priority_level": record{}}
		tid, _ := asInt(t["id"])
		for j, a := range admins {
			if j%len(teamSeeds) == i || j == 0 {
				aid, _ := asInt(a["id"])
				t["admin_ids"] = append(list(t, "admin_ids"), aid)
				a["team_ids"] = append(list(a, "team_ids"), tid)
			}
		}
		g.st.t(tTeams).put(t)
	}
	now := g.now
	for i := 0; i < 20; i++ {
		a := admins[g.r.IntN(len(admins))]
		g.st.logActivity(a, "admin_login_success", str(a, "name")+" logged in.", record{"sign_in_method": "email_password"}, now-int64(20-i)*day/2)
	}
}

func (g *seeder) tagList() {
	for _, name := range tagSeeds {
		t := record{"type": "tag", "id": g.st.nextNum(tTags), "name": name}
		g.st.t(tTags).put(t)
		g.tags = append(g.tags, t)
	}
}

func (g *seeder) tagNamed(name string) record {
	for _, t := range g.tags {
		if t["name"] == name {
			return t
		}
	}
	return nil
}

func (g *seeder) dataAttributes() {
	created := g.now - 300*day
	for _, s := range []struct{ model, name, typ string }{
		{"contact", "name", "string"}, {"contact", "email", "string"}, {"contact", "phone", "string"},
		{"contact", "external_id", "string"}, {"contact", "role", "string"}, {"contact", "created_at", "date"},
		{"contact", "signed_up_at", "date"}, {"contact", "last_seen_at", "date"}, {"contact", "owner_id", "integer"},
		{"contact", "unsubscribed_from_emails", "boolean"},
		{"company", "name", "string"}, {"company", "company_id", "string"}, {"company", "plan", "string"},
		{"company", "size", "integer"}, {"company", "website", "string"}, {"company", "industry", "string"},
		{"company", "monthly_spend", "float"},
	} {
		a := g.st.newDataAttribute(s.model, s.name, s.typ, "", false, created)
		a["api_writable"] = s.name != "created_at" && s.name != "role"
		g.st.t(tDataAttributes).put(a)
	}
	for _, s := range []struct{ model, name, typ, desc string }{
		{"contact", "plan", "string", "The contact's billing plan"}, {"contact", "seats", "integer", "Paid seats"},
		{"contact", "mrr", "float", "Monthly recurring revenue"}, {"contact", "trial", "boolean", "In a free trial"},
		{"contact", "renewal_date", "date", "Next renewal"}, {"contact", "region", "string", "Sales region"},
		{"contact", "legacy_id", "string", "Id in the old CRM"},
		{"company", "tier", "string", "Support tier"}, {"company", "health", "string", "Account health: green, amber or red"},
		{"company", "employees_band", "string", "Headcount band"},
	} {
		a := g.st.newDataAttribute(s.model, s.name, s.typ, s.desc, true, created)
		if s.name == "plan" && s.model == "contact" {
			a["options"] = []any{"free", "starter", "pro", "enterprise"}
		}
		if s.name == "legacy_id" {
			a["archived"] = true
		}
		g.st.t(tDataAttributes).put(a)
	}
}

func (g *seeder) subscriptionTypes() {
	for _, s := range []struct{ name, desc, consent, content string }{
		{"Product updates", "News about features we ship", "opt_out", "email"},
		{"Newsletter", "Our monthly newsletter", "opt_in", "email"},
		{"SMS alerts", "Incident alerts by text message", "opt_in", "sms_message"},
	} {
		tr := record{"name": s.name, "description": s.desc, "locale": "en"}
		g.st.t(tSubscriptions).put(record{
			"type": "subscription", "id": g.st.nextNum(tSubscriptions), "state": "live",
			"default_translation": tr, "translations": []any{deepCopy(tr)}, "consent_type": s.consent,
			"content_types": []any{s.content},
		})
	}
}

func (g *seeder) companies(n int) {
	for i := 0; i < n; i++ {
		created := g.ago(365)
		name := fmt.Sprintf("%s %s", companyWords[0][i%len(companyWords[0])], companyWords[1][(i/len(companyWords[0]))%len(companyWords[1])])
		if i >= len(companyWords[0])*len(companyWords[1]) {
			name = fmt.Sprintf("%s %d", name, i)
		}
		co := g.st.newCompany(fmt.Sprintf("c-%05d", i+1), created)
		plan := plans[g.r.IntN(len(plans))]
		co["name"] = name
		co["plan"] = record{"type": "plan", "id": fmt.Sprint(101 + indexOf(plans, plan)), "name": plan}
		co["size"] = int64(5 + g.r.IntN(2000))
		co["website"] = "https://" + slug(name) + ".example"
		co["industry"] = g.pick(industries)
		co["monthly_spend"] = int64(g.r.IntN(5000))
		co["session_count"] = int64(g.r.IntN(5000))
		co["last_request_at"] = g.ago(30)
		co["updated_at"] = max(created, g.ago(60))
		co["custom_attributes"] = record{"tier": g.pick([]string{"standard", "premium"}), "health": g.pick([]string{"green", "amber", "red"})}
		if plan == "enterprise" {
			co["tags"] = record{"type": "tag.list", "tags": []any{record{"type": "tag", "id": g.tagNamed("enterprise")["id"]}}}
		}
		g.st.t(tCompanies).put(co)
	}
	g.st.Counters["plans"] = int64(len(plans)) + 1
}

func indexOf(list []string, v string) int {
	for i, e := range list {
		if e == v {
			return i
		}
	}
	return -1
}

func (g *seeder) contacts(n int) {
	companies := g.st.t(tCompanies).all()
	subs := g.st.t(tSubscriptions).all()
	admins := g.st.t(tAdmins).all()
	var userEmails []string
	for i := 0; i < n; i++ {
		ct := g.contact(i, admins)
		if str(ct, "role") == "user" {
			userEmails = append(userEmails, str(ct, "email"))
			g.attachCompanies(ct, companies)
		} else if i%10 == 3 && len(userEmails) > 0 { // a lead sharing a user's email: merge demos
			ct["email"] = userEmails[g.r.IntN(len(userEmails))]
			_, ct["email_domain"], _ = strings.Cut(str(ct, "email"), "@")
		}
		g.tagContact(ct)
		if g.r.IntN(4) == 0 {
			s := subs[g.r.IntN(len(subs))]
			field := "opted_in_subscription_types"
			if str(s, "consent_type") == "opt_out" {
				field = "opted_out_subscription_types"
			}
			attachRef(ct, field, "subscription", str(s, "id"), "/subscriptions/"+str(s, "id"))
		}
		g.st.t(tContacts).put(ct)
	}
}

// contact builds the i-th seeded contact: 3 users for 1 lead.
func (g *seeder) contact(i int, admins []record) record {
	first, last := g.pick(firstNames), g.pick(lastNames)
	created := g.ago(365)
	role := "user"
	if i%4 == 3 {
		role = "lead"
	}
	email := fmt.Sprintf("%s.%s%d@%s.example", strings.ToLower(foldASCII(first)), strings.ToLower(last), i+1, g.pick([]string{"mail", "post", "inbox", "corp"}))
	loc := cities[g.r.IntN(len(cities))]
	ct := record{
		"type": "contact", "id": g.st.nextHex(tContacts), "workspace_id": str(g.st.App, "id_code"),
		"role": role, "email": email, "name": first + " " + last, "has_hard_bounced": g.r.IntN(50) == 0,
		"marked_email_as_spam": false, "unsubscribed_from_emails": g.r.IntN(10) == 0,
		"created_at": created, "updated_at": min(created+g.r.Int64N(60*day), g.now), "last_seen_at": max(created, g.ago(120)),
		"browser": g.pick(browsers), "os": g.pick(oses), "browser_language": "en",
		"location": record{"type": "location", "country": loc.country, "region": loc.region, "city": loc.city, "country_code": loc.code, "continent_code": loc.continent},
		"custom_attributes": record{
			"plan": g.pick(plans), "seats": int64(1 + g.r.IntN(50)), "mrr": float64(g.r.IntN(200000)) / 100,
			"trial": g.r.IntN(5) == 0, "region": strings.ToLower(loc.continent),
		},
	}
	_, ct["email_domain"], _ = strings.Cut(email, "@")
	if role == "user" {
		ct["external_id"] = fmt.Sprintf("u-%06d", i+1)
		ct["signed_up_at"] = created
		obj(ct, "custom_attributes")["renewal_date"] = g.now + g.r.Int64N(365*day)
	}
	if g.r.IntN(3) == 0 {
		ct["owner_id"], _ = asInt(admins[g.r.IntN(len(admins))]["id"])
	}
	if g.r.IntN(2) == 0 {
		ct["phone"] = fmt.Sprintf("+3538%08d", g.r.IntN(100000000))
	}
	return ct
}

func (g *seeder) attachCompanies(ct record, companies []record) {
	if len(companies) == 0 || g.r.IntN(5) == 0 {
		return
	}
	for k := 0; k < 1+g.r.IntN(2); k++ {
		co := companies[g.r.IntN(len(companies))]
		if attachRef(ct, "companies", "company", str(co, "id"), "/companies/"+str(co, "id")) {
			co["user_count"] = num(co, "user_count") + 1
		}
	}
}

func (g *seeder) tagContact(ct record) {
	if g.r.IntN(3) != 0 {
		return
	}
	for k := 0; k < 1+g.r.IntN(2); k++ {
		t := g.tags[g.r.IntN(len(g.tags)-1)] // never the last tag, "unused"
		tagContact(ct, t)
	}
}

func (g *seeder) segments() {
	vip := str(g.tagNamed("vip"), "id")
	for _, s := range []struct {
		name, person string
		rule         record
	}{
		{"All users", "user", record{"field": "role", "operator": "=", "value": "user"}},
		{"All leads", "contact", record{"field": "role", "operator": "=", "value": "lead"}},
		{"Enterprise plan", "user", record{"field": "custom_attributes.plan", "operator": "=", "value": "enterprise"}},
		{"VIPs", "user", record{"field": "tags.data.id", "operator": "=", "value": vip}},
		{"Trialists", "user", record{"operator": "AND", "value": []any{
			record{"field": "custom_attributes.trial", "operator": "=", "value": true},
			record{"field": "role", "operator": "=", "value": "user"},
		}}},
	} {
		created := g.now - 200*day
		g.st.t(tSegments).put(record{
			"type": "segment", "id": g.st.nextHex(tSegments), "name": s.name, "created_at": created,
			"updated_at": created, "person_type": s.person, "_rule": s.rule,
		})
	}
	ent := str(g.st.t(tSegments).find(func(r record) bool { return r["name"] == "Enterprise plan" }), "id")
	for _, co := range g.st.t(tCompanies).all() {
		if str(obj(co, "plan"), "name") == "enterprise" {
			co["_segment_ids"] = []any{ent}
		}
	}
}

func (g *seeder) conversations(n int) {
	contacts := g.st.t(tContacts).all()
	admins, teams := g.st.t(tAdmins).all(), g.st.t(tTeams).all()
	for i := 0; i < n && len(contacts) > 0; i++ {
		ct := contacts[g.r.IntN(len(contacts))]
		created := g.ago(90)
		cv := g.st.newConversation(ct, contactAuthor(ct), g.pick(customerLines), g.pick(subjects), "customer_initiated", created)
		obj(cv, "statistics")["first_contact_reply_at"] = created
		cv["first_contact_reply"] = record{"created_at": created, "type": "conversation", "url": nil}
		g.st.t(tConversations).put(cv)
		g.conversationLife(cv, ct, admins, teams, created)
	}
}

// conversationLife plays a conversation forward: replies, an assignment, and
// an end state (about half closed, a third open, the rest snoozed).
func (g *seeder) conversationLife(cv, ct record, admins, teams []record, t int64) {
	step := func() int64 {
		t = min(t+1+g.r.Int64N(8*3600), g.now)
		return t
	}
	a := admins[g.r.IntN(len(admins))]
	if g.r.IntN(5) != 0 {
		p := g.st.addPart(cv, "assignment", nil, botAuthor(g.st), step())
		team := teams[g.r.IntN(len(teams))]
		p["assigned_to"] = record{"type": "team", "id": team["id"]}
		cv["team_assignee_id"], _ = asInt(team["id"])
		cv["admin_assignee_id"], _ = asInt(a["id"])
		stats := obj(cv, "statistics")
		stats["count_assignments"], stats["first_assignment_at"], stats["last_assignment_at"] = int64(1), t, t
	}
	for k := 0; k < g.r.IntN(5); k++ {
		if k%2 == 0 {
			g.st.addPart(cv, "comment", g.pick(adminLines), g.st.adminAuthor(a), step())
			g.st.addTeammate(cv, str(a, "id"))
			cv["waiting_since"] = nil
			noteAdminReply(cv, t)
		} else {
			g.st.addPart(cv, "comment", g.pick(customerLines), contactAuthor(ct), step())
			cv["waiting_since"] = t
			obj(cv, "statistics")["last_contact_reply_at"] = t
		}
	}
	if g.r.IntN(8) == 0 {
		cv["priority"] = "priority"
		g.st.addPart(cv, "note", "Customer is on a deadline, please prioritise.", g.st.adminAuthor(a), step())
	}
	if g.r.IntN(4) == 0 {
		tl := obj(cv, "tags")
		tg := g.tags[g.r.IntN(len(g.tags)-1)]
		tl["tags"] = append(list(tl, "tags"), record{"type": "tag", "id": tg["id"], "applied_at": t, "applied_by": record{"type": "admin", "id": a["id"]}})
	}
	switch x := g.r.IntN(100); {
	case x < 50:
		g.st.addPart(cv, "close", nil, g.st.adminAuthor(a), step())
		cv["state"], cv["open"], cv["waiting_since"] = "closed", false, nil
		stats := obj(cv, "statistics")
		stats["first_close_at"], stats["last_close_at"], stats["last_closed_by_id"] = t, t, str(a, "id")
	case x < 85:
	default:
		g.st.addPart(cv, "snoozed", nil, g.st.adminAuthor(a), step())
		cv["state"], cv["snoozed_until"] = "snoozed", g.now+(1+g.r.Int64N(14))*day
	}
	cv["read"] = str(cv, "state") != "open" || g.r.IntN(2) == 0
}

func (g *seeder) ticketTypes() {
	created := g.now - 180*day
	for _, s := range []struct{ name, desc, category, icon string }{
		{"Bug report", "Something is broken", "Customer", "🐞"},
		{"Refund request", "A customer asks for money back", "Customer", "💸"},
		{"Feature request", "Tracks demand for a feature", "Tracker", "💡"},
		{"Security review", "Internal security follow-up", "Back-office", "🔒"},
	} {
		tt := g.st.newTicketType(s.name, s.desc, s.category, s.icon, s.category == "Back-office", created)
		if s.name == "Bug report" {
			sev := g.st.newTicketTypeAttribute(tt, "severity", "How bad is it", "list", false, created)
			sev["input_options"] = record{"list_options": []any{
				record{"id": "1", "label": "low", "archived": false}, record{"id": "2", "label": "high", "archived": false},
			}}
			addAttribute(tt, sev)
			addAttribute(tt, g.st.newTicketTypeAttribute(tt, "affected_users", "How many users", "integer", false, created))
		}
		g.st.t(tTicketTypes).put(tt)
	}
}

func (g *seeder) tickets(n int) {
	types, contacts, admins := g.st.t(tTicketTypes).all(), g.st.t(tContacts).all(), g.st.t(tAdmins).all()
	states := []string{"submitted", "in_progress", "waiting_on_customer", "resolved"}
	for i := 0; i < n && len(contacts) > 0; i++ {
		tt := types[g.r.IntN(len(types))]
		ct := contacts[g.r.IntN(len(contacts))]
		created := g.ago(60)
		attrs := record{"_default_title_": g.pick(subjects), "_default_description_": g.pick(customerLines)}
		tk := g.st.newTicket(tt, []string{str(ct, "id")}, attrs, created)
		a := admins[g.r.IntN(len(admins))]
		if state := states[g.r.IntN(len(states))]; state != "submitted" {
			tk["ticket_state"] = state
			tk["ticket_state_internal_label"], tk["ticket_state_external_label"] = ticketStateLabels[state], ticketStateLabels[state]
			g.st.addTicketPart(tk, "ticket_state_updated_by_admin", nil, g.st.adminAuthor(a), "submitted", min(created+3600, g.now))
			tk["admin_assignee_id"] = str(a, "id")
			tk["open"] = state != "resolved"
		}
		g.st.t(tTickets).put(tk)
	}
}

func (g *seeder) helpCenter() {
	created := g.now - 250*day
	for i, hc := range []struct{ name, ident string }{{"Acme Help", "acme"}, {"Acme Developers", "acme-developers"}} {
		g.st.t(tHelpCenters).put(record{
			"id": g.st.nextNum(tHelpCenters), "workspace_id": str(g.st.App, "id_code"), "created_at": created,
			"updated_at": created, "identifier": hc.ident, "website_turned_on": i == 0, "display_name": hc.name,
			"url": "https://" + hc.ident + ".help.acme.test", "custom_domain": nil,
		})
	}
	hcID, _ := asInt(g.st.t(tHelpCenters).all()[0]["id"])
	cols := map[string]record{}
	for _, name := range collectionSeeds {
		co := g.st.newCollection(name, hcID, created)
		co["description"] = "Articles about " + strings.ToLower(name)
		applyCollectionBody(co, record{}, created)
		g.st.t(tCollections).put(co)
		cols[name] = co
	}
	for i, s := range articleSeeds {
		a := g.st.newArticle(s.title, num(g.st.admin(g.st.Admin), "id"), g.ago(200))
		state := "published"
		if i%5 == 4 {
			state = "draft"
		}
		g.st.applyArticleBody(a, record{
			"description": s.desc, "state": state, "parent_id": cols[s.collection]["id"],
			"body": s.desc + ". This article explains " + strings.ToLower(s.title) + " step by step.",
		}, num(a, "created_at"))
		g.st.t(tArticles).put(a)
	}
}

func (g *seeder) news() {
	created := g.now - 120*day
	var feeds []record
	for _, name := range []string{"Product updates", "Company news"} {
		f := record{"id": g.st.nextNum(tNewsfeeds), "type": "newsfeed", "name": name, "created_at": created, "updated_at": created}
		g.st.t(tNewsfeeds).put(f)
		feeds = append(feeds, f)
	}
	for i, title := range []string{"Dark mode is here", "Faster reports", "New Slack integration", "We're hiring", "Pricing update", "Mobile app 3.0"} {
		n := g.st.newNewsItem(g.ago(100))
		feedID, _ := asInt(feeds[i%2]["id"])
		state := "live"
		if i == 4 {
			state = "draft"
		}
		applyNewsBody(n, record{
			"title": title, "body": title + ": read all about it.", "sender_id": num(g.st.admin(g.st.Admin), "id"),
			"state": state, "labels": []any{"Product"}, "reactions": []any{"👍", "🎉"},
			"newsfeed_assignments": []any{record{"newsfeed_id": feedID, "published_at": num(n, "created_at")}},
		}, num(n, "created_at"))
		g.st.t(tNewsItems).put(n)
	}
}

func (g *seeder) events(n int) {
	users := g.st.t(tContacts).filter(func(r record) bool { return str(r, "role") == "user" })
	if len(users) > 200 {
		users = users[:200]
	}
	for i := 0; i < n && len(users) > 0; i++ {
		ct := users[g.r.IntN(len(users))]
		name := g.pick(eventNames)
		meta := record{}
		if name == "upgraded-plan" {
			meta["plan"] = g.pick(plans)
		}
		g.st.t(tEvents).put(g.st.newEvent(ct, name, g.ago(90), meta))
	}
}

func (g *seeder) messages(n int) {
	contacts := g.st.t(tContacts).all()
	a := g.st.admin(g.st.Admin)
	for i := 0; i < n && len(contacts) > 0; i++ {
		ct := contacts[g.r.IntN(len(contacts))]
		kind := "email"
		if i%3 == 0 {
			kind = "in_app"
		}
		m := g.st.sendMessage(a, ct, kind, "Your weekly summary", "Here is what happened this week.", false, g.ago(30))
		m["created_at"] = g.ago(30)
	}
}

func (g *seeder) notes(n int) {
	contacts, admins := g.st.t(tContacts).all(), g.st.t(tAdmins).all()
	for i := 0; i < n && len(contacts) > 0; i++ {
		ct := contacts[g.r.IntN(len(contacts))]
		g.st.newNote(ct, str(admins[g.r.IntN(len(admins))], "id"), g.pick([]string{
			"Prefers email over chat.", "Renewal call booked for next month.", "Asked about SSO pricing.", "Reported the export bug.",
		}), g.ago(60))
	}
}

func (g *seeder) visitors(n int) {
	for i := 0; i < n; i++ {
		created := g.ago(14)
		loc := cities[g.r.IntN(len(cities))]
		g.st.t(tVisitors).put(record{
			"type": "visitor", "id": g.st.nextHex(tVisitors), "user_id": fmt.Sprintf("sandbox-visitor-%04d", i+1),
			"anonymous": true, "phone": nil, "name": nil, "pseudonym": g.pick([]string{"Blue", "Green", "Orange"}) + " " + g.pick([]string{"Lion", "Heron", "Fox"}) + " from " + loc.city,
			"avatar": record{"type": "avatar", "image_url": nil}, "app_id": str(g.st.App, "id_code"),
			"companies": record{"type": "company.list", "companies": []any{}},
			"location_data": record{"type": "location_data", "city_name": loc.city, "continent_code": loc.continent, "country_code": loc.code,
				"country_name": loc.country, "postal_code": "", "region_name": loc.region, "timezone": "Europe/Dublin"},
			"las_request_at": created, "created_at": created, "remote_created_at": created, "signed_up_at": created,
			"updated_at": created, "session_count": int64(1 + g.r.IntN(5)),
			"social_profiles": record{"type": "social_profile.list", "social_profiles": []any{}}, "owner_id": nil,
			"unsubscribed_from_emails": false, "marked_email_as_spam": false, "has_hard_bounced": false,
			"tags": record{"type": "tag.list", "tags": []any{}}, "segments": record{"type": "segment.list", "segments": []any{}},
			"custom_attributes": record{}, "referrer": "https://www.google.com/", "utm_campaign": nil, "utm_content": nil,
			"utm_medium": nil, "utm_source": nil, "utm_term": nil, "do_not_track": nil,
		})
	}
}

// foldASCII drops accents from the Latin letters of the seed's names, for emails.
func foldASCII(s string) string {
	return strings.NewReplacer("é", "e", "ã", "a", "ó", "o", "í", "i", "á", "a").Replace(s)
}

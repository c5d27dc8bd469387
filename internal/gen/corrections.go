package main

import "github.com/icscript/icscript/intercom/catalog"

// This file is the hand-kept part of the catalogue: the JS names (after the
// official Node SDK, intercom-client 7.x) and the corrections where the 2.10
// description is wrong or silent (../shared/openapi/FACTS.md §1 and §6).

// jsNames maps each operationId to its "namespace.method" in JS.
var jsNames = map[string]string{
	"identifyAdmin": "admins.identify", "setAwayAdmin": "admins.away", "listActivityLogs": "admins.listAllActivityLogs",
	"listAdmins": "admins.list", "retrieveAdmin": "admins.find",

	"listArticles": "articles.list", "createArticle": "articles.create", "retrieveArticle": "articles.find",
	"updateArticle": "articles.update", "deleteArticle": "articles.delete", "searchArticles": "articles.search",

	"retrieveHelpCenter": "helpCenters.find", "listHelpCenters": "helpCenters.list",
	"listAllCollections": "helpCenters.collections.list", "createCollection": "helpCenters.collections.create",
	"retrieveCollection": "helpCenters.collections.find", "updateCollection": "helpCenters.collections.update",
	"deleteCollection": "helpCenters.collections.delete",

	"retrieveCompany": "companies.retrieve", "createOrUpdateCompany": "companies.createOrUpdate",
	"RetrieveACompanyById": "companies.find", "UpdateCompany": "companies.update", "deleteCompany": "companies.delete",
	"ListAttachedContacts": "companies.listAttachedContacts", "ListAttachedSegmentsForCompanies": "companies.listAttachedSegments",
	"listAllCompanies": "companies.list", "scrollOverAllCompanies": "companies.scroll",
	"attachContactToACompany": "companies.attachContact", "detachContactFromACompany": "companies.detachContact",

	"listCompaniesForAContact": "contacts.listAttachedCompanies", "listSegmentsForAContact": "contacts.listAttachedSegments",
	"listSubscriptionsForAContact": "contacts.listAttachedSubscriptions", "attachSubscriptionTypeToContact": "contacts.attachSubscription",
	"detachSubscriptionTypeToContact": "contacts.detachSubscription", "listTagsForAContact": "contacts.listAttachedTags",
	"ShowContact": "contacts.find", "UpdateContact": "contacts.update", "DeleteContact": "contacts.delete",
	"MergeContact": "contacts.mergeLeadInUser", "SearchContacts": "contacts.search", "ListContacts": "contacts.list",
	"CreateContact": "contacts.create", "ArchiveContact": "contacts.archive", "UnarchiveContact": "contacts.unarchive",

	"listNotes": "notes.list", "createNote": "notes.create", "retrieveNote": "notes.find",

	"attachTagToContact": "tags.tagContact", "detachTagFromContact": "tags.untagContact",
	"attachTagToConversation": "tags.tagConversation", "detachTagFromConversation": "tags.untagConversation",
	"listTags": "tags.list", "createTag": "tags.create", "findTag": "tags.find", "deleteTag": "tags.delete",
	"attachTagToTicket": "tags.tagTicket", "detachTagFromTicket": "tags.untagTicket",

	"listConversations": "conversations.list", "createConversation": "conversations.create",
	"retrieveConversation": "conversations.find", "updateConversation": "conversations.update",
	"searchConversations": "conversations.search", "replyConversation": "conversations.reply",
	"manageConversation": "conversations.manage", "autoAssignConversation": "conversations.runAssignmentRules",
	"attachContactToConversation": "conversations.attachContactAsAdmin", "detachContactFromConversation": "conversations.detachContactAsAdmin",
	"redactConversation": "conversations.redactConversationPart", "convertConversationToTicket": "conversations.convertToTicket",

	"lisDataAttributes": "dataAttributes.list", "createDataAttribute": "dataAttributes.create", "updateDataAttribute": "dataAttributes.update",
	"lisDataEvents": "events.list", "createDataEvent": "events.create", "dataEventSummaries": "events.summaries",
	"createDataExport": "dataExport.create", "getDataExport": "dataExport.find", "cancelDataExport": "dataExport.cancel",
	"downloadDataExport": "dataExport.download",
	"createMessage":      "messages.create",
	"listSegments":       "segments.list", "retrieveSegment": "segments.find",
	"listSubscriptionTypes": "subscriptionTypes.list",
	"createPhoneSwitch":     "phoneCallRedirects.create",
	"listTeams":             "teams.list", "retrieveTeam": "teams.find",

	"listTicketTypes": "ticketTypes.list", "createTicketType": "ticketTypes.create", "getTicketType": "ticketTypes.get",
	"updateTicketType": "ticketTypes.update", "createTicketTypeAttribute": "ticketTypes.attributes.create",
	"updateTicketTypeAttribute": "ticketTypes.attributes.update",
	"replyTicket":               "tickets.reply", "createTicket": "tickets.create", "getTicket": "tickets.get",
	"updateTicket": "tickets.update", "searchTickets": "tickets.search",
	"updateVisitor": "visitors.update", "retrieveVisitorWithUserId": "visitors.find", "convertVisitor": "visitors.mergeToContact",

	"listNewsItems": "news.items.list", "createNewsItem": "news.items.create", "retrieveNewsItem": "news.items.find",
	"updateNewsItem": "news.items.update", "deleteNewsItem": "news.items.delete",
	"listNewsfeeds": "news.feeds.list", "retrieveNewsfeed": "news.feeds.find", "listLiveNewsfeedItems": "news.feeds.listItems",
}

// paging is how each list or search operation is paged and where its items
// are (FACTS.md §1). Operations absent here return a single object.
var paging = map[string]struct {
	style catalog.Pagination
	items string
}{
	"listActivityLogs":                 {catalog.PagePagesOnly, "activity_logs"},
	"listAdmins":                       {catalog.PageNone, "admins"},
	"listArticles":                     {catalog.PageNumber, "data"},
	"searchArticles":                   {catalog.PagePagesOnly, "data.articles"},
	"listAllCollections":               {catalog.PageNumber, "data"},
	"listHelpCenters":                  {catalog.PageNumber, "data"},
	"retrieveCompany":                  {catalog.PageNumber, "data"},
	"ListAttachedContacts":             {catalog.PagePagesOnly, "data"},
	"ListAttachedSegmentsForCompanies": {catalog.PageNone, "data"},
	"listAllCompanies":                 {catalog.PageNumber, "data"},
	"scrollOverAllCompanies":           {catalog.PageScroll, "data"},
	"listCompaniesForAContact":         {catalog.PageNumber, "companies"},
	"listNotes":                        {catalog.PageNumber, "data"},
	"listSegmentsForAContact":          {catalog.PageNone, "data"},
	"listSubscriptionsForAContact":     {catalog.PageNone, "data"},
	"listTagsForAContact":              {catalog.PageNone, "data"},
	"SearchContacts":                   {catalog.PageSearch, "data"},
	"ListContacts":                     {catalog.PageCursor, "data"},
	"listConversations":                {catalog.PageCursor, "conversations"},
	"searchConversations":              {catalog.PageSearch, "conversations"},
	"lisDataAttributes":                {catalog.PageNone, "data"},
	"lisDataEvents":                    {catalog.PageLink, "events"},
	"listNewsItems":                    {catalog.PagePagesOnly, "data"},
	"listLiveNewsfeedItems":            {catalog.PagePagesOnly, "data"},
	"listNewsfeeds":                    {catalog.PagePagesOnly, "data"},
	"listSegments":                     {catalog.PageNone, "segments"},
	"listSubscriptionTypes":            {catalog.PageNone, "data"},
	"listTags":                         {catalog.PageNone, "data"},
	"listTeams":                        {catalog.PageNone, "teams"},
	"listTicketTypes":                  {catalog.PageNone, "data"}, // the example and the official SDK, not the schema
	"searchTickets":                    {catalog.PageSearch, "tickets"},
}

// pagingParams are the query parameters that paged operations accept but
// the description does not declare (FACTS.md §1, daggers).
var pagingParams = map[catalog.Pagination][]catalog.Param{
	catalog.PageNumber: {{Name: "page", In: "query", Type: "integer"}, {Name: "per_page", In: "query", Type: "integer"}},
	catalog.PageCursor: {{Name: "per_page", In: "query", Type: "integer"}, {Name: "starting_after", In: "query", Type: "string"}},
	catalog.PageLink:   {{Name: "per_page", In: "query", Type: "integer"}},
	catalog.PageScroll: {{Name: "scroll_param", In: "query", Type: "string"}},
}

// readOnlyPOSTs are POSTs that only read: safe to retry, never "mutations".
var readOnlyPOSTs = map[string]bool{
	"SearchContacts": true, "searchConversations": true, "searchTickets": true, "listAllCompanies": true,
}

// irreversible operations destroy data or send something to customers.
var irreversible = map[string]bool{
	"DeleteContact": true, "deleteCompany": true, "deleteArticle": true, "deleteCollection": true,
	"deleteNewsItem": true, "deleteTag": true, "MergeContact": true, "redactConversation": true,
	"createMessage": true, "createPhoneSwitch": true,
	// convertVisitor merges the visitor into a lead or user (the description:
	// "You can merge a Visitor to a Contact"), as MergeContact does.
	"convertVisitor": true,
}

// binary operations answer with bytes, not JSON.
var binary = map[string]bool{"downloadDataExport": true}

// bodyFixes supplies bodies the description omits: UpdateCompany takes the
// company's fields although 2.10 declares no body.
var bodyFixes = map[string]*catalog.Schema{
	"UpdateCompany": {Ref: "create_or_update_company_request"},
}

// responseFixes names the success schema where the description names a wrong
// one: listConversations declares paginated_response (news items) in 2.10
// and 2.12; 2.11 names paginated_conversation_response and 2.13 on
// conversation_list, both right, so the fix applies only where the
// description names the wrong schema (wrong; "" for any).
var responseFixes = map[string]struct {
	versions
	wrong, schema string
}{
	"listConversations": {versions{to: "2.12"}, "paginated_response", "conversation_list"},
	"listTicketTypes":   {versions{}, "", "ticket_type_list"},
}

// schemaFixes adds component schemas the description references but lacks.
var schemaFixes = map[string]*catalog.Schema{
	"custom_attributes": {Type: "object", MapOf: &catalog.Schema{}},
}

// retryRule is the decision for one PUT or DELETE: may a request be sent
// again after an attempt whose outcome is unknown (see catalog.Retry)?
type retryRule struct {
	sideEffects []string // body fields that add a record each time a request carrying them is applied
	gone        string   // "deleted" or "detached": a 404 to a resend means an earlier attempt applied it
	goneID      string   // path parameter of the object a success answer describes; default the path's last
	why         string
}

// retryRules decides for every PUT and DELETE of the description, each with
// its reason; the generator refuses a PUT or DELETE missing here. The
// evidence is the description's own examples: updateTicket's answer lists a
// ticket part for each state change (even from "submitted" to "submitted"),
// attribute change, assignment and snooze it applied; updateConversation's
// lists a conversation_attribute_updated_by_admin part per custom attribute
// set. A PUT that only sets fields and a DELETE that removes something change
// nothing the second time; a resent delete or detach that finds the thing
// gone answers 404, which after a lost answer means it was applied.
var retryRules = map[string]retryRule{
	"setAwayAdmin":              {why: "sets the admin's away mode and reassignment flag: a second application sets the same values"},
	"updateArticle":             {why: "sets the article's fields: a second application sets the same values"},
	"updateCollection":          {why: "sets the collection's fields: a second application sets the same values"},
	"UpdateCompany":             {why: "sets the company's fields: a second application sets the same values"},
	"UpdateContact":             {why: "sets the contact's fields: a second application sets the same values"},
	"updateConversation":        {sideEffects: []string{"custom_attributes"}, why: "each applied custom attribute change adds a conversation part (conversation_attribute_updated_by_admin); marking read sets a flag"},
	"updateDataAttribute":       {why: "sets the attribute's fields: a second application sets the same values"},
	"updateNewsItem":            {why: "sets the news item's fields: a second application sets the same values"},
	"updateTicketTypeAttribute": {why: "sets the attribute's fields: a second application sets the same values"},
	"updateTicketType":          {why: "sets the ticket type's fields: a second application sets the same values"},
	"updateTicket":              {sideEffects: []string{"assignment", "state", "open", "snoozed_until", "ticket_attributes"}, why: "each applied assignment, state, open/close, snooze or ticket attribute change adds a ticket part, even when nothing changes; is_shared sets a flag"},
	"updateVisitor":             {why: "sets the visitor's fields: a second application sets the same values"},

	"deleteArticle":                   {gone: "deleted", why: "deletes the article: a resend cannot delete twice; its 404 means an earlier attempt deleted it"},
	"deleteCollection":                {gone: "deleted", why: "deletes the collection: a resend cannot delete twice; its 404 means an earlier attempt deleted it"},
	"deleteCompany":                   {gone: "deleted", why: "deletes the company: a resend cannot delete twice; its 404 means an earlier attempt deleted it"},
	"DeleteContact":                   {gone: "deleted", why: "deletes the contact: a resend cannot delete twice; its 404 means an earlier attempt deleted it"},
	"deleteNewsItem":                  {gone: "deleted", why: "deletes the news item: a resend cannot delete twice; its 404 means an earlier attempt deleted it"},
	"deleteTag":                       {gone: "deleted", why: "deletes the tag: a resend cannot delete twice; its 404 means an earlier attempt deleted it"},
	"detachContactFromACompany":       {gone: "detached", why: "detaches the contact from the company: a resend cannot detach twice; its 404 means an earlier attempt detached it"},
	"detachSubscriptionTypeToContact": {gone: "detached", why: "removes the contact's subscription: a resend cannot remove it twice; its 404 means an earlier attempt removed it"},
	"detachTagFromContact":            {gone: "detached", why: "removes the tag from the contact: a resend cannot remove it twice; its 404 means an earlier attempt removed it"},
	"detachTagFromConversation":       {gone: "detached", why: "removes the tag from the conversation: a resend cannot remove it twice; its 404 means an earlier attempt removed it"},
	"detachTagFromTicket":             {gone: "detached", why: "removes the tag from the ticket: a resend cannot remove it twice; its 404 means an earlier attempt removed it"},
	"detachContactFromConversation":   {gone: "detached", goneID: "conversation_id", why: "removes the contact from the conversation (the answer is the conversation): a resend cannot remove it twice; its 404 means an earlier attempt removed it"},
}

// schemaOverrides replace component schemas that lack a field Intercom's own
// examples send, which argument checks (closed objects: a field a schema does
// not declare is refused) would otherwise refuse. Each says its evidence.
var schemaOverrides = map[string]struct {
	versions
	schema *catalog.Schema
}{
	// Every example request of DELETE /conversations/{id}/customers/{contact_id}
	// in the 2.10 description sends a customer object beside admin_id.
	// Still so up to 2.16.
	"detach_contact_from_conversation_request": {versions{}, &catalog.Schema{Type: "object", Properties: []catalog.Property{
		{Name: "admin_id", Schema: &catalog.Schema{Type: "string"}},
		{Name: "customer", Schema: &catalog.Schema{Type: "object"}},
	}, Required: []string{"admin_id"}}},
	// A search value may be a float: data attributes have the data_type
	// "float" (create_data_attribute_request's enum), and a search on such a
	// custom attribute compares with a float. 2.10 lists only string,
	// integer, boolean and their arrays; number (which includes integers)
	// is added beside integer. 2.13 rewrites the arrays as arrays of
	// strings or integers: the override stops at 2.12.
	"single_filter_search_request": {versions{to: "2.12"}, &catalog.Schema{Type: "object", Properties: []catalog.Property{
		{Name: "field", Schema: &catalog.Schema{Type: "string"}},
		{Name: "operator", Schema: &catalog.Schema{Type: "string", Enum: []string{"=", "!=", "IN", "NIN", "<", "<=", ">", ">=", "~", "!~", "^", "$"}}},
		{Name: "value", Schema: &catalog.Schema{Nullable: true, OneOf: []*catalog.Schema{
			{Type: "string"}, {Type: "integer"}, {Type: "number"}, {Type: "boolean"},
			{Type: "array", Items: &catalog.Schema{Type: "string"}},
			{Type: "array", Items: &catalog.Schema{Type: "integer"}},
			{Type: "array", Items: &catalog.Schema{Type: "number"}},
		}}},
	}}},
}

// versions is the range of API versions a correction holds for, both ends
// included; an empty end is open.
type versions struct{ from, to string }

func (r versions) has(v string) bool {
	return (r.from == "" || catalog.CompareVersions(v, r.from) >= 0) && (r.to == "" || catalog.CompareVersions(v, r.to) <= 0)
}

// searchFieldSpellings are fields a search's "Accepted Fields" table
// misspells: the field is listed under the model's spelling too, with the
// same type and operators (the misspelt name stays: it is what the table
// says). Evidence: every version's contact search table has
// "andoid_sdk_version"; its contact schema's property, its examples and
// the contact model in FACTS.md say android_sdk_version.
var searchFieldSpellings = map[string]map[string]string{
	"SearchContacts": {"andoid_sdk_version": "android_sdk_version"},
}

// searchOperatorFixes are the operators of search fields that a
// description's prose states apart from its "Accepted Operators" table:
// only keeps those of the table it names, also adds operators.
var searchOperatorFixes = map[string]map[string]struct{ only, also []string }{
	// "Searching by `tag_id` supports only the `=` and `!=` operators."
	"SearchContacts": {"tag_id": {only: []string{"=", "!="}}},
	// "You may use the `<=` or `>=` operators to search by `created_at`."
	"searchTickets": {"created_at": {also: []string{">=", "<="}}},
}

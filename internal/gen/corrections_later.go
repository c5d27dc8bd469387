package main

import "github.com/icscript/icscript/intercom/catalog"

// The hand-kept part of the catalogue for operations that API 2.11 and later
// add. Corrections keyed by operationId (here and in corrections.go) apply
// to every version whose description has that operation, so an operation
// keeps its name and rules across versions; the few that hold for a range of
// versions only say so with a versions range.

// laterJSNames names the operations that 2.10 lacks. The rule, in order:
// the official Node SDK's (intercom-client 7.0.3) stable resource.method for
// that method and path; else its unstable one, without "unstable."; else,
// for what the SDK does not have yet (most of 2.16), the SDK's own
// convention for its unstable resources: the tag in lowerCamelCase as the
// namespace and the operationId in lowerCamelCase as the method. One
// exception: the help center redirects go under helpCenters (the SDK's
// stable namespace for the Help Center tag) rather than beside it.
var laterJSNames = map[string]string{
	"listDataAttributes": "dataAttributes.list", // 2.11 spells lisDataAttributes properly; same call

	"listContentImportSources": "aiContent.listContentImportSources", "createContentImportSource": "aiContent.createContentImportSource",
	"deleteContentImportSource": "aiContent.deleteContentImportSource", "getContentImportSource": "aiContent.getContentImportSource",
	"updateContentImportSource": "aiContent.updateContentImportSource", "listExternalPages": "aiContent.listExternalPages",
	"createExternalPage": "aiContent.createExternalPage", "deleteExternalPage": "aiContent.deleteExternalPage",
	"getExternalPage": "aiContent.getExternalPage", "updateExternalPage": "aiContent.updateExternalPage",
	"listTicketStates": "ticketStates.listTicketStates",

	"listInternalArticles": "internalArticles.listInternalArticles", "createInternalArticle": "internalArticles.createInternalArticle",
	"retrieveInternalArticle": "internalArticles.retrieveInternalArticle", "updateInternalArticle": "internalArticles.updateInternalArticle",
	"deleteInternalArticle": "internalArticles.deleteInternalArticle", "searchInternalArticles": "internalArticles.searchInternalArticles",
	"attachTagToInternalArticle": "internalArticles.attachTagToInternalArticle", "detachTagFromInternalArticle": "internalArticles.detachTagFromInternalArticle",
	"ShowContactByExternalId": "contacts.showContactByExternalId", "BlockContact": "contacts.blockContact",
	"ListContactMergeHistory":                 "contacts.listContactMergeHistory",
	"deleteConversation":                      "conversations.deleteConversation",
	"createCustomObjectInstances":             "customObjectInstances.createCustomObjectInstances",
	"getCustomObjectInstancesByExternalId":    "customObjectInstances.getCustomObjectInstancesByExternalId",
	"deleteCustomObjectInstancesById":         "customObjectInstances.deleteCustomObjectInstancesById",
	"getCustomObjectInstancesById":            "customObjectInstances.getCustomObjectInstancesById",
	"deleteCustomObjectInstancesByExternalId": "customObjectInstances.deleteCustomObjectInstancesByExternalId",
	"listCustomObjectInstances":               "customObjectInstances.listCustomObjectInstances",
	"deleteTicket":                            "tickets.deleteTicket",

	"listAwayStatusReasons":       "awayStatusReasons.listAwayStatusReasons",
	"downloadReportingDataExport": "dataExport.downloadReportingDataExport", "exportReportingData": "dataExport.exportReportingData",
	"enqueueANewReportingDataExportJob":  "export.enqueueANewReportingDataExportJob",
	"listAvailableDatasetsAndAttributes": "export.listAvailableDatasetsAndAttributes",
	"startFinConversation":               "finAgent.startFinConversation", "replyToFin": "finAgent.replyToFin", "submitFinCsat": "finAgent.submitFinCsat",
	"getIpAllowlist": "ipAllowlist.getIpAllowlist", "updateIpAllowlist": "ipAllowlist.updateIpAllowlist",
	"jobsStatus": "jobs.status",
	"listCalls":  "calls.listCalls", "showCall": "calls.showCall", "showCallRecording": "calls.showCallRecording",
	"showCallTranscript": "calls.showCallTranscript", "listCallsWithTranscripts": "calls.listCallsWithTranscripts",
	"registerFinVoiceCall": "calls.registerFinVoiceCall", "collectFinVoiceCallById": "calls.collectFinVoiceCallById",
	"collectFinVoiceCallByExternalId": "calls.collectFinVoiceCallByExternalId", "collectFinVoiceCallByPhoneNumber": "calls.collectFinVoiceCallByPhoneNumber",
	"collectFinVoiceCallsByConversationId": "calls.collectFinVoiceCallsByConversationId",
	"enqueueCreateTicket":                  "tickets.enqueueCreateTicket",

	"listCompanyNotes": "notes.listCompanyNotes", "createCompanyNote": "notes.createCompanyNote",
	"listHandlingEvents": "conversations.listHandlingEvents",
	"listBrands":         "brands.listBrands", "retrieveBrand": "brands.retrieveBrand",
	"listEmails": "emails.listEmails", "retrieveEmail": "emails.retrieveEmail",
	"exportWorkflow": "workflows.exportWorkflow",
	"getMacro":       "macros.getMacro", "listMacros": "macros.listMacros",

	"searchActivityLogs": "admins.searchActivityLogs", "listActivityLogEventTypes": "admins.listActivityLogEventTypes",
	"getOfficeHoursException": "officeHours.getOfficeHoursException", "updateOfficeHoursException": "officeHours.updateOfficeHoursException",
	"deleteOfficeHoursException": "officeHours.deleteOfficeHoursException", "listOfficeHoursExceptions": "officeHours.listOfficeHoursExceptions",
	"createOfficeHoursException": "officeHours.createOfficeHoursException", "getOfficeHoursSchedule": "officeHours.getOfficeHoursSchedule",
	"updateOfficeHoursSchedule": "officeHours.updateOfficeHoursSchedule", "deleteOfficeHoursSchedule": "officeHours.deleteOfficeHoursSchedule",
	"listOfficeHoursSchedules": "officeHours.listOfficeHoursSchedules", "createOfficeHoursSchedule": "officeHours.createOfficeHoursSchedule",
	"retrieveArticleDraft": "articles.retrieveArticleDraft", "stageArticleDraft": "articles.stageArticleDraft",
	"publishArticleDraft": "articles.publishArticleDraft", "attachTagToArticle": "articles.attachTagToArticle",
	"detachTagFromArticle": "articles.detachTagFromArticle", "listArticleVersions": "articles.listArticleVersions",
	"retrieveArticleVersion": "articles.retrieveArticleVersion",
	"listAudiences":          "audiences.listAudiences", "createAudience": "audiences.createAudience", "retrieveAudience": "audiences.retrieveAudience",
	"updateAudience": "audiences.updateAudience", "deleteAudience": "audiences.deleteAudience",
	"listHelpCenterRedirects": "helpCenters.listHelpCenterRedirects", "createHelpCenterRedirect": "helpCenters.createHelpCenterRedirect",
	"retrieveHelpCenterRedirect": "helpCenters.retrieveHelpCenterRedirect", "deleteHelpCenterRedirect": "helpCenters.deleteHelpCenterRedirect",
	"listContactBanners": "banners.listContactBanners", "dismissContactBanner": "banners.dismissContactBanner",
	"bulkContentActions": "content.bulkContentActions", "searchContent": "content.searchContent",
	"listContentSnippets": "contentSnippets.listContentSnippets", "createContentSnippet": "contentSnippets.createContentSnippet",
	"getContentSnippet": "contentSnippets.getContentSnippet", "updateContentSnippet": "contentSnippets.updateContentSnippet",
	"deleteContentSnippet": "contentSnippets.deleteContentSnippet", "attachTagToContentSnippet": "contentSnippets.attachTagToContentSnippet",
	"detachTagFromContentSnippet": "contentSnippets.detachTagFromContentSnippet",
	"listSideConversations":       "conversations.listSideConversations", "mergeConversation": "conversations.mergeConversation",
	"listDeletedConversationIds": "conversations.listDeletedConversationIds",
	"listConversationAttributes": "conversationsAttributes.listConversationAttributes", "createConversationAttribute": "conversationsAttributes.createConversationAttribute",
	"getConversationAttribute": "conversationsAttributes.getConversationAttribute", "updateConversationAttribute": "conversationsAttributes.updateConversationAttribute",
	"deleteConversationAttribute": "conversationsAttributes.deleteConversationAttribute", "createConversationAttributeOption": "conversationsAttributes.createConversationAttributeOption",
	"updateConversationAttributeOption": "conversationsAttributes.updateConversationAttributeOption", "deleteConversationAttributeOption": "conversationsAttributes.deleteConversationAttributeOption",
	"listDataConnectors": "dataConnectors.listDataConnectors", "createDataConnector": "dataConnectors.createDataConnector",
	"RetrieveDataConnector": "dataConnectors.retrieveDataConnector", "deleteDataConnector": "dataConnectors.deleteDataConnector",
	"updateDataConnector": "dataConnectors.updateDataConnector", "listDataConnectorExecutionResults": "dataConnectors.listDataConnectorExecutionResults",
	"showDataConnectorExecutionResult": "dataConnectors.showDataConnectorExecutionResult",
	"RetrieveWhatsAppMessageStatus":    "messages.retrieveWhatsAppMessageStatus", "getWhatsAppMessageStatus": "messages.getWhatsAppMessageStatus",
	"getTeamMetrics":           "teams.getTeamMetrics",
	"linkConversationToTicket": "tickets.linkConversationToTicket", "unlinkConversationFromTicket": "tickets.unlinkConversationFromTicket",
	"changeTicketType": "tickets.changeTicketType",
}

// missingIDs names the operations a description declares without an
// operationId (a quirk the generator reports), by "METHOD path", after the
// SDK's method for them.
var missingIDs = map[string]string{
	"GET /download/reporting_data/{job_identifier}": "downloadReportingDataExport",
	"GET /export/reporting_data/{job_identifier}":   "exportReportingData",
	"POST /export/reporting_data/enqueue":           "enqueueANewReportingDataExportJob",
	"GET /export/reporting_data/get_datasets":       "listAvailableDatasetsAndAttributes",
}

// laterRetryRules decides for every PUT and DELETE that 2.10 lacks (see
// retryRules).
var laterRetryRules = map[string]retryRule{
	"updateContentImportSource":         setsFields("content import source"),
	"updateExternalPage":                setsFields("external page"),
	"updateInternalArticle":             setsFields("internal article"),
	"updateIpAllowlist":                 {why: "replaces the workspace's IP allowlist: a second application sets the same list"},
	"updateOfficeHoursException":        setsFields("office hours exception"),
	"updateOfficeHoursSchedule":         setsFields("office hours schedule"),
	"stageArticleDraft":                 {why: "sets the article's draft: a second application stages the same draft"},
	"updateAudience":                    setsFields("audience"),
	"updateContentSnippet":              setsFields("content snippet"),
	"updateConversationAttribute":       setsFields("conversation attribute"),
	"updateConversationAttributeOption": setsFields("conversation attribute option"),

	"deleteContentImportSource":               deletes("content import source", ""),
	"deleteExternalPage":                      deletes("external page", ""),
	"deleteInternalArticle":                   deletes("internal article", ""),
	"deleteConversation":                      deletes("conversation", ""),
	"deleteTicket":                            deletes("ticket", ""),
	"deleteOfficeHoursException":              deletes("office hours exception", ""),
	"deleteOfficeHoursSchedule":               deletes("office hours schedule", ""),
	"deleteAudience":                          deletes("audience", ""),
	"deleteHelpCenterRedirect":                deletes("redirect", ""),
	"deleteContentSnippet":                    deletes("content snippet", ""),
	"deleteConversationAttribute":             deletes("conversation attribute", ""),
	"deleteConversationAttributeOption":       deletes("conversation attribute option", "option_id"),
	"deleteDataConnector":                     deletes("data connector", ""),
	"deleteCustomObjectInstancesByExternalId": deletes("custom object instance", ""),
	// Deletes the instance named by the external_id query parameter: no path
	// parameter names it, so a 404 cannot be tied to this request.
	"deleteCustomObjectInstancesById": {why: "deletes the custom object instance: a resend cannot delete twice"},

	"detachTagFromArticle":         detaches("the tag from the article"),
	"detachTagFromInternalArticle": detaches("the tag from the internal article"),
	"detachTagFromContentSnippet":  detaches("the tag from the content snippet"),
	"unlinkConversationFromTicket": detaches("the conversation from the ticket"),
}

func setsFields(thing string) retryRule {
	return retryRule{why: "sets the " + thing + "'s fields: a second application sets the same values"}
}

func deletes(thing, id string) retryRule {
	return retryRule{gone: "deleted", goneID: id, why: "deletes the " + thing + ": a resend cannot delete twice; its 404 means an earlier attempt deleted it"}
}

func detaches(what string) retryRule {
	return retryRule{gone: "detached", why: "removes " + what + ": a resend cannot remove it twice; its 404 means an earlier attempt removed it"}
}

// laterIrreversible are the operations 2.10 lacks that destroy data or send
// something to customers (see irreversible).
var laterIrreversible = map[string]bool{
	"deleteContentImportSource": true, "deleteExternalPage": true, "deleteInternalArticle": true,
	"deleteConversation": true, "deleteTicket": true, "deleteCustomObjectInstancesById": true,
	"deleteCustomObjectInstancesByExternalId": true, "deleteOfficeHoursSchedule": true,
	"deleteAudience": true, "deleteContentSnippet": true, "deleteConversationAttribute": true,
	"deleteDataConnector": true, "mergeConversation": true, "BlockContact": true,
}

// laterReadOnlyPOSTs are POSTs of later versions that only read (searches).
var laterReadOnlyPOSTs = map[string]bool{
	"listCallsWithTranscripts": true, "searchActivityLogs": true,
}

// laterBinary answer with bytes or text, not JSON (a redirect to the
// recording; the transcript as text/plain; the report file).
var laterBinary = map[string]bool{"downloadReportingDataExport": true, "showCallRecording": true, "showCallTranscript": true}

// laterPaging is how operations 2.10 lacks are paged where inferPaging,
// reading the description, gets it wrong; each with its evidence.
var laterPaging = map[string]struct {
	style catalog.Pagination
	items string
}{
	// GET /contacts/{id}/merge_history (2.16) pages by its own cursor: the
	// query parameter cursor, the response's next_cursor and has_more (its
	// example: data, next_cursor "eyJpZCI6IjYyMzQ1NiJ9", has_more true).
	"ListContactMergeHistory": {catalog.PageNextCursor, "data"},
}

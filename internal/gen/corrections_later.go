package main

import (
	"strings"
	"unicode"

	"github.com/icscript/icscript/intercom/catalog"
)

// The hand-kept part of the catalogue for operations that API 2.11 and later
// add. Corrections keyed by operationId (here and in corrections.go) apply
// to every version whose description has that operation, so an operation
// keeps its name and rules across versions; the few that hold for a range of
// versions only say so with a versions range.

// laterJSNames names the operations that 2.10 lacks where the SDK's name
// is not the conventional one (conventionalJSName). The rule, in order: the
// official Node SDK's (intercom-client 7.0.3) stable resource.method for
// that method and path; else its unstable one, without "unstable."; else,
// for what the SDK does not have yet (most of 2.16), the SDK's own
// convention for its unstable resources, which conventionalJSName derives.
// One exception: the help center redirects go under helpCenters (the SDK's
// stable namespace for the Help Center tag) rather than beside it.
var laterJSNames = map[string]string{
	"listDataAttributes": "dataAttributes.list", // 2.11 spells lisDataAttributes properly; same call
	"jobsStatus":         "jobs.status",

	"downloadReportingDataExport": "dataExport.downloadReportingDataExport", "exportReportingData": "dataExport.exportReportingData",
	"enqueueANewReportingDataExportJob":  "export.enqueueANewReportingDataExportJob",
	"listAvailableDatasetsAndAttributes": "export.listAvailableDatasetsAndAttributes",

	"listHelpCenterRedirects": "helpCenters.listHelpCenterRedirects", "createHelpCenterRedirect": "helpCenters.createHelpCenterRedirect",
	"retrieveHelpCenterRedirect": "helpCenters.retrieveHelpCenterRedirect", "deleteHelpCenterRedirect": "helpCenters.deleteHelpCenterRedirect",
}

// conventionalJSName is the SDK's convention for its unstable resources:
// the description's tag in lowerCamelCase as the namespace ("AI Content":
// aiContent, "Custom Object Instances": customObjectInstances) and the
// operationId in lowerCamelCase as the method (BlockContact: blockContact).
func conventionalJSName(op *catalog.Operation) (string, bool) {
	words := strings.FieldsFunc(op.Tag, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) == 0 || op.ID == "" {
		return "", false
	}
	var ns strings.Builder
	for i, w := range words {
		switch {
		case i > 0:
			ns.WriteString(strings.ToUpper(w[:1]) + w[1:])
		case strings.ToUpper(w) == w: // an acronym: "AI", "IP"
			ns.WriteString(strings.ToLower(w))
		default:
			ns.WriteString(strings.ToLower(w[:1]) + w[1:])
		}
	}
	return ns.String() + "." + strings.ToLower(op.ID[:1]) + op.ID[1:], true
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

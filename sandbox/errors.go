package sandbox

import (
	"fmt"
	"net/http"
)

// Intercom's error codes (FACTS.md §3), as the sandbox answers them.
const (
	codeUnauthorized      = "unauthorized"
	codeNotFound          = "not_found"
	codeBadRequest        = "bad_request"
	codeParamInvalid      = "parameter_invalid"
	codeParamNotFound     = "parameter_not_found"
	codeDataInvalid       = "data_invalid"
	codeRateLimited       = "rate_limit_exceeded"
	codeServerError       = "server_error"
	codeUnavailable       = "service_unavailable"
	codeConflict          = "conflict"
	codeAdminNotFound     = "admin_not_found"
	codeAssigneeNotFound  = "assignee_not_found"
	codeCompanyNotFound   = "company_not_found"
	codeTagNotFound       = "tag_not_found"
	codeTeamNotFound      = "team_not_found"
	codeTicketNotFound    = "ticket_not_found"
	codeFieldNotFound     = "field_not_found"
	codePartNotFound      = "conversation_part_or_message_not_found"
	codeTagHasDependents  = "tag_has_dependent_objects"
	codeVersionInvalid    = "intercom_version_invalid"
	codeScrollExists      = "scroll_exists"
	codeMethodNotAllowed  = "method_not_allowed"
	codeCompanyLimit      = "contact_company_limit_exceeded"
	codeParameterMismatch = "parameter_mismatch"
)

// Constant messages. Those with a verb take the name of a field or value.
const (
	msgUnauthorized     = "Access Token Invalid"
	msgNotFound         = "Resource Not Found"
	msgUserNotFound     = "User Not Found"
	msgVisitorNotFound  = "Visitor Not Found"
	msgConvNotFound     = "Conversation not found"
	msgCompanyNotFound  = "Company Not Found"
	msgAdminNotFound    = "Admin not found"
	msgAssigneeNotFound = "Assignee not found"
	msgTagNotFound      = "Tag not found"
	msgTeamNotFound     = "Team not found"
	msgTicketNotFound   = "Ticket not found"
	msgPartNotFound     = "Conversation part or message not found"
	msgFieldNotFound    = "We couldn't find that data attribute to update"
	msgNoRoute          = "The path %s %s is not an operation of the Intercom REST API %s (the sandbox serves its %d operations)"
	msgRouteInOthers    = "The path %s %s is not an operation of the Intercom REST API %s; API %s has it (send that version in Intercom-Version)"
	msgMethodNotAllowed = "The path %s does not accept %s; it accepts %s"
	msgBadJSON          = "The request body is not valid JSON"
	msgBodyNotObject    = "The request body must be a JSON object"
	msgRequired         = "%s is a required parameter"
	msgOneRequired      = "One of %s is required"
	msgInvalidType      = "%s must be %s"
	msgInvalidEnum      = "%s must be one of: %s"
	msgInvalid          = "%s is invalid"
	msgInvalidValue     = "%s %s" // a field and what is wrong with it, as catalog.Problem says: "must be a string, not a number"
	msgRateLimited      = "You have exceeded the rate limit of %d requests per %s. Retry after the time in the Retry-After header."
	msgServerError      = "An internal server error occurred (injected by the sandbox's fault emulation)"
	msgUnavailable      = "The service is temporarily unavailable (injected by the sandbox's fault emulation)"
	msgVersionInvalid   = "Intercom-Version %q is not a version of the form 2.10; the sandbox serves %s"
	msgVersionUnknown   = "Intercom-Version %q is not a version the sandbox serves; it serves %s"
	msgTagDependents    = "Unable to delete Tag with dependent objects. Detach it from every contact, company, conversation and ticket first."
	msgLastCustomer     = "Removing the last customer is not allowed"
	msgNotCustomerType  = "Ticket type is not a customer ticket type"
	msgContactConflict  = "A contact matching those details already exists with id=%s"
	msgUnknownAttribute = "Custom attribute '%s' does not exist"
	msgScrollExists     = "A scroll is already open for this workspace; continue it with its scroll_param, or wait for it to expire (1 minute idle)"
	msgScrollExpired    = "scroll_param is unknown or has expired; start a new scroll without it"
	msgNotPositive      = "%s must be a positive integer, got %q"
	msgWalkExpired      = "starting_after belongs to a sorted search that is no longer held (10 minutes idle, or too many searches at once); start the search again"
	msgExportPending    = "Exceeded rate limit of 1 pending message data export jobs"
	msgExportNotReady   = "The data export job is not completed"
	msgMergeRoles       = "Merging is only possible from a lead into a user"
	msgCompanyMissing   = "company not specified"
	msgAttributeExists  = "You already have '%s' in your %s data. To save this as new people data, use a different name."
	msgAttributeName    = "Your name for this attribute must only contain alphanumeric characters, underscores and dashes"
	msgPhoneInvalid     = "phone must be an E.164 phone number, such as +353871234567"
	msgRoleChange       = "A user cannot be turned back into a lead"
	msgBodyRequired     = "Body is required"
	msgSubjectRequired  = "No subject supplied for email message"
	msgAlreadyArchived  = "The data attribute is archived"
)

// apiError is an error answered as Intercom's error.list.
type apiError struct {
	Status  int
	Code    string
	Message string
	Field   string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func newError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

func errNotFound(code, message string) *apiError {
	return newError(http.StatusNotFound, code, message)
}

func errInvalid(format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, codeParamInvalid, fmt.Sprintf(format, args...))
}

func errMissing(field string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: codeParamNotFound, Message: fmt.Sprintf(msgRequired, field), Field: field}
}

// Frequent not-found answers.
var (
	errContactNotFound = errNotFound(codeNotFound, msgUserNotFound)
	errResource        = errNotFound(codeNotFound, msgNotFound)
	errConversation    = errNotFound(codeNotFound, msgConvNotFound)
	errCompany         = errNotFound(codeCompanyNotFound, msgCompanyNotFound)
	errAdmin           = errNotFound(codeAdminNotFound, msgAdminNotFound)
	errAssignee        = errNotFound(codeAssigneeNotFound, msgAssigneeNotFound)
	errTag             = errNotFound(codeTagNotFound, msgTagNotFound)
	errTeam            = errNotFound(codeTeamNotFound, msgTeamNotFound)
	errTicket          = errNotFound(codeTicketNotFound, msgTicketNotFound)
)

// notFoundIn is the 404 of a missing record of each table that has its own
// (the others answer errResource); see call.lookup.
var notFoundIn = map[string]*apiError{
	tAdmins: errAdmin, tCompanies: errCompany, tContacts: errContactNotFound, tConversations: errConversation,
	tTags: errTag, tTeams: errTeam, tTickets: errTicket,
}

// errorBody is the error.list JSON of err.
func errorBody(requestID string, err *apiError) map[string]any {
	item := map[string]any{"code": err.Code, "message": err.Message}
	if err.Field != "" {
		item["field"] = err.Field
	}
	return map[string]any{"type": "error.list", "request_id": requestID, "errors": []any{item}}
}

package sandbox

import "strings"

// laterHandlers answer the operations of API 2.11 and later that 2.10 lacks
// but that act on 2.10's own resources (conversations, tickets, contacts),
// which the generic resource handler does not hold. Their path parameters
// keep each version's names, so they read the last one.
var laterHandlers = map[string]handler{
	"deleteConversation":      hDeleteConversation,
	"deleteTicket":            hDeleteTicket,
	"ShowContactByExternalId": hShowContactByExternalID,
}

// lastParam is the value of the last path parameter of the operation.
func (c *call) lastParam() string {
	segs := splitPath(c.op.Path)
	for i := len(segs) - 1; i >= 0; i-- {
		if strings.HasPrefix(segs[i], "{") {
			return c.params[strings.Trim(segs[i], "{}")]
		}
	}
	return ""
}

func hDeleteConversation(c *call) (any, *apiError) {
	cv := c.st.conversation(c.lastParam())
	if cv == nil {
		return nil, errConversation
	}
	c.st.t(tConversations).remove(str(cv, "id"))
	return record{"id": cv["id"], "object": "conversation", "deleted": true}, nil
}

func hDeleteTicket(c *call) (any, *apiError) {
	tk := c.st.ticket(c.lastParam())
	if tk == nil {
		return nil, errTicket
	}
	c.st.t(tTickets).remove(str(tk, "id"))
	return record{"id": tk["id"], "object": "ticket", "deleted": true}, nil
}

func hShowContactByExternalID(c *call) (any, *apiError) {
	ext := c.lastParam()
	ct := c.st.t(tContacts).find(func(r record) bool { return ext != "" && str(r, "external_id") == ext })
	if ct == nil {
		return nil, errNotFound(codeNotFound, msgUserNotFound)
	}
	return renderContact(ct), nil
}

package sandbox

import "net/http"

// The messages namespace (intercom.messages).
func init() {
	register("messages", map[string]handler{
		"createMessage": hCreateMessage,
	})
}

// Messages.

func hCreateMessage(c *call) (any, *apiError) {
	b := c.body
	a, err := c.lookup(tAdmins, str(obj(b, "from"), "id"))
	if err != nil {
		return nil, err
	}
	ct, err := c.lookup(tContacts, str(obj(b, "to"), "id"))
	if err != nil {
		return nil, err
	}
	kind := str(b, "message_type")
	if kind == "email" && str(b, "subject") == "" {
		return nil, &apiError{Status: http.StatusBadRequest, Code: codeParamNotFound, Message: msgSubjectRequired, Field: "subject"}
	}
	if str(b, "body") == "" {
		return nil, &apiError{Status: http.StatusBadRequest, Code: codeParamInvalid, Message: msgBodyRequired, Field: "body"}
	}
	m := c.st.sendMessage(a, ct, kind, str(b, "subject"), str(b, "body"), boolean(b, "create_conversation_without_contact_reply"), c.now)
	return copyRecord(m), nil
}

// sendMessage records an admin's outbound message; with conversation, it
// starts the (closed until the contact replies) conversation at once.
func (st *store) sendMessage(a, ct record, kind, subject, body string, conversation bool, now int64) record {
	if kind == "in_app" {
		kind = "inapp"
	}
	m := record{
		"type": "admin_message", "id": st.nextNum(tMessages), "created_at": now, "subject": subject,
		"body": html(body), "message_type": kind, "_to": ct["id"],
	}
	if conversation {
		cv := st.newConversation(ct, st.adminAuthor(a), body, subject, "admin_initiated", now)
		cv["state"], cv["open"], cv["waiting_since"] = "closed", false, nil
		if kind == "email" {
			obj(cv, "source")["type"] = "email"
		}
		st.t(tConversations).put(cv)
		m["conversation_id"] = cv["id"]
	}
	ct["last_contacted_at"] = now
	st.t(tMessages).put(m)
	return m
}

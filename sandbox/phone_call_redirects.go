package sandbox

import (
	"net/http"

	"github.com/icscript/icscript/internal/lazyregexp"
)

// The phoneCallRedirects namespace (intercom.phoneCallRedirects).
func init() {
	register("phoneCallRedirects", map[string]handler{
		"createPhoneSwitch": hCreatePhoneSwitch,
	})
}

// Phone call redirects.

var e164 = lazyregexp.New(`^\+[1-9][0-9]{6,14}$`)

func hCreatePhoneSwitch(c *call) (any, *apiError) {
	phone := str(c.body, "phone")
	if !e164.MatchString(phone) {
		return nil, &apiError{Status: http.StatusBadRequest, Code: codeParamInvalid, Message: msgPhoneInvalid, Field: "phone"}
	}
	c.st.t(tPhoneRedirects).put(record{"id": c.st.nextHex(tPhoneRedirects), "phone": phone, "created_at": c.now, "custom_attributes": c.body["custom_attributes"]})
	return record{"type": "phone_call_redirect", "phone": phone}, nil
}

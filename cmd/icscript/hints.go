package main

import (
	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/internal/config"
)

// cliHints are the Go client's hints in icscript's words: the variables,
// flags, profile and pragma that set what the client was given. The client
// itself speaks only of its Config.
var cliHints = intercom.Hints{
	Unauthorized:   "check INTERCOM_ACCESS_TOKEN (or INTERCOM_API_KEY): the token is missing, wrong, revoked, or belongs to a workspace in another region",
	MalformedToken: "check INTERCOM_ACCESS_TOKEN",
	Unreachable:    "check the base URL (--base-url, --region or the profile) and that the server is running",
	Version:        config.PinHint,
}

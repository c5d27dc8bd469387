package intercom_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
)

// fakeIntercom stands in for api.intercom.io in the examples.
func fakeIntercom() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req-42")
		switch {
		case r.Header.Get("Authorization") == "Bearer expired-token":
			w.WriteHeader(401)
			fmt.Fprint(w, `{"type":"error.list","request_id":"req-401","errors":[{"code":"unauthorized","message":"Access Token Invalid"}]}`)
		case r.Method == "GET" && r.URL.Path == "/contacts/c1":
			fmt.Fprint(w, `{"type":"contact","id":"c1","email":"ada@example.com"}`)
		case r.Method == "POST" && r.URL.Path == "/contacts":
			fmt.Fprint(w, `{"type":"contact","id":"c2","email":"bob@example.com"}`)
		default:
			w.WriteHeader(404)
			fmt.Fprint(w, `{"type":"error.list","request_id":"req-404","errors":[{"code":"not_found","message":"Contact Not Found"}]}`)
		}
	}))
}

func ExampleNew() {
	c, err := intercom.New(intercom.Config{
		Token:  "example-token",
		Region: intercom.RegionEU,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.BaseURL())

	_, err = intercom.New(intercom.Config{})
	fmt.Println(errors.Is(err, intercom.ErrNoToken), err)
	// Output:
	// https://api.eu.intercom.io
	// true intercom: no access token (Config.Token is empty)
}

// The client's advice speaks of its Config; a program fills Hints to speak
// of its own settings instead.
func ExampleHints() {
	srv := fakeIntercom()
	defer srv.Close()
	for _, hints := range []intercom.Hints{{}, {Unauthorized: "set MYAPP_TOKEN to a token of your workspace"}} {
		c, _ := intercom.New(intercom.Config{Token: "expired-token", BaseURL: srv.URL, Hints: hints})
		_, err := c.Do(context.Background(), &intercom.Request{Method: "GET", Path: "/me"})
		var ae *intercom.APIError
		if errors.As(err, &ae) {
			fmt.Println(ae.Status, ae.Hint)
		}
	}
	// Output:
	// 401 check the access token (Config.Token): it is missing, wrong, revoked, or belongs to a workspace in another region
	// 401 set MYAPP_TOKEN to a token of your workspace
}

func ExampleClient_Do() {
	srv := fakeIntercom()
	defer srv.Close()
	c, err := intercom.New(intercom.Config{Token: "example-token", BaseURL: srv.URL})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Read a contact: path parameters are escaped by ExpandPath.
	find := catalog.ByID("ShowContact")
	resp, err := c.Do(ctx, &intercom.Request{Op: find, Path: intercom.ExpandPath(find, []string{"c1"})})
	if err != nil {
		log.Fatal(err)
	}
	var contact struct{ ID, Email string }
	if err := json.Unmarshal(resp.Body, &contact); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status, contact.ID, contact.Email, resp.RequestID)

	// Create one: the body is JSON bytes.
	resp, err = c.Do(ctx, &intercom.Request{Op: catalog.ByID("CreateContact"), Body: []byte(`{"email":"bob@example.com"}`)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status, string(resp.Body))

	// A raw call reaches anything; the client still knows it is a read.
	resp, err = c.Do(ctx, &intercom.Request{Method: "GET", Path: "/contacts/c1"})
	fmt.Println(resp.Status, err)

	fmt.Println(c.Stats())
	// Output:
	// 200 c1 ada@example.com req-42
	// 200 {"type":"contact","id":"c2","email":"bob@example.com"}
	// 200 <nil>
	// 3 requests
}

func ExampleAPIError() {
	srv := fakeIntercom()
	defer srv.Close()
	c, _ := intercom.New(intercom.Config{Token: "example-token", BaseURL: srv.URL})

	find := catalog.ByID("ShowContact")
	_, err := c.Do(context.Background(), &intercom.Request{Op: find, Path: intercom.ExpandPath(find, []string{"nobody"})})
	var ae *intercom.APIError
	if errors.As(err, &ae) {
		fmt.Println(ae.Status, ae.Code, ae.Message, ae.RequestID, ae.Ambiguous)
	}
	fmt.Println(err)
	// Output:
	// 404 not_found Contact Not Found req-404 false
	// intercom: ShowContact (GET /contacts/nobody): 404 not_found: Contact Not Found [request req-404]
}

func ExampleConfig_dryRun() {
	srv := fakeIntercom()
	defer srv.Close()
	var audit []string
	c, _ := intercom.New(intercom.Config{
		Token:   "example-token",
		BaseURL: srv.URL,
		DryRun:  true,
		OnMutation: func(e intercom.MutationEvent) {
			audit = append(audit, fmt.Sprintf("%s %s %s %s dry=%v", e.Phase, e.Operation, e.Method, e.Path, e.DryRun))
		},
	})
	resp, _ := c.Do(context.Background(), &intercom.Request{Op: catalog.ByID("CreateContact"), Body: []byte(`{"email":"x@example.com"}`)})
	fmt.Println(resp.DryRun)
	fmt.Println(strings.Join(audit, "\n"))
	fmt.Println(c.Stats())
	// Output:
	// true
	// start CreateContact POST /contacts dry=true
	// done CreateContact POST /contacts dry=true
	// 0 requests, 1 mutation not sent (dry run)
}

func ExampleExpandPath() {
	op := catalog.ByID("detachTagFromContact")
	fmt.Println(op.Path)
	fmt.Println(intercom.ExpandPath(op, []string{"6657 a/b", "81"}))
	// Output:
	// /contacts/{contact_id}/tags/{id}
	// /contacts/6657%20a%2Fb/tags/81
}

func ExampleMatchOperation() {
	op := intercom.MatchOperation("POST", "/contacts/search")
	fmt.Println(op.ID, op.Idempotent(), op.Mutates)
	op = intercom.MatchOperation("POST", "/contacts")
	fmt.Println(op.ID, op.Idempotent(), op.Mutates)
	// Output:
	// SearchContacts true false
	// CreateContact false true
}

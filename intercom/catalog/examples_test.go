package catalog_test

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/icscript/icscript/intercom/catalog"
)

// Every request body example of Intercom's description passes the argument
// checks' closed objects: reading declared fields as closed must not refuse a
// field Intercom itself documents sending (other problems of the examples,
// such as ids written as numbers, are not this test's subject). The description is read here with yaml.v3,
// apart from the generator.
func TestDescriptionRequestExamplesPassArgumentChecks(t *testing.T) {
	data, err := os.ReadFile(sharedFile(t, "intercom-2.10.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `yaml:"operationId"`
			RequestBody struct {
				Content map[string]struct {
					Example  any `yaml:"example"`
					Examples map[string]struct {
						Value any `yaml:"value"`
					} `yaml:"examples"`
				} `yaml:"content"`
			} `yaml:"requestBody"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for path, methods := range doc.Paths {
		for method, o := range methods {
			op := catalog.ByID(o.OperationID)
			if op == nil || op.Body == nil {
				continue
			}
			for _, c := range o.RequestBody.Content {
				examples := map[string]any{}
				if c.Example != nil {
					examples["example"] = c.Example
				}
				for name, e := range c.Examples {
					examples[name] = e.Value
				}
				for name, ex := range examples {
					if why, ok := wrongExamples[o.OperationID+" "+name]; ok && why != "" {
						continue
					}
					v := asJSON(t, ex)
					for _, p := range catalog.ValidateWith(op.Body, v, catalog.ValidateOptions{ClosedObjects: true}) {
						if strings.Contains(p.Message, "is not a known field") {
							t.Errorf("%s %s (%s) example %q: %v", method, path, op.ID, name, p)
						}
					}
					checked++
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d request examples checked", checked)
	}
}

// wrongExamples are request examples that show a wrong request on purpose
// (the error it gets), or a request 2.10's schema does not describe at all.
var wrongExamples = map[string]string{
	"createOrUpdateCompany bad_request":                   "shows the 400 of an unknown field",
	"createTag invalid_parameters":                        "shows the 400 of a missing name",
	"createDataAttribute too_few_options_for_list":        "shows the 400 of a malformed list",
	"createMessage no_subject_supplied_for_email_message": "shows the 400 of an email without subject",
	"createMessage user_message_created":                  "a user-initiated message: 2.10's schema only has admin ones (from.type admin)",
	"createMessage lead_message_created":                  "a lead-initiated message: 2.10's schema only has admin ones (from.type admin)",
}

// asJSON turns a YAML value into what encoding/json decodes, with whole
// numbers as int64 as the bindings export them.
func asJSON(t *testing.T, v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return wholeNumbers(out)
}

func wholeNumbers(v any) any {
	switch x := v.(type) {
	case float64:
		if n, err := strconv.ParseInt(strconv.FormatFloat(x, 'f', -1, 64), 10, 64); err == nil {
			return n
		}
	case []any:
		for i := range x {
			x[i] = wholeNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = wholeNumbers(x[k])
		}
	}
	return v
}

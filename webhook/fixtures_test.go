package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/icscript/icscript/bindings/typings"
	"github.com/icscript/icscript/internal/testsupport"
)

// TestFixturesMatchTheDescription checks every fixture's item against the
// 2.10 description's component schema of its type.
func TestFixturesMatchTheDescription(t *testing.T) {
	data, err := os.ReadFile(testsupport.SharedFile(t, "intercom-2.10.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The description's one dangling $ref (FACTS.md §6): a free-form object.
	if !bytes.Contains(data, []byte("\n    custom_attributes:\n")) {
		data = bytes.Replace(data, []byte("\n  schemas:\n"), []byte("\n  schemas:\n    custom_attributes:\n      type: object\n"), 1)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, schema string, v any) {
		t.Helper()
		ref := doc.Components.Schemas[schema]
		if ref == nil {
			t.Fatalf("the description has no schema %q", schema)
		}
		if err := ref.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
			t.Errorf("not a valid %s: %v", schema, err)
		}
	}
	topics := FixtureTopics()
	if len(topics) < len(SandboxTopics) {
		t.Errorf("%d fixtures for %d sandbox topics", len(topics), len(SandboxTopics))
	}
	for _, topic := range SandboxTopics {
		t.Run(topic, func(t *testing.T) {
			raw, err := Fixture(topic)
			if err != nil {
				t.Fatal(err)
			}
			var item map[string]any
			if err := json.Unmarshal(raw, &item); err != nil {
				t.Fatal(err)
			}
			switch item["type"] {
			case "conversation", "contact", "ticket":
				check(t, item["type"].(string), item)
			case "contact_tag":
				check(t, "tag", item["tag"])
				check(t, "contact", item["contact"])
			default:
				t.Fatalf("item of type %v: no schema to check it against", item["type"])
			}
		})
	}
}

func TestOverride(t *testing.T) {
	doc := map[string]any{"data": map[string]any{"item": map[string]any{"source": map[string]any{"body": "x"}, "list": []any{"a", "b"}}}}
	for _, set := range [][2]string{{"data.item.source.body", "I want a refund"}, {"data.item.list.1", `{"id":"7"}`}, {"data.item.new.deep", "42"}, {"id", `"quoted"`}} {
		if err := Override(doc, set[0], set[1]); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := json.Marshal(doc)
	want := `{"data":{"item":{"list":["a",{"id":"7"}],"new":{"deep":42},"source":{"body":"I want a refund"}}},"id":"quoted"}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if err := Override(doc, "data.item.list.5", "1"); err == nil {
		t.Error("an index past the array's end was accepted")
	}
	if err := Override(doc, "data.item.source.body.x", "1"); err == nil {
		t.Error("a path through a string was accepted")
	}
}

// TestTopicListsAgree: the sandbox's topics, the fixtures and the typings'
// topic table name the same topics, and each fixture's item has the type
// the typings give it.
func TestTopicListsAgree(t *testing.T) {
	fixtures := FixtureTopics()
	if fmt.Sprint(fixtures) != fmt.Sprint(sorted(SandboxTopics)) {
		t.Errorf("fixtures %v\nsandbox topics %v", fixtures, sorted(SandboxTopics))
	}
	for _, topic := range fixtures {
		schema, ok := typings.WebhookTopics[topic]
		if !ok {
			t.Errorf("typings.WebhookTopics lacks %s", topic)
			continue
		}
		raw, _ := Fixture(topic)
		var item struct{ Type string }
		json.Unmarshal(raw, &item)
		if item.Type != schema {
			t.Errorf("%s: fixture's item is a %s, typings say %s", topic, item.Type, schema)
		}
	}
	if len(typings.WebhookTopics) != len(fixtures) {
		t.Errorf("typings know %d topics, fixtures %d", len(typings.WebhookTopics), len(fixtures))
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

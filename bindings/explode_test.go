package bindings_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/testsupport"
)

// explodedCase is one call of an operation with an exploded object query
// parameter whose schema's oneOf alternatives each close their properties
// (lisDataEvents' filter: user_id, intercom_user_id or email).
type explodedCase struct {
	js     string
	member string // the member sent, for a right call
	wrong  string // the misspelt member, for a wrong one
	right  string // the member the error suggests
}

// explodedParams reads, from version v's description, every operation's
// exploded object query parameters with closed oneOf alternatives: the
// operationId, the parameter, its alternatives' members, and the other
// required query parameters with a value each.
func explodedParams(t *testing.T, v string) (out []struct {
	id, param string
	members   []string
	others    map[string]any
}) {
	data, err := os.ReadFile(testsupport.DescriptionOf(t, v))
	if err != nil {
		t.Fatal(err)
	}
	type operation struct {
		OperationID string `yaml:"operationId"`
		Parameters  []struct {
			Name     string `yaml:"name"`
			In       string `yaml:"in"`
			Required bool   `yaml:"required"`
			Explode  bool   `yaml:"explode"`
			Schema   struct {
				Type  string   `yaml:"type"`
				Enum  []string `yaml:"enum"`
				OneOf []struct {
					Properties           map[string]any `yaml:"properties"`
					AdditionalProperties *bool          `yaml:"additionalProperties"`
				} `yaml:"oneOf"`
			} `yaml:"schema"`
		} `yaml:"parameters"`
	}
	var raw struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"` // path-level parameters are lists
	}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	var doc struct{ Paths []map[string]operation }
	for _, methods := range raw.Paths {
		ops := map[string]operation{}
		for method, n := range methods {
			switch method {
			case "get", "post", "put", "delete", "patch":
				var o operation
				if err := n.Decode(&o); err != nil {
					t.Fatal(err)
				}
				ops[method] = o
			}
		}
		doc.Paths = append(doc.Paths, ops)
	}
	for _, methods := range doc.Paths {
		for _, o := range methods {
			for _, p := range o.Parameters {
				if p.In != "query" || !p.Explode || p.Schema.Type != "object" || len(p.Schema.OneOf) == 0 {
					continue
				}
				e := struct {
					id, param string
					members   []string
					others    map[string]any
				}{id: o.OperationID, param: p.Name, others: map[string]any{}}
				for _, alt := range p.Schema.OneOf {
					if alt.AdditionalProperties == nil || *alt.AdditionalProperties {
						continue
					}
					for m := range alt.Properties {
						e.members = append(e.members, m)
					}
				}
				for _, q := range o.Parameters {
					if q.In == "query" && q.Required && q.Name != p.Name {
						e.others[q.Name] = "user"
						if len(q.Schema.Enum) > 0 {
							e.others[q.Name] = q.Schema.Enum[0]
						}
					}
				}
				if len(e.members) > 0 {
					out = append(out, e)
				}
			}
		}
	}
	return out
}

// TestExplodedQueryMembersChecked: for every version, a misspelt member of
// an exploded object parameter, inside the object or beside the other
// fields, is a TypeError naming it with a did-you-mean before anything is
// sent; a right one is sent as its own query parameter.
func TestExplodedQueryMembersChecked(t *testing.T) {
	found := 0
	for _, v := range testsupport.DescribedVersions(t) {
		var cases []explodedCase
		for _, e := range explodedParams(t, v) {
			op := catalog.MustFor(v).ByID(e.id)
			if op == nil {
				t.Fatalf("%s: %s is not in the catalogue", v, e.id)
			}
			for _, m := range e.members {
				found++
				wrong := m[:1] + m[2:] // user_id → uer_id
				with := func(fields map[string]any) string {
					all := map[string]any{}
					for k, x := range e.others {
						all[k] = x
					}
					for k, x := range fields {
						all[k] = x
					}
					js, _ := json.Marshal(all)
					return fmt.Sprintf("intercom.%s(%s)", op.JSName(), js)
				}
				cases = append(cases,
					explodedCase{js: with(map[string]any{e.param: map[string]any{wrong: "x"}}), wrong: wrong, right: m},
					explodedCase{js: with(map[string]any{wrong: "x"}), wrong: wrong, right: m},
					explodedCase{js: with(map[string]any{e.param: map[string]any{m: "x"}}), member: m},
					explodedCase{js: with(map[string]any{m: "x"}), member: m},
				)
			}
		}
		js := make([]string, len(cases))
		for i, c := range cases {
			js[i] = c.js
		}
		rec := okServer()
		rec.reply = func(r *http.Request, n int) (int, []byte) { return 200, []byte(`{}`) }
		outcomes, sent := runCases(t, newVM(t, rec, func(c *intercom.Config) { c.Version = v }), rec, js)
		for i, c := range cases {
			got := outcomes[i]
			if c.wrong != "" {
				if !strings.HasPrefix(got, "TypeError: ") || !strings.Contains(got, c.wrong) || !strings.Contains(got, fmt.Sprintf("did you mean %q", c.right)) || len(sent[i]) > 0 {
					t.Errorf("%s: %s: %s (%d requests sent), want a TypeError naming %s with did you mean %q", v, c.js, got, len(sent[i]), c.wrong, c.right)
				}
				continue
			}
			if got != "sent" || len(sent[i]) != 1 || sent[i][0].Query.Get(c.member) != "x" {
				t.Errorf("%s: %s: %s, %+v; want %s=x sent", v, c.js, got, sent[i], c.member)
			}
		}
	}
	if found == 0 {
		t.Fatal("no exploded object parameter with closed alternatives in the descriptions")
	}
}

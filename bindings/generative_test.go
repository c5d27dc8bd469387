package bindings_test

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/testsupport"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/runtime/runtimetest"
)

// specOp is one operation as Intercom's description states it, read here
// with yaml.v3, apart from the generator that built the catalogue.
type specOp struct {
	ID, Method, Path string
	PathParams       []string
	Query            []string
	BodyFields       []string // top-level properties of a body schema that declares them plainly
	// BodyTypes and QueryTypes: the primitive type (string, integer,
	// number, boolean) the description gives a body field or query
	// parameter plainly (a type, no $ref, no composition).
	BodyTypes, QueryTypes map[string]string
}

// plainType is a schema's primitive type when it states one plainly.
func plainType(s map[string]any) string {
	if s == nil {
		return ""
	}
	for _, k := range []string{"$ref", "oneOf", "anyOf", "allOf"} {
		if _, ok := s[k]; ok {
			return ""
		}
	}
	switch t, _ := s["type"].(string); t {
	case "string", "integer", "number", "boolean":
		return t
	}
	return ""
}

func readSpecOps(t *testing.T) []specOp {
	data, err := os.ReadFile(testsupport.SharedFile(t, "intercom-2.10.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `yaml:"operationId"`
			Parameters  []struct {
				Name   string         `yaml:"name"`
				In     string         `yaml:"in"`
				Schema map[string]any `yaml:"schema"`
			} `yaml:"parameters"`
			RequestBody struct {
				Content map[string]struct {
					Schema map[string]any `yaml:"schema"`
				} `yaml:"content"`
			} `yaml:"requestBody"`
		} `yaml:"paths"`
		Components struct {
			Schemas map[string]map[string]any `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var out []specOp
	for path, methods := range doc.Paths {
		for method, o := range methods {
			if o.OperationID == "" {
				continue
			}
			op := specOp{ID: o.OperationID, Method: strings.ToUpper(method), Path: path,
				BodyTypes: map[string]string{}, QueryTypes: map[string]string{}}
			for _, seg := range strings.Split(path, "/") {
				if strings.HasPrefix(seg, "{") {
					op.PathParams = append(op.PathParams, strings.Trim(seg, "{}"))
				}
			}
			for _, p := range o.Parameters {
				if p.In == "query" {
					op.Query = append(op.Query, p.Name)
					if t := plainType(p.Schema); t != "" {
						op.QueryTypes[p.Name] = t
					}
				}
			}
			s := o.RequestBody.Content["application/json"].Schema
			if ref, ok := s["$ref"].(string); ok {
				s = doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
			}
			props, _ := s["properties"].(map[string]any)
			_, composed := s["oneOf"]
			_, composed2 := s["anyOf"]
			_, composed3 := s["allOf"]
			_, open := s["additionalProperties"]
			if !composed && !composed2 && !composed3 && !open {
				for name, ps := range props {
					op.BodyFields = append(op.BodyFields, name)
					if ps, ok := ps.(map[string]any); ok && plainType(ps) != "" {
						op.BodyTypes[name] = plainType(ps)
					}
				}
				sort.Strings(op.BodyFields)
			}
			out = append(out, op)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// genCase is one generated call and what the description says of it.
type genCase struct {
	op        specOp
	js        string
	typeError string // a TypeError containing this is required ("" : either outcome, checked on the wire)
	params    []string
	undefined []string // fields the script had undefined: absent from the wire
	null      string   // a body field the script set to null: null on the wire, if sent
}

// wrongValue is a JS value of another type than t, the description's
// primitive type of a field.
func wrongValue(t string) string {
	switch t {
	case "string":
		return "12345"
	case "boolean":
		return `"yes"`
	}
	return `"ten"` // integer, number
}

// TestGeneratedCallsOverEveryOperation: for every operation of the
// description, generated calls with dot and slash path segments, misspelt
// fields and undefined fields go through the real JS bindings to a recording
// server. Each either throws a TypeError before anything is sent, or what is
// sent fits the description: the method, the path template with each
// parameter as one escaped segment, declared query names, and no field the
// script left undefined, a null kept as null (issue 12, "Tests"). A value
// of another type than the one the description gives a body field or a
// query parameter must throw.
func TestGeneratedCallsOverEveryOperation(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	var cases []genCase
	for _, op := range readSpecOps(t) {
		cat := catalog.ByID(op.ID)
		if cat == nil {
			t.Errorf("%s: not in the catalogue", op.ID)
			continue
		}
		name := "intercom." + cat.JSName()
		ids := func(v string) []string {
			out := make([]string, len(op.PathParams))
			for i := range out {
				out[i] = fmt.Sprintf("id%d", rng.Intn(1000))
			}
			if v != "" && len(out) > 0 {
				out[rng.Intn(len(out))] = v
			}
			return out
		}
		call := func(params []string, fields string) string {
			var args []string
			for _, p := range params {
				b, _ := json.Marshal(p)
				args = append(args, string(b))
			}
			if fields != "" {
				args = append(args, fields)
			}
			return name + "(" + strings.Join(args, ", ") + ")"
		}
		for _, dot := range []string{".", ".."} {
			if len(op.PathParams) > 0 {
				p := ids(dot)
				cases = append(cases, genCase{op: op, js: call(p, ""), typeError: fmt.Sprintf("must not be %q", dot), params: p})
			}
		}
		for _, odd := range []string{"a/b", "a?b#c", "50%", "../x", "é ü"} {
			p := ids(odd)
			cases = append(cases, genCase{op: op, js: call(p, ""), params: p})
		}
		for _, f := range op.BodyFields {
			if len(f) >= 4 {
				miss := f[:len(f)-2] + string(f[len(f)-1]) + string(f[len(f)-2])
				if !contains(op.BodyFields, miss) {
					cases = append(cases, genCase{op: op, js: call(ids(""), fmt.Sprintf("{%q: 1}", miss)),
						typeError: fmt.Sprintf("%s: is not a known field (did you mean %q?)", miss, f)})
				}
			}
			p := ids("")
			cases = append(cases, genCase{op: op, js: call(p, fmt.Sprintf("{%q: undefined}", f)), params: p, undefined: []string{f}})
		}
		for _, f := range op.BodyFields {
			if t := op.BodyTypes[f]; t != "" {
				cases = append(cases, genCase{op: op, js: call(ids(""), fmt.Sprintf("{%q: %s}", f, wrongValue(t))),
					typeError: f + ": "})
			}
			p := ids("")
			cases = append(cases, genCase{op: op, js: call(p, fmt.Sprintf("{%q: null}", f)), params: p, null: f})
		}
		for _, q := range op.Query {
			p := ids("")
			cases = append(cases, genCase{op: op, js: call(p, fmt.Sprintf("{%q: undefined}", q)), params: p, undefined: []string{q}})
			if t := op.QueryTypes[q]; t == "integer" || t == "number" || t == "boolean" {
				cases = append(cases, genCase{op: op, js: call(ids(""), fmt.Sprintf("{%q: %s}", q, wrongValue(t))),
					typeError: q + " must be a"})
			}
		}
	}
	wrong, nulls := 0, 0
	for _, c := range cases {
		if strings.HasSuffix(c.typeError, ": ") || strings.HasSuffix(c.typeError, " must be a") {
			wrong++
		}
		if c.null != "" {
			nulls++
		}
	}
	if wrong < 100 || nulls < 100 {
		t.Fatalf("%d wrong-type and %d null cases: the description's types were not read", wrong, nulls)
	}
	js := make([]string, len(cases))
	for i, c := range cases {
		js[i] = c.js
	}
	rec := okServer()
	rec.reply = func(r *http.Request, n int) (int, []byte) { return 200, []byte(`{}`) }
	outcomes, byCase := runCases(t, newVM(t, rec), rec, js)
	for i, c := range cases {
		got, sent := outcomes[i], byCase[i]
		if strings.HasPrefix(got, "TypeError: ") {
			if len(sent) > 0 {
				t.Errorf("%s: threw %q after sending %d requests", c.js, got, len(sent))
			}
			if !strings.Contains(got, "intercom.") || c.typeError != "" && !strings.Contains(got, c.typeError) {
				t.Errorf("%s: %s, want a TypeError naming the call and %q", c.js, got, c.typeError)
			}
			continue
		}
		if c.typeError != "" {
			t.Errorf("%s: %s, want a TypeError containing %q", c.js, got, c.typeError)
			continue
		}
		if len(sent) == 0 {
			t.Errorf("%s: %s, and nothing was sent", c.js, got)
			continue
		}
		checkWire(t, c, sent[0])
	}
}

// checkWire checks one sent request against the description.
func checkWire(t *testing.T, c genCase, r recorded) {
	t.Helper()
	if r.Method != c.op.Method {
		t.Errorf("%s: sent %s, the description says %s", c.js, r.Method, c.op.Method)
	}
	tmpl := strings.Split(c.op.Path, "/")
	segs := strings.Split(r.RawPath, "/")
	if len(segs) != len(tmpl) {
		t.Errorf("%s: sent path %s, template %s", c.js, r.RawPath, c.op.Path)
		return
	}
	k := 0
	for i, s := range tmpl {
		switch {
		case strings.HasPrefix(s, "{"):
			if k < len(c.params) && segs[i] != url.PathEscape(c.params[k]) && !(segs[i] == c.params[k]) {
				t.Errorf("%s: segment %q for parameter %q", c.js, segs[i], c.params[k])
			}
			if segs[i] == "." || segs[i] == ".." {
				t.Errorf("%s: dot segment sent: %s", c.js, r.RawPath)
			}
			k++
		case s != segs[i]:
			t.Errorf("%s: sent path %s, template %s", c.js, r.RawPath, c.op.Path)
		}
	}
	var body map[string]any
	_ = json.Unmarshal(r.Body, &body)
	if c.null != "" {
		if v, ok := body[c.null]; !ok || v != nil {
			t.Errorf("%s: sent %s; the script's null must go on the wire as null", c.js, r.Body)
		}
	}
	for _, f := range c.undefined {
		if _, ok := body[f]; ok {
			t.Errorf("%s: %s sent (%s) though the script had it undefined", c.js, f, r.Body)
		}
		if r.Query.Has(f) {
			t.Errorf("%s: query %s sent though the script had it undefined", c.js, f)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// runCases runs each call of js in turn in vm, whose server is rec, and
// returns each one's outcome ("sent", or the error: "TypeError: …") and
// the requests it sent. A Pager is walked to its first item.
func runCases(t *testing.T, vm *runtime.VM, rec *recorder, js []string) (outcomes []string, sent [][]recorded) {
	t.Helper()
	var src strings.Builder
	src.WriteString("const out = [];\nconst cases = [\n")
	for _, c := range js {
		src.WriteString("  () => " + c + ",\n")
	}
	src.WriteString(`];
for (let i = 0; i < cases.length; i++) {
  await intercom.raw("GET", "/__case/" + i);
  try {
    const r = cases[i]();
    if (r && typeof r.first === "function") await r.first(); else await r;
    out.push("sent");
  } catch (e) { out.push((e instanceof TypeError ? "TypeError: " : "Error: ") + e.message); }
}
console.log(JSON.stringify(out));
`)
	stdout, err := runtimetest.Run(t, vm, src.String())
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(stdout)), &outcomes); err != nil || len(outcomes) != len(js) {
		t.Fatalf("outcomes %d of %d: %v", len(outcomes), len(js), err)
	}
	sent = make([][]recorded, len(js))
	cur := -1
	for _, r := range rec.requests() {
		if strings.HasPrefix(r.Path, "/__case/") {
			fmt.Sscan(strings.TrimPrefix(r.Path, "/__case/"), &cur)
			continue
		}
		sent[cur] = append(sent[cur], r)
	}
	return outcomes, sent
}

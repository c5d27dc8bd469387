package webhook

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// fixtures holds one item per topic, fixtures/TOPIC.json: the object a
// notification of that topic carries in data.item, taken from a seeded
// sandbox and checked against the 2.10 schemas by fixtures_test.go.
//
//go:embed fixtures/*.json
var fixtures embed.FS

// FixtureTopics lists the topics with a fixture.
func FixtureTopics() []string {
	entries, _ := fs.ReadDir(fixtures, "fixtures")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(out)
	return out
}

// Fixture is the item of topic's fixture.
func Fixture(topic string) (json.RawMessage, error) {
	data, err := fixtures.ReadFile("fixtures/" + topic + ".json")
	if err != nil {
		return nil, fmt.Errorf("no fixture for topic %q (topics: %s)", topic, strings.Join(FixtureTopics(), ", "))
	}
	return data, nil
}

// Override sets the value at a dotted path of a JSON object
// (data.item.source.body, data.item.contacts.contacts.0.id): objects on
// the way are created, a number indexes an array. value is JSON when it
// parses as JSON (42, true, null, {"a":1}, "quoted"), else a string.
func Override(doc map[string]any, path, value string) error {
	if path == "" {
		return fmt.Errorf("--set wants path=value, got an empty path")
	}
	var v any
	if err := json.Unmarshal([]byte(value), &v); err != nil {
		v = value
	}
	keys := strings.Split(path, ".")
	var cur any = doc
	for i, k := range keys {
		last := i == len(keys)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[k] = v
				return nil
			}
			next, ok := c[k]
			if !ok || next == nil {
				next = map[string]any{}
				c[k] = next
			}
			cur = next
		case []any:
			n, err := strconv.Atoi(k)
			if err != nil || n < 0 || n >= len(c) {
				return fmt.Errorf("--set %s: %q is not an index of the array at %s (length %d)", path, k, strings.Join(keys[:i], "."), len(c))
			}
			if last {
				c[n] = v
				return nil
			}
			cur = c[n]
		default:
			return fmt.Errorf("--set %s: %s is not an object or an array", path, strings.Join(keys[:i], "."))
		}
	}
	return nil
}

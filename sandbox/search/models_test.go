package search

import (
	"testing"

	"github.com/icscript/icscript/intercom/catalog"
)

// TestModelsMapDescribedFields: every field a model maps onto the records
// is one some version's description lists for its search (a misspelt or
// dropped name would map nothing), and every version's fields make a
// field set.
func TestModelsMapDescribedFields(t *testing.T) {
	listed := map[string]map[string]bool{}
	for _, v := range catalog.Versions() {
		for id := range models {
			op := catalog.MustFor(v).ByID(id)
			if op == nil {
				continue
			}
			if listed[id] == nil {
				listed[id] = map[string]bool{}
			}
			var described []Described
			for _, f := range op.SearchFields {
				listed[id][f.Name] = true
				described = append(described, Described{Name: f.Name, Type: f.Type, Operators: f.Operators})
			}
			if fs, err := ForOperation(id, described); fs == nil || err != nil {
				t.Errorf("%s %s: no field set: %v", v, id, err)
			}
		}
	}
	for id, md := range models {
		for name := range md.onto {
			if !listed[id][name] {
				t.Errorf("%s: the model maps %s, which no version's description lists", id, name)
			}
		}
	}
}

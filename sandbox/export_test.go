package sandbox

import "github.com/icscript/icscript/sandbox/search"

// SearchFieldsOf is the field set the sandbox searches with for the search
// operationID in API version v, for the external tests.
func SearchFieldsOf(v, operationID string) (*search.FieldSet, error) {
	av, err := versionOf(v)
	if err != nil {
		return nil, err
	}
	sf := av.searches[operationID]
	return sf.fs, sf.err
}

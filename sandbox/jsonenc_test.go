package sandbox

import (
	"encoding/json"
	"testing"
)

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	v := map[string]any{
		"s": "a\"b\\c<d>&e\n\t\x01 é \u2028 🎉", "i": int64(-42), "n": nil, "b": true, "f": 3.25, "big": 1e22, "tiny": 1e-7,
		"zero": 0.0, "arr": []any{int64(1), "x", map[string]any{"z": false, "a": []any{}}}, "int": 7,
		"obj": map[string]any{}, "strs": []string{"a", "b"},
	}
	want, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := appendJSON(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("appendJSON:\n got %s\nwant %s", got, want)
	}
}

func TestObjectsStartWithTypeAndID(t *testing.T) {
	got, err := appendJSON(nil, map[string]any{"name": "x", "id": "1", "type": "contact", "a": true})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"type":"contact","id":"1","a":true,"name":"x"}`; string(got) != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

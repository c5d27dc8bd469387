package stdlib

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/runtime"
)

// FuzzReadCSV: no input may panic; every failure is a csvError with a line
// number; with a header, every row has the header's width.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("email,name\na@x.io,\"Doe, Jane\"\n"), ",", true)
	f.Add([]byte("\xEF\xBB\xBFa;b\r\n1;\"two\nlines\"\r\n"), ";", true)
	f.Add([]byte("a,b\n1\n"), ",", false)
	f.Add([]byte("a,\"b\n"), ",", true)
	f.Fuzz(func(t *testing.T, data []byte, delim string, header bool) {
		d, err := checkDelimiter(delim)
		if err != nil {
			return
		}
		head, rows, err := readCSVRecords(bytes.NewReader(data), csvOptions{delimiter: d, header: header})
		if err != nil {
			var ce *csvError
			if !errors.As(err, &ce) || ce.line < 1 || ce.msg == "" {
				t.Fatalf("error %v (%T) is not a csvError with a line", err, err)
			}
			return
		}
		if !header && head != nil {
			t.Fatalf("header %q without header: true", head)
		}
		for i, r := range rows {
			if header && len(r) != len(head) {
				t.Fatalf("row %d has %d fields; header %d", i, len(r), len(head))
			}
		}
	})
}

// FuzzJSONGet: json.get and json.query on any text and any gjson path
// from a script either return a value or an error naming the call; gjson
// must never panic through them.
func FuzzJSONGet(f *testing.F) {
	f.Add(`{"data":[{"role":"user","email":"a@x.io"},{"role":"lead"}]}`, `data.#(role=="user")#.email`)
	f.Add(`{"a":{"b":[1,2,3]}}`, `a.b.#`)
	f.Add(`[1,2,3]`, `@reverse`)
	f.Add(`{"a":1}`, `{a,"b":a}`)
	f.Add(`{"a":"\u00e9"}`, `a|@this`)
	f.Add(`not json`, `a`)
	vm := runtime.New(context.Background(), runtime.Options{})
	defer vm.Close()
	s := newLib(vm, Env{})
	m := newJSON(s)
	f.Fuzz(func(t *testing.T, doc, path string) {
		for name, fn := range map[string]jsFunc{"json.get": m.get, "json.query": m.query} {
			call := goja.FunctionCall{Arguments: []goja.Value{s.rt.ToValue(doc), s.rt.ToValue(path)}}
			var err error
			if ex := s.rt.Try(func() { _, err = fn(call) }); ex != nil {
				t.Fatalf("%s(%q, %q) threw %v", name, doc, path, ex)
			}
			if err != nil && !strings.HasPrefix(err.Error(), name+"(): ") {
				t.Fatalf("%s(%q, %q): error %q does not name the call", name, doc, path, err)
			}
		}
	})
}

package stdlib

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"syscall"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/runtime"
)

// fsModule is the fs global: files for ops scripts. Relative paths resolve
// against Env.ScriptDir; writes are atomic (a temporary file in the same
// directory, then a rename), so a crash never leaves half a file.
type fsModule struct{ s *lib }

func newFS(s *lib) *fsModule { return &fsModule{s: s} }

func (m *fsModule) exports() map[string]jsFunc {
	return map[string]jsFunc{
		"readText":   m.readText,
		"writeText":  m.writeText,
		"appendText": m.appendText,
		"readJSON":   m.readJSON,
		"writeJSON":  m.writeJSON,
		"readCSV":    m.readCSV,
		"writeCSV":   m.writeCSV,
		"readLines":  m.readLines,
		"exists":     m.exists,
		"mkdir":      m.mkdir,
		"list":       m.list,
		"remove":     m.remove,
	}
}

// resolve returns the path the script means: absolute paths as they are,
// relative ones under the script's directory.
func (m *fsModule) resolve(p string) string {
	if filepath.IsAbs(p) || m.s.env.ScriptDir == "" {
		return filepath.Clean(p)
	}
	return filepath.Join(m.s.env.ScriptDir, p)
}

// pathArg reads the path argument of call and resolves it.
func (m *fsModule) pathArg(call string, v goja.Value) (given, full string, err error) {
	given, err = stringArg(call, "the path", v)
	if err != nil {
		return "", "", err
	}
	if given == "" {
		return "", "", typeErrorf(call, "the path is empty")
	}
	return given, m.resolve(given), nil
}

// readPathArg is pathArg for the functions that read a file's contents:
// a process's environment (/proc/<pid>/environ, however reached: through
// /proc/self, /proc/thread-self, a task directory or a symlink) holds the
// token icscript hides from scripts, so reading it is refused.
func (m *fsModule) readPathArg(call string, v goja.Value) (given, full string, err error) {
	given, full, err = m.pathArg(call, v)
	if err != nil {
		return "", "", err
	}
	if isProcEnviron(full) {
		return "", "", errorf(call, "%q is a process's environment, which holds icscript's credentials: scripts may not read it (use the env global)", given)
	}
	return given, full, nil
}

// isProcEnviron reports whether path is, or resolves to, an environ file of
// procfs.
func isProcEnviron(path string) bool {
	for _, p := range []string{path, resolvedPath(path)} {
		parts := strings.Split(filepath.ToSlash(filepath.Clean(p)), "/")
		if len(parts) >= 3 && parts[0] == "" && parts[1] == "proc" && parts[len(parts)-1] == "environ" {
			return true
		}
	}
	return false
}

// resolvedPath is path with every symlink resolved, as far as they resolve.
func resolvedPath(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	if r, err := filepath.EvalSymlinks(filepath.Dir(path)); err == nil {
		return filepath.Join(r, filepath.Base(path))
	}
	return path
}

// mayBlock reports whether reading path can wait forever (a FIFO, a pipe,
// a terminal, /dev/stdin): anything but a regular file.
func mayBlock(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.Mode().IsRegular()
}

// interruptible runs fn off the loop when it may block, giving up when the
// run is stopped (--timeout, Ctrl-C): a read of a FIFO nobody writes must
// not outlive the run. The abandoned read ends with the process.
func interruptible[T any](vm *runtime.VM, call string, block bool, fn func() (T, error)) (T, error) {
	if !block {
		return fn()
	}
	ctx := vm.Context()
	type out struct {
		v   T
		err error
	}
	ch := make(chan out, 1)
	go func() {
		v, err := fn()
		ch <- out{v, err}
	}()
	select {
	case o := <-ch:
		return o.v, o.err
	case <-ctx.Done():
		// The context's own hook interrupts the VM from another goroutine;
		// do it now, so no catch block runs before the interruption lands.
		cause := context.Cause(ctx)
		vm.Interrupt(cause)
		var zero T
		return zero, errorf(call, "stopped while waiting for input: %v", cause)
	}
}

// fileError explains a failed file operation on the path the script gave.
func fileError(call, given, full string, err error) error {
	var je *jsError
	if errors.As(err, &je) {
		return err // already explained (a stopped read)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		dir, aerr := filepath.Abs(filepath.Dir(full))
		if aerr != nil {
			dir = filepath.Dir(full)
		}
		return errorf(call, "no such file %q (looked in %s)", given, dir)
	case errors.Is(err, fs.ErrPermission):
		return errorf(call, "permission denied: %q", given)
	case errors.Is(err, syscall.EISDIR):
		return errorf(call, "%q is a directory", given)
	case errors.Is(err, syscall.ENOTDIR):
		return errorf(call, "%q: a parent of it is not a directory", given)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return errorf(call, "%q: %v", given, err)
}

func (m *fsModule) read(call string, v goja.Value) (given string, data []byte, err error) {
	given, full, err := m.readPathArg(call, v)
	if err != nil {
		return "", nil, err
	}
	data, err = interruptible(m.s.vm, call, mayBlock(full), func() ([]byte, error) { return os.ReadFile(full) })
	if err != nil {
		return "", nil, fileError(call, given, full, err)
	}
	return given, data, nil
}

// readText is fs.readText(path): the file as a string, exactly.
func (m *fsModule) readText(call goja.FunctionCall) (any, error) {
	_, data, err := m.read("fs.readText", call.Argument(0))
	if err != nil {
		return nil, err
	}
	return string(data), nil
}

// writeText is fs.writeText(path, text), atomic.
func (m *fsModule) writeText(call goja.FunctionCall) (any, error) {
	const name = "fs.writeText"
	given, full, err := m.pathArg(name, call.Argument(0))
	if err != nil {
		return nil, err
	}
	text, err := m.textArg(name, call.Argument(1))
	if err != nil {
		return nil, err
	}
	return nil, writeAtomic(name, given, full, []byte(text))
}

func (m *fsModule) textArg(call string, v goja.Value) (string, error) {
	if v == nil || !goja.IsString(v) {
		return "", typeErrorf(call, "the text must be a string, got %s (fs.writeJSON writes values as JSON)", describe(v))
	}
	return v.String(), nil
}

// appendText is fs.appendText(path, text): creates the file if needed.
func (m *fsModule) appendText(call goja.FunctionCall) (any, error) {
	const name = "fs.appendText"
	given, full, err := m.pathArg(name, call.Argument(0))
	if err != nil {
		return nil, err
	}
	text, err := m.textArg(name, call.Argument(1))
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(full, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, writeError(name, given, full, err)
	}
	_, werr := f.WriteString(text)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return nil, fileError(name, given, full, werr)
	}
	return nil, nil
}

// writeError is fileError for writes: a missing file means a missing
// directory.
func writeError(call, given, full string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		dir, aerr := filepath.Abs(filepath.Dir(full))
		if aerr != nil {
			dir = filepath.Dir(full)
		}
		return errorf(call, "cannot write %q: no such directory %s (create it with fs.mkdir)", given, dir)
	}
	return fileError(call, given, full, err)
}

// writeAtomic writes data to a temporary file beside full and renames it
// over full, keeping an existing file's permissions.
func writeAtomic(call, given, full string, data []byte) (err error) {
	mode := fs.FileMode(0o644)
	if st, serr := os.Stat(full); serr == nil {
		if st.IsDir() {
			return errorf(call, "%q is a directory", given)
		}
		mode = st.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(full), "."+filepath.Base(full)+".*.tmp")
	if err != nil {
		return writeError(call, given, full, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, mode)
	}
	if err == nil {
		err = os.Rename(tmp, full)
	}
	if err != nil {
		return fileError(call, given, full, err)
	}
	return nil
}

// readJSON is fs.readJSON(path): the parsed file; malformed JSON is an
// error naming the line.
func (m *fsModule) readJSON(call goja.FunctionCall) (any, error) {
	const name = "fs.readJSON"
	given, data, err := m.read(name, call.Argument(0))
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errorf(name, "%s is empty, not JSON", given)
	}
	v, err := m.s.parseJSON(data)
	if err != nil {
		return nil, errorf(name, "%s %s", given, err.Error())
	}
	return v, nil
}

// parseJSON parses JSON text with JSON.parse (so key order is kept); a
// syntax error says on which line.
func (s *lib) parseJSON(data []byte) (goja.Value, error) {
	v, err := s.jsonParse(goja.Undefined(), s.rt.ToValue(string(data)))
	if err == nil {
		return v, nil
	}
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		panic(ie)
	}
	return nil, jsonSyntaxError(data, err)
}

// jsonSyntaxError locates a JSON syntax error with encoding/json, whose
// messages are clearer than JSON.parse's and carry an offset.
func jsonSyntaxError(data []byte, jsErr error) error {
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := min(max(se.Offset-1, 0), int64(len(data)))
		line := bytes.Count(data[:off], []byte{'\n'}) + 1
		return fmt.Errorf("line %d: %s", line, se.Error())
	}
	msg := jsErr.Error()
	var ex *goja.Exception
	if errors.As(jsErr, &ex) {
		msg = ex.Value().String()
	}
	return errors.New(msg)
}

// writeJSON is fs.writeJSON(path, value, {pretty: true}): two-space
// indentation and a trailing newline by default.
func (m *fsModule) writeJSON(call goja.FunctionCall) (any, error) {
	const name = "fs.writeJSON"
	given, full, err := m.pathArg(name, call.Argument(0))
	if err != nil {
		return nil, err
	}
	opts, err := options(name, call.Argument(2))
	if err != nil {
		return nil, err
	}
	pretty := true
	if p := option(opts, "pretty"); !goja.IsUndefined(p) {
		pretty = p.ToBoolean()
	}
	text, err := m.s.stringify(name, call.Argument(1), pretty)
	if err != nil {
		return nil, err
	}
	return nil, writeAtomic(name, given, full, []byte(text+"\n"))
}

// stringify is JSON.stringify with errors naming call; undefined (or a
// function) is an error, there being nothing to write.
func (s *lib) stringify(call string, v goja.Value, pretty bool) (string, error) {
	indent := goja.Value(goja.Undefined())
	if pretty {
		indent = s.rt.ToValue(2)
	}
	out, err := s.jsonStringify(goja.Undefined(), v, goja.Null(), indent)
	if err != nil {
		return "", jsCallError(call, "cannot convert the value to JSON", err)
	}
	if goja.IsUndefined(out) {
		return "", typeErrorf(call, "cannot convert %s to JSON", describe(v))
	}
	return out.String(), nil
}

// readCSV is fs.readCSV(path, {delimiter: ",", header: true}): an array of
// objects keyed by the header row (values are strings), or of arrays with
// header: false.
func (m *fsModule) readCSV(call goja.FunctionCall) (any, error) {
	const name = "fs.readCSV"
	opts, err := options(name, call.Argument(1))
	if err != nil {
		return nil, err
	}
	copts, err := csvOptionsFrom(name, opts)
	if err != nil {
		return nil, err
	}
	given, full, err := m.readPathArg(name, call.Argument(0))
	if err != nil {
		return nil, err
	}
	type records struct {
		header []string
		rows   [][]string
	}
	recs, err := interruptible(m.s.vm, name, mayBlock(full), func() (records, error) {
		f, err := os.Open(full)
		if err != nil {
			return records{}, err
		}
		defer f.Close()
		header, rows, err := readCSVRecords(f, copts)
		return records{header, rows}, err
	})
	header, rows := recs.header, recs.rows
	if err != nil {
		var ce *csvError
		if errors.As(err, &ce) {
			return nil, errorf(name, "%s %s", given, ce.Error())
		}
		return nil, fileError(name, given, full, err)
	}
	return m.csvValue(header, rows), nil
}

func csvOptionsFrom(call string, opts *goja.Object) (csvOptions, error) {
	o := csvOptions{delimiter: ',', header: true}
	if d := option(opts, "delimiter"); !goja.IsUndefined(d) {
		r, err := checkDelimiter(d.String())
		if err != nil || !goja.IsString(d) {
			return o, typeErrorf(call, "the delimiter must be one character other than a quote or a newline, got %s", describe(d))
		}
		o.delimiter = r
	}
	if h := option(opts, "header"); !goja.IsUndefined(h) {
		o.header = h.ToBoolean()
	}
	return o, nil
}

func (m *fsModule) csvValue(header []string, rows [][]string) goja.Value {
	rt := m.s.rt
	items := make([]any, len(rows))
	for i, rec := range rows {
		if header == nil {
			fields := make([]any, len(rec))
			for j, f := range rec {
				fields[j] = f
			}
			items[i] = rt.NewArray(fields...)
			continue
		}
		obj := rt.NewObject()
		for j, h := range header {
			_ = obj.DefineDataProperty(h, rt.ToValue(rec[j]), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
		}
		items[i] = obj
	}
	return rt.NewArray(items...)
}

// writeCSV is fs.writeCSV(path, rows, {columns, delimiter}): rows are
// objects (columns: the given ones, or the union of keys in first-seen
// order; a header row is written) or arrays (written as they are, after a
// header row only if columns are given).
func (m *fsModule) writeCSV(call goja.FunctionCall) (any, error) {
	const name = "fs.writeCSV"
	given, full, err := m.pathArg(name, call.Argument(0))
	if err != nil {
		return nil, err
	}
	arr, ok := call.Argument(1).(*goja.Object)
	if !ok || arr.ClassName() != "Array" {
		return nil, typeErrorf(name, "the rows must be an array of objects or of arrays, got %s", describe(call.Argument(1)))
	}
	opts, err := options(name, call.Argument(2))
	if err != nil {
		return nil, err
	}
	delim := ','
	if d := option(opts, "delimiter"); !goja.IsUndefined(d) {
		if delim, err = checkDelimiter(d.String()); err != nil || !goja.IsString(d) {
			return nil, typeErrorf(name, "the delimiter must be one character other than a quote or a newline, got %s", describe(d))
		}
	}
	columns, err := columnsOption(name, option(opts, "columns"))
	if err != nil {
		return nil, err
	}
	records, err := m.csvRecords(name, arr, columns)
	if err != nil {
		return nil, err
	}
	data, err := writeCSVRecords(records, delim)
	if err != nil {
		return nil, errorf(name, "%v", err)
	}
	return nil, writeAtomic(name, given, full, data)
}

func columnsOption(call string, v goja.Value) ([]string, error) {
	if isNullish(v) {
		return nil, nil
	}
	obj, ok := v.(*goja.Object)
	if !ok || obj.ClassName() != "Array" {
		return nil, typeErrorf(call, "columns must be an array of strings, got %s", describe(v))
	}
	n := int(obj.Get("length").ToInteger())
	cols := make([]string, n)
	for i := range n {
		c := obj.Get(strconv.Itoa(i))
		if c == nil || !goja.IsString(c) {
			return nil, typeErrorf(call, "columns must be an array of strings, but columns[%d] is %s", i, describe(c))
		}
		cols[i] = c.String()
	}
	return cols, nil
}

// csvRecords turns the rows into records, the header first.
func (m *fsModule) csvRecords(call string, arr *goja.Object, columns []string) ([][]string, error) {
	n := int(arr.Get("length").ToInteger())
	rows := make([]*goja.Object, n)
	arrays := false
	for i := range n {
		v := arr.Get(strconv.Itoa(i))
		obj, ok := v.(*goja.Object)
		if !ok {
			return nil, typeErrorf(call, "rows[%d] must be an object or an array, got %s", i, describe(v))
		}
		isArr := obj.ClassName() == "Array"
		if i == 0 {
			arrays = isArr
		} else if isArr != arrays {
			return nil, typeErrorf(call, "rows[%d] is %s but rows[0] is %s; use one kind", i, describe(v), describe(rows[0]))
		}
		rows[i] = obj
	}
	if !arrays && columns == nil {
		columns = unionKeys(rows)
	}
	records := make([][]string, 0, n+1)
	if columns != nil {
		records = append(records, columns)
	}
	for _, row := range rows {
		rec, err := m.csvRecord(call, row, arrays, columns)
		if err != nil {
			return nil, err
		}
		records = append(records, rec)
	}
	return records, nil
}

func unionKeys(rows []*goja.Object) []string {
	seen := map[string]bool{}
	var cols []string
	for _, row := range rows {
		for _, k := range row.Keys() {
			if !seen[k] {
				seen[k] = true
				cols = append(cols, k)
			}
		}
	}
	return cols
}

func (m *fsModule) csvRecord(call string, row *goja.Object, array bool, columns []string) ([]string, error) {
	if array {
		n := int(row.Get("length").ToInteger())
		rec := make([]string, n)
		for i := range n {
			cell, err := m.cell(call, row.Get(strconv.Itoa(i)))
			if err != nil {
				return nil, err
			}
			rec[i] = cell
		}
		return rec, nil
	}
	rec := make([]string, len(columns))
	for i, c := range columns {
		cell, err := m.cell(call, row.Get(c))
		if err != nil {
			return nil, err
		}
		rec[i] = cell
	}
	return rec, nil
}

// cell is a CSV field for a JS value: empty for null and undefined, dates
// in ISO 8601, objects and arrays as JSON, everything else as String(v).
func (m *fsModule) cell(call string, v goja.Value) (string, error) {
	if isNullish(v) {
		return "", nil
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return v.String(), nil
	}
	if obj.ClassName() == "Date" {
		if iso, ok := goja.AssertFunction(obj.Get("toISOString")); ok {
			if out, err := iso(obj); err == nil {
				return out.String(), nil
			}
		}
	}
	return m.s.stringify(call, v, false)
}

// readLines is fs.readLines(path): a lazy iterator over the file's lines
// (without their "\n" or "\r\n"), read with a small buffer so files of any
// size take constant memory. for…of closes the file when the loop ends or
// breaks.
func (m *fsModule) readLines(call goja.FunctionCall) (any, error) {
	const name = "fs.readLines"
	given, full, err := m.readPathArg(name, call.Argument(0))
	if err != nil {
		return nil, err
	}
	block := mayBlock(full)
	f, err := interruptible(m.s.vm, name, block, func() (*os.File, error) { return os.Open(full) })
	if err != nil {
		return nil, fileError(name, given, full, err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		_ = f.Close()
		return nil, errorf(name, "%q is a directory", given)
	}
	it := &lineIter{f: f, r: bufio.NewReaderSize(f, 64<<10), first: true, block: block}
	goruntime.AddCleanup(it, func(f *os.File) { _ = f.Close() }, f)
	return m.iterator(name, given, full, it), nil
}

type lineIter struct {
	f     *os.File
	r     *bufio.Reader
	first bool
	done  bool
	block bool // reads may wait forever (see mayBlock)
}

// next returns the next line, or ok false at the end.
func (it *lineIter) next() (line string, ok bool, err error) {
	if it.done {
		return "", false, nil
	}
	line, err = it.r.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		it.close()
		return "", false, err
	}
	if err != nil { // EOF: the last line has no newline, or there is none
		it.close()
		if line == "" {
			return "", false, nil
		}
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if it.first {
		it.first = false
		line = strings.TrimPrefix(line, string(utf8BOM))
	}
	return line, true, nil
}

func (it *lineIter) close() {
	if !it.done {
		it.done = true
		_ = it.f.Close()
	}
}

func (m *fsModule) iterator(call, given, full string, it *lineIter) *goja.Object {
	rt := m.s.rt
	obj := rt.NewObject()
	result := func(v goja.Value, done bool) goja.Value {
		r := rt.NewObject()
		_ = r.Set("value", v)
		_ = r.Set("done", done)
		return r
	}
	_ = obj.Set("next", func(goja.FunctionCall) goja.Value {
		type step struct {
			line string
			ok   bool
		}
		st, err := interruptible(m.s.vm, call, it.block, func() (step, error) {
			line, ok, err := it.next()
			return step{line, ok}, err
		})
		line, ok := st.line, st.ok
		if err != nil {
			panic(m.s.throwable(fileError(call, given, full, err)))
		}
		if !ok {
			return result(goja.Undefined(), true)
		}
		return result(rt.ToValue(line), false)
	})
	_ = obj.Set("return", func(c goja.FunctionCall) goja.Value {
		it.close()
		return result(c.Argument(0), true)
	})
	_ = obj.Set("close", func(goja.FunctionCall) goja.Value {
		it.close()
		return goja.Undefined()
	})
	_ = obj.SetSymbol(goja.SymIterator, func(c goja.FunctionCall) goja.Value { return c.This })
	return obj
}

// exists is fs.exists(path).
func (m *fsModule) exists(call goja.FunctionCall) (any, error) {
	_, full, err := m.pathArg("fs.exists", call.Argument(0))
	if err != nil {
		return nil, err
	}
	_, err = os.Stat(full)
	return err == nil, nil
}

// mkdir is fs.mkdir(path): creates the directory and its parents.
func (m *fsModule) mkdir(call goja.FunctionCall) (any, error) {
	given, full, err := m.pathArg("fs.mkdir", call.Argument(0))
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(full, 0o755); err != nil {
		return nil, fileError("fs.mkdir", given, full, err)
	}
	return nil, nil
}

// list is fs.list(dir): the names in the directory, sorted.
func (m *fsModule) list(call goja.FunctionCall) (any, error) {
	const name = "fs.list"
	given, full, err := m.pathArg(name, call.Argument(0))
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(full)
	if err != nil {
		if errors.Is(err, syscall.ENOTDIR) {
			return nil, errorf(name, "%q is not a directory", given)
		}
		return nil, fileError(name, given, full, err)
	}
	names := make([]any, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return m.s.rt.NewArray(names...), nil
}

// remove is fs.remove(path): deletes a file or an empty directory; false
// when there was nothing to delete.
func (m *fsModule) remove(call goja.FunctionCall) (any, error) {
	given, full, err := m.pathArg("fs.remove", call.Argument(0))
	if err != nil {
		return nil, err
	}
	err = os.Remove(full)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return nil, fileError("fs.remove", given, full, err)
}

package stdlib_test

import (
	"bufio"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"

	"github.com/dop251/goja"
)

func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t testing.TB, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFSText(t *testing.T) {
	h := setup(t, nil)
	dir := h.env.ScriptDir
	writeFile(t, dir, "in.txt", "héllo\nwörld 🚀\n")
	h.ok(t, `
eq(fs.readText("in.txt"), "héllo\nwörld 🚀\n");
fs.writeText("out.txt", "one\n");
fs.appendText("out.txt", "two\n");
fs.appendText("new.txt", "created");
eq(fs.readText("out.txt"), "one\ntwo\n");
eq(fs.exists("out.txt"), true);
eq(fs.exists("missing.txt"), false);
fs.mkdir("a/b/c");
fs.mkdir("a/b/c");
fs.writeText("a/b/c/deep.txt", "x");
eq(fs.list("a/b/c"), ["deep.txt"]);
eq(fs.list("."), ["a", "in.txt", "new.txt", "out.txt"]);
eq(fs.remove("new.txt"), true);
eq(fs.remove("new.txt"), false);
throws(() => fs.writeText("out.txt", {a: 1}), "fs.writeText(): the text must be a string, got an object");
throws(() => fs.readText(""), "fs.readText(): the path is empty");
throws(() => fs.readText(42), "fs.readText(): the path must be a string, got the number 42");
throws(() => fs.readText("a"), 'fs.readText(): "a" is a directory');
throws(() => fs.list("in.txt"), 'fs.list(): "in.txt" is not a directory');
throws(() => fs.writeText("nodir/x.txt", "x"), 'fs.writeText(): cannot write "nodir/x.txt": no such directory');
`)
	if got := readFile(t, dir, "a/b/c/deep.txt"); got != "x" {
		t.Fatalf("deep.txt = %q", got)
	}
	abs := filepath.Join(dir, "in.txt")
	h.ok(t, `eq(fs.readText(`+jsString(abs)+`).length, 15, "absolute paths")`)
}

func TestFSMissingFileNamesPathAndDir(t *testing.T) {
	h := setup(t, nil)
	dir := h.env.ScriptDir
	h.ok(t, `throws(() => fs.readCSV("rows.csv"), 'fs.readCSV(): no such file "rows.csv" (looked in `+filepath.ToSlash(dir)+`)')`)
	h.ok(t, `throws(() => fs.readJSON("sub/config.json"), 'fs.readJSON(): no such file "sub/config.json" (looked in `+filepath.ToSlash(filepath.Join(dir, "sub"))+`)')`)
	h.ok(t, `throws(() => fs.readLines("big.txt"), 'fs.readLines(): no such file "big.txt"')`)
}

func TestFSWriteIsAtomic(t *testing.T) {
	h := setup(t, nil)
	dir := h.env.ScriptDir
	p := writeFile(t, dir, "keep.txt", "old")
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	h.ok(t, `fs.writeText("keep.txt", "new"); fs.writeJSON("k.json", {a: 1});`)
	if got := readFile(t, dir, "keep.txt"); got != "new" {
		t.Fatalf("keep.txt = %q", got)
	}
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if goruntime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v; an overwrite keeps the file's permissions", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Fatalf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestFSJSON(t *testing.T) {
	h := setup(t, nil)
	dir := h.env.ScriptDir
	writeFile(t, dir, "config.json", "{\n  \"b\": 1,\n  \"a\": [1, 2],\n}\n")
	writeFile(t, dir, "bom.json", "\uFEFF{\"z\": 1, \"y\": \"ü\"}")
	writeFile(t, dir, "empty.json", "  \n")
	writeFile(t, dir, "trunc.json", "{\"a\": [1,\n2")
	h.ok(t, `
throws(() => fs.readJSON("config.json"), "fs.readJSON(): config.json line 4: invalid character '}'");
throws(() => fs.readJSON("trunc.json"), "fs.readJSON(): trunc.json line 2: unexpected end of JSON input");
throws(() => fs.readJSON("empty.json"), "fs.readJSON(): empty.json is empty");
eq(Object.keys(fs.readJSON("bom.json")), ["z", "y"], "BOM stripped, key order kept");
fs.writeJSON("out.json", {name: "Zoë", list: [1, {x: null}], nested: {}});
fs.writeJSON("compact.json", [1, 2], {pretty: false});
const cyc = {}; cyc.self = cyc;
throws(() => fs.writeJSON("c.json", cyc), "fs.writeJSON(): cannot convert the value to JSON");
throws(() => fs.writeJSON("u.json", undefined), "fs.writeJSON(): cannot convert undefined to JSON");
eq(fs.readJSON("out.json").name, "Zoë");
`)
	want := "{\n  \"name\": \"Zoë\",\n  \"list\": [\n    1,\n    {\n      \"x\": null\n    }\n  ],\n  \"nested\": {}\n}\n"
	if got := readFile(t, dir, "out.json"); got != want {
		t.Fatalf("out.json =\n%q\nwant\n%q", got, want)
	}
	if got := readFile(t, dir, "compact.json"); got != "[1,2]\n" {
		t.Fatalf("compact.json = %q", got)
	}
}

func TestFSReadCSV(t *testing.T) {
	h := setup(t, nil)
	dir := h.env.ScriptDir
	writeFile(t, dir, "rows.csv", "\uFEFFemail,name,note\r\n"+
		"a@x.io,\"Doe, Jane\",\"said \"\"hi\"\"\"\r\n"+
		"b@x.io,Zoë 🚀,\"two\nlines\"\r\n")
	writeFile(t, dir, "semi.csv", "id;amount\n1;2,50\n2;3\n")
	writeFile(t, dir, "tab.tsv", "a\tb\n1\t2\n")
	writeFile(t, dir, "ragged.csv", "a,b\n1,2\n3\n")
	writeFile(t, dir, "quote.csv", "a,b\n1,2\n3,\"oops\n")
	writeFile(t, dir, "bare.csv", "a,b\n1,x\"y\n")
	writeFile(t, dir, "dup.csv", "a,b,a\n1,2,3\n")
	writeFile(t, dir, "blank.csv", "a, ,c\n1,2,3\n")
	writeFile(t, dir, "header-only.csv", "a,b\n")
	writeFile(t, dir, "empty.csv", "")
	h.ok(t, `
const rows = fs.readCSV("rows.csv");
eq(rows, [
	{email: "a@x.io", name: "Doe, Jane", note: 'said "hi"'},
	{email: "b@x.io", name: "Zoë 🚀", note: "two\nlines"},
], "quotes, embedded newlines, BOM, CRLF, unicode");
eq(Object.keys(rows[0]), ["email", "name", "note"], "header order");
eq(fs.readCSV("semi.csv", {delimiter: ";"}), [{id: "1", amount: "2,50"}, {id: "2", amount: "3"}], "semicolon");
eq(fs.readCSV("tab.tsv", {delimiter: "\t"}), [{a: "1", b: "2"}], "tab");
eq(fs.readCSV("semi.csv", {delimiter: ";", header: false}), [["id", "amount"], ["1", "2,50"], ["2", "3"]], "header: false");
eq(fs.readCSV("ragged.csv", {header: false}), [["a", "b"], ["1", "2"], ["3"]], "ragged without header");
eq(fs.readCSV("blank.csv"), [{a: "1", column2: "2", c: "3"}], "blank header names");
eq(fs.readCSV("header-only.csv"), []);
eq(fs.readCSV("empty.csv"), []);
throws(() => fs.readCSV("ragged.csv"), "fs.readCSV(): ragged.csv line 3: 1 fields, but the header has 2");
throws(() => fs.readCSV("quote.csv"), 'fs.readCSV(): quote.csv line 3: extraneous or missing " in quoted-field');
throws(() => fs.readCSV("bare.csv"), 'fs.readCSV(): bare.csv line 2: bare " in non-quoted-field');
throws(() => fs.readCSV("dup.csv"), 'fs.readCSV(): dup.csv line 1: the header names column "a" twice');
throws(() => fs.readCSV("rows.csv", {delimiter: ";;"}), "fs.readCSV(): the delimiter must be one character");
throws(() => fs.readCSV("rows.csv", {delimiter: '"'}), "fs.readCSV(): the delimiter must be one character");
throws(() => fs.readCSV("rows.csv", {delimiter: "\0"}), "fs.readCSV(): the delimiter must be one character");
throws(() => fs.readCSV("rows.csv", "x"), "fs.readCSV(): options must be an object");
`)
}

func TestFSWriteCSV(t *testing.T) {
	h := setup(t, nil)
	dir := h.env.ScriptDir
	h.ok(t, `
fs.writeCSV("out.csv", [
	{email: "a@x.io", name: "Doe, Jane", tags: ["vip", "eu"]},
	{email: "b@x.io", note: 'said "hi"\nbye', n: 3, ok: true, when: new Date(0), nothing: null},
]);
fs.writeCSV("cols.csv", [{a: 1, b: 2, c: 3}], {columns: ["c", "a", "missing"]});
fs.writeCSV("arrays.csv", [["x", 1], ["y", 2]]);
fs.writeCSV("arrays-h.csv", [["x", 1]], {columns: ["k", "v"], delimiter: ";"});
fs.writeCSV("empty.csv", []);
eq(fs.readCSV("out.csv")[1].note, 'said "hi"\nbye', "round trip");
const e = throws(() => fs.writeCSV("bad.csv", "nope"), "fs.writeCSV(): the rows must be an array of objects or of arrays, got a string ('nope')");
eq(e instanceof TypeError, true, "TypeError");
throws(() => fs.writeCSV("bad.csv", {a: 1}), "fs.writeCSV(): the rows must be an array");
throws(() => fs.writeCSV("bad.csv", [1]), "fs.writeCSV(): rows[0] must be an object or an array, got the number 1");
throws(() => fs.writeCSV("bad.csv", [{a: 1}, [1]]), "fs.writeCSV(): rows[1] is an array but rows[0] is an object");
throws(() => fs.writeCSV("bad.csv", [{a: 1}], {columns: "a"}), "fs.writeCSV(): columns must be an array of strings");
eq(fs.exists("bad.csv"), false, "nothing written on error");
`)
	want := "email,name,tags,note,n,ok,when,nothing\n" +
		"a@x.io,\"Doe, Jane\",\"[\"\"vip\"\",\"\"eu\"\"]\",,,,,\n" +
		"b@x.io,,,\"said \"\"hi\"\"\nbye\",3,true,1970-01-01T00:00:00.000Z,\n"
	if got := readFile(t, dir, "out.csv"); got != want {
		t.Fatalf("out.csv =\n%s\nwant\n%s", got, want)
	}
	for name, want := range map[string]string{
		"cols.csv":     "c,a,missing\n3,1,\n",
		"arrays.csv":   "x,1\ny,2\n",
		"arrays-h.csv": "k;v\nx;1\n",
		"empty.csv":    "",
	} {
		if got := readFile(t, dir, name); got != want {
			t.Errorf("%s = %q; want %q", name, got, want)
		}
	}
}

func TestFSReadLines(t *testing.T) {
	h := setup(t, nil)
	dir := h.env.ScriptDir
	writeFile(t, dir, "lines.txt", "\uFEFFfirst\r\nsecond 🚀\n\nlast-no-newline")
	writeFile(t, dir, "trailing.txt", "a\nb\n")
	writeFile(t, dir, "empty.txt", "")
	h.ok(t, `
const got = [];
for (const line of fs.readLines("lines.txt")) got.push(line);
eq(got, ["first", "second 🚀", "", "last-no-newline"]);
eq([...fs.readLines("trailing.txt")], ["a", "b"], "no empty last line");
eq([...fs.readLines("empty.txt")], []);
let n = 0;
for (const line of fs.readLines("lines.txt")) { if (++n === 2) break; }
eq(n, 2, "break");
const it = fs.readLines("trailing.txt");
eq(it.next(), {value: "a", done: false});
it.close();
eq(it.next().done, true, "closed");
throws(() => fs.readLines("."), 'fs.readLines(): "." is a directory');
`)
}

// TestFSReadLinesConstantMemory streams a ~20 MB file and checks the live
// heap stays far below the file's size while the script iterates.
func TestFSReadLinesConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 20 MB file")
	}
	h := setup(t, nil)
	dir := h.env.ScriptDir
	const lines, lineLen = 20_000, 1000
	f, err := os.Create(filepath.Join(dir, "big.txt"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	body := strings.Repeat("x", lineLen-len("ünïcode ")-1)
	for range lines {
		_, _ = w.WriteString("ünïcode " + body + "\n")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()

	var mu sync.Mutex
	var base, peak uint64
	liveHeap := func() uint64 {
		goruntime.GC()
		var ms goruntime.MemStats
		goruntime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	if err := h.vm.Set("heapSample", func(goja.FunctionCall) goja.Value {
		v := liveHeap()
		mu.Lock()
		peak = max(peak, v)
		mu.Unlock()
		return goja.Undefined()
	}); err != nil {
		t.Fatal(err)
	}
	base = liveHeap()
	h.ok(t, `
let n = 0, bytes = 0;
for (const line of fs.readLines("big.txt")) {
	n++;
	bytes += line.length;
	if (n % 1000 === 0) heapSample();
}
eq(n, 20000, "lines");
eq(bytes, 20000 * 997, "characters");
`)
	mu.Lock()
	defer mu.Unlock()
	const fileSize = lines * (lineLen + 2) // ü and ï take two bytes
	if peak > base && peak-base > fileSize/4 {
		t.Fatalf("live heap grew by %d bytes while streaming a %d-byte file; readLines must not hold the file", peak-base, fileSize)
	}
	t.Logf("live heap: base %d, peak %d (file %d bytes)", base, peak, fileSize)
}

package stdlib

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CSV reading and writing for fs.readCSV and fs.writeCSV, kept apart from
// goja so it can be fuzzed on its own.

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// csvOptions are readCSV's options.
type csvOptions struct {
	delimiter rune
	header    bool // the first record names the columns
}

// csvError is a malformed CSV: the 1-based line and what is wrong.
type csvError struct {
	line int
	msg  string
}

func (e *csvError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// checkDelimiter validates a delimiter the way encoding/csv needs it.
func checkDelimiter(d string) (rune, error) {
	r, size := utf8.DecodeRuneInString(d)
	if d == "" || size != len(d) || r == 0 || r == utf8.RuneError || r == '"' || r == '\r' || r == '\n' {
		return 0, fmt.Errorf("the delimiter must be one character other than a quote or a newline, got %q", d)
	}
	return r, nil
}

// readCSVRecords reads every record of r (RFC 4180: quoted fields, embedded
// newlines and quotes, a leading UTF-8 BOM skipped). With opts.header the
// first record becomes the column names (trimmed, empty ones named
// column<N>, duplicates refused) and every other record must have as many
// fields; without, records may be ragged.
func readCSVRecords(r io.Reader, opts csvOptions) (header []string, rows [][]string, err error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	cr.Comma = opts.delimiter
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return header, rows, nil
		}
		if err != nil {
			return nil, nil, csvParseError(err)
		}
		if opts.header && header == nil {
			line, _ := cr.FieldPos(0)
			if header, err = csvHeader(rec, line); err != nil {
				return nil, nil, err
			}
			continue
		}
		if opts.header && len(rec) != len(header) {
			line, _ := cr.FieldPos(0)
			return nil, nil, &csvError{line: line, msg: fmt.Sprintf("%d fields, but the header has %d", len(rec), len(header))}
		}
		rows = append(rows, rec)
	}
}

func csvParseError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	msg := pe.Err.Error()
	if pe.Column > 0 {
		msg += " (column " + strconv.Itoa(pe.Column) + ")"
	}
	return &csvError{line: pe.Line, msg: msg}
}

func csvHeader(rec []string, line int) ([]string, error) {
	header := make([]string, len(rec))
	seen := make(map[string]bool, len(rec))
	for i, name := range rec {
		name = strings.TrimSpace(name)
		if name == "" {
			name = "column" + strconv.Itoa(i+1)
		}
		if seen[name] {
			return nil, &csvError{line: line, msg: fmt.Sprintf("the header names column %q twice", name)}
		}
		seen[name] = true
		header[i] = name
	}
	return header, nil
}

// writeCSVRecords writes records with delimiter d; fields are quoted when
// needed.
func writeCSVRecords(records [][]string, d rune) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = d
	if err := w.WriteAll(records); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

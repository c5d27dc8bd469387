package main

import (
	"slices"
	"strings"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/lazyregexp"
)

// operatorOrder is the order a field's operators are listed in.
var operatorOrder = []string{"=", "!=", "IN", "NIN", ">", ">=", "<", "<=", "~", "!~", "^", "$"}

// searchFields reads the fields a search accepts from its description's
// markdown: the "Accepted Fields" table (field, type) and the "Accepted
// Operators" table (operator, the types it is valid for: "All", "All except
// Date and tag_id", "Integer<br>Date", "String"). nil when the description
// has no fields table.
func searchFields(desc string) []catalog.SearchField {
	fieldRows := tableRows(desc, "### Accepted Fields")
	opRows := tableRows(desc, "### Accepted Operators")
	var out []catalog.SearchField
	for _, r := range fieldRows {
		f := catalog.SearchField{Name: familyName.ReplaceAllString(r[0], ".*"), Type: fieldType(r[1])}
		for _, o := range opRows {
			if operatorFits(strings.TrimSpace(o[1]), f) {
				f.Operators = append(f.Operators, o[0])
			}
		}
		f.Operators = ordered(f.Operators)
		out = append(out, f)
	}
	return out
}

// familyName is the placeholder of a family of fields: ".{attribute_name}".
var familyName = lazyregexp.New(`\.\{[^}]*\}$`)

// tableRows is the cells of the first markdown table after heading (up to
// the next heading), without its header and separator rows: two cells each.
func tableRows(desc, heading string) [][2]string {
	i := strings.Index(desc, heading)
	if i < 0 {
		return nil
	}
	section := desc[i+len(heading):]
	if j := strings.Index(section, "\n#"); j >= 0 {
		section = section[:j]
	}
	var rows [][2]string
	header := true
	for _, line := range strings.Split(section, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			if len(rows) > 0 {
				break
			}
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 2 {
			continue
		}
		a, b := strings.TrimSpace(cells[0]), strings.TrimSpace(cells[1])
		if header || strings.Trim(a, ":-") == "" {
			header = false // the header row; then the separator row
			continue
		}
		rows = append(rows, [2]string{a, b})
	}
	return rows
}

// fieldType is a field table's type without its notes ("String<br>Accepts
// user or lead"), the tables' two spellings of dates made one.
func fieldType(cell string) string {
	t, _, _ := strings.Cut(cell, "<br>")
	return strings.ReplaceAll(strings.TrimSpace(t), "(UNIX Timestamp)", "(UNIX timestamp)")
}

// typeWords are the base types of a field type: "Date (UNIX timestamp)" is
// Date; "String or Boolean or Integer" is each of them.
func typeWords(t string) []string {
	var out []string
	for _, alt := range strings.Split(t, " or ") {
		if w := strings.Fields(alt); len(w) > 0 {
			out = append(out, w[0])
		}
	}
	return out
}

// operatorFits reports whether an operator whose "Valid Types" cell is
// valid applies to f.
func operatorFits(valid string, f catalog.SearchField) bool {
	types := typeWords(f.Type)
	if rest, ok := strings.CutPrefix(valid, "All"); ok {
		rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "except"))
		excluded := strings.FieldsFunc(strings.ReplaceAll(rest, " and ", ","), func(r rune) bool { return r == ',' })
		for i := range excluded {
			excluded[i] = strings.TrimSpace(excluded[i])
		}
		if slices.Contains(excluded, f.Name) {
			return false
		}
		return slices.ContainsFunc(types, func(t string) bool { return !slices.Contains(excluded, t) })
	}
	for _, tok := range operatorSeparator.Split(valid, -1) {
		if w := strings.Fields(tok); len(w) > 0 && slices.Contains(types, w[0]) {
			return true
		}
	}
	return false
}

// operatorSeparator separates the types of a "Valid Types" cell.
var operatorSeparator = lazyregexp.New(`<br>|\s{2,}`)

// ordered sorts operators into operatorOrder, dropping repeats.
func ordered(ops []string) []string {
	var out []string
	for _, o := range operatorOrder {
		if slices.Contains(ops, o) {
			out = append(out, o)
		}
	}
	return out
}

// fixSearchFields applies searchFieldSpellings and searchOperatorFixes to
// op's fields.
func fixSearchFields(op *catalog.Operation) {
	for i := len(op.SearchFields) - 1; i >= 0; i-- {
		if right, ok := searchFieldSpellings[op.ID][op.SearchFields[i].Name]; ok {
			f := op.SearchFields[i]
			f.Name = right
			f.Operators = slices.Clone(f.Operators)
			op.SearchFields = slices.Insert(op.SearchFields, i+1, f)
		}
	}
	for i, f := range op.SearchFields {
		fix, ok := searchOperatorFixes[op.ID][f.Name]
		if !ok {
			continue
		}
		if fix.only != nil {
			f.Operators = slices.DeleteFunc(f.Operators, func(o string) bool { return !slices.Contains(fix.only, o) })
		}
		f.Operators = ordered(append(f.Operators, fix.also...))
		op.SearchFields[i] = f
	}
}

package runtime

import (
	"encoding/json"
	"strings"
)

// gojaSourceMap adapts an esbuild source map to goja's lookup, which asks
// with 1-based generated columns and reports the stored original column as
// is, while source maps count columns from 0. Adding 1 to every generated and
// every original column makes goja's positions exact and 1-based like Node's.
// Both are delta-encoded, so that means adjusting the first segment of each
// line (generated columns restart per line) and the first segment with a
// source (original columns run on through the file).
func gojaSourceMap(sm []byte) []byte {
	var m map[string]any
	if json.Unmarshal(sm, &m) != nil {
		return sm
	}
	mappings, ok := m["mappings"].(string)
	if !ok {
		return sm
	}
	m["mappings"] = shiftMappings(mappings)
	out, err := json.Marshal(m)
	if err != nil {
		return sm
	}
	return out
}

func shiftMappings(mappings string) string {
	lines := strings.Split(mappings, ";")
	sourceShifted := false
	for i, line := range lines {
		if line == "" {
			continue
		}
		segs := strings.Split(line, ",")
		for j, seg := range segs {
			fields := decodeVLQs(seg)
			if fields == nil {
				return mappings // malformed: leave it alone
			}
			changed := j == 0
			if j == 0 {
				fields[0]++
			}
			if !sourceShifted && len(fields) >= 4 {
				fields[3]++
				sourceShifted, changed = true, true
			}
			if !changed {
				break
			}
			segs[j] = encodeVLQs(fields)
		}
		lines[i] = strings.Join(segs, ",")
	}
	return strings.Join(lines, ";")
}

const vlqChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

func decodeVLQs(seg string) []int {
	var out []int
	value, shift := 0, 0
	for i := 0; i < len(seg); i++ {
		digit := strings.IndexByte(vlqChars, seg[i])
		if digit < 0 {
			return nil
		}
		value |= (digit & 31) << shift
		if digit&32 != 0 {
			shift += 5
			continue
		}
		n := value >> 1
		if value&1 != 0 {
			n = -n
		}
		out = append(out, n)
		value, shift = 0, 0
	}
	return out
}

func encodeVLQs(fields []int) string {
	var b strings.Builder
	for _, n := range fields {
		v := n << 1
		if n < 0 {
			v = (-n << 1) | 1
		}
		for {
			digit := v & 31
			v >>= 5
			if v != 0 {
				digit |= 32
			}
			b.WriteByte(vlqChars[digit])
			if v == 0 {
				break
			}
		}
	}
	return b.String()
}

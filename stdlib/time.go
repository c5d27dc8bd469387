package stdlib

import (
	"math"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time.format zones work where the system has no zoneinfo (Windows)

	"github.com/dop251/goja"
)

// timeModule is the time global. Intercom speaks unix seconds, so every
// function takes and returns whole unix seconds; the clock is Env.Now.
type timeModule struct{ s *lib }

func newTime(s *lib) *timeModule { return &timeModule{s: s} }

func (m *timeModule) exports() map[string]jsFunc {
	return map[string]jsFunc{
		"now":      m.now,
		"daysAgo":  m.daysAgo,
		"hoursAgo": m.hoursAgo,
		"unix":     m.unix,
		"format":   m.format,
		"parse":    m.parse,
	}
}

// layoutNames are the named layouts format accepts besides Go layouts.
var layoutNames = map[string]string{
	"rfc3339":  time.RFC3339,
	"iso":      time.RFC3339,
	"date":     time.DateOnly,
	"datetime": time.DateTime,
	"time":     time.TimeOnly,
	"rfc1123":  time.RFC1123,
}

// parseLayouts are tried in order by parse; zoneless ones mean UTC.
var parseLayouts = []string{
	time.RFC3339Nano,
	time.DateOnly,
	time.DateTime,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 MST",
	"2006/01/02",
	"2006/01/02 15:04:05",
	time.RFC1123Z,
	time.RFC1123,
	time.RFC850,
	time.RFC822Z,
	time.RFC822,
	time.ANSIC,
	time.UnixDate,
	"Jan 2, 2006",
	"January 2, 2006",
	"2 Jan 2006",
	"2 January 2006",
	"Mon, 2 Jan 2006 15:04:05 -0700",
}

func (m *timeModule) nowUnix() int64 { return m.s.env.Now().Unix() }

// now is time.now(): unix seconds.
func (m *timeModule) now(goja.FunctionCall) (any, error) { return m.nowUnix(), nil }

// daysAgo is time.daysAgo(n): unix seconds n days before now.
func (m *timeModule) daysAgo(call goja.FunctionCall) (any, error) {
	return m.ago("time.daysAgo", call.Argument(0), 24*3600)
}

// hoursAgo is time.hoursAgo(n): unix seconds n hours before now.
func (m *timeModule) hoursAgo(call goja.FunctionCall) (any, error) {
	return m.ago("time.hoursAgo", call.Argument(0), 3600)
}

func (m *timeModule) ago(name string, v goja.Value, unit float64) (any, error) {
	n, err := numberArg(name, "the count", v)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return nil, typeErrorf(name, "the count must be a finite number, got %s", describe(v))
	}
	return m.nowUnix() - int64(math.Round(n*unit)), nil
}

// unix is time.unix(dateOrString): unix seconds of a Date, a date string
// (as time.parse reads it) or a number (seconds; milliseconds, as from
// Date.now(), when above 1e11).
func (m *timeModule) unix(call goja.FunctionCall) (any, error) {
	return toUnix("time.unix", call.Argument(0))
}

func toUnix(name string, v goja.Value) (int64, error) {
	switch {
	case v != nil && goja.IsString(v):
		return parseTime(name, v.String())
	case v != nil && goja.IsNumber(v):
		f := v.ToFloat()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, typeErrorf(name, "the time must be a finite number, got %s", describe(v))
		}
		if math.Abs(f) > 1e11 {
			f /= 1000
		}
		return int64(math.Floor(f)), nil
	}
	if obj, ok := v.(*goja.Object); ok && obj.ClassName() == "Date" {
		if t, ok := obj.Export().(time.Time); ok {
			return t.Unix(), nil
		}
		return 0, typeErrorf(name, "the date is invalid")
	}
	return 0, typeErrorf(name, "wants a Date, a date string or unix seconds, got %s", describe(v))
}

// format is time.format(unixSeconds, layout?, zone?): RFC 3339 in UTC by
// default; layout is a Go layout ("2006-01-02 15:04") or one of rfc3339,
// iso, date, datetime, time, rfc1123; zone an IANA name ("Europe/Paris").
func (m *timeModule) format(call goja.FunctionCall) (any, error) {
	const name = "time.format"
	secs, err := toUnix(name, call.Argument(0))
	if err != nil {
		return nil, err
	}
	layout := time.RFC3339
	if l := call.Argument(1); !isNullish(l) {
		if !goja.IsString(l) {
			return nil, typeErrorf(name, "the layout must be a string, got %s", describe(l))
		}
		layout = l.String()
		if named, ok := layoutNames[strings.ToLower(layout)]; ok {
			layout = named
		}
	}
	loc := time.UTC
	if z := call.Argument(2); !isNullish(z) {
		if loc, err = time.LoadLocation(z.String()); err != nil || z.String() == "" || strings.EqualFold(z.String(), "local") {
			return nil, errorf(name, "unknown time zone %q (use an IANA name such as \"Europe/Paris\", or \"UTC\")", z.String())
		}
	}
	return time.Unix(secs, 0).In(loc).Format(layout), nil
}

// parse is time.parse(str): unix seconds.
func (m *timeModule) parse(call goja.FunctionCall) (any, error) {
	s, err := stringArg("time.parse", "the date", call.Argument(0))
	if err != nil {
		return nil, err
	}
	return parseTime("time.parse", s)
}

// parseTime reads RFC 3339, a date, a date and time (UTC unless a zone is
// given), the RFC 1123/822/850 and Unix formats, "Jan 2, 2006", or unix
// seconds as digits.
func parseTime(name, s string) (int64, error) {
	text := strings.TrimSpace(s)
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, nil
	}
	for _, layout := range parseLayouts {
		if t, err := time.Parse(layout, text); err == nil {
			return t.Unix(), nil
		}
	}
	return 0, errorf(name, "cannot read %q as a date; use RFC 3339 (\"2024-05-01T12:00:00Z\"), "+
		"a date (\"2024-05-01\") or a date and time (\"2024-05-01 12:00:00\", UTC)", s)
}

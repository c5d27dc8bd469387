package stdlib_test

import "testing"

func TestTime(t *testing.T) {
	h := setup(t, nil) // the clock: 2024-05-01T12:00:00Z = 1714564800
	h.ok(t, `
eq(time.now(), 1714564800);
eq(time.daysAgo(30), 1714564800 - 30 * 86400);
eq(time.daysAgo(0.5), 1714564800 - 43200, "fractions");
eq(time.hoursAgo(2), 1714564800 - 7200);
eq(time.daysAgo(-1), 1714564800 + 86400, "the future");
throws(() => time.daysAgo("3"), "time.daysAgo(): the count must be a number, got a string ('3')");
throws(() => time.daysAgo(NaN), "time.daysAgo(): the count must be a finite number");

eq(time.format(1714564800), "2024-05-01T12:00:00Z", "RFC 3339 UTC by default");
eq(time.format(1714564800, "date"), "2024-05-01");
eq(time.format(1714564800, "datetime"), "2024-05-01 12:00:00");
eq(time.format(1714564800, "time"), "12:00:00");
eq(time.format(1714564800, "02 Jan 2006 15:04"), "01 May 2024 12:00", "Go layouts");
eq(time.format(1714564800, null, "Europe/Paris"), "2024-05-01T14:00:00+02:00", "zones");
eq(time.format(new Date(0)), "1970-01-01T00:00:00Z", "a Date");
throws(() => time.format(0, "date", "Mars/Olympus"), 'time.format(): unknown time zone "Mars/Olympus"');
throws(() => time.format({}), "time.format(): wants a Date, a date string or unix seconds, got an object");

eq(time.parse("2024-05-01T12:00:00Z"), 1714564800);
eq(time.parse("2024-05-01T14:00:00+02:00"), 1714564800, "offsets");
eq(time.parse("2024-05-01T12:00:00.999Z"), 1714564800, "fractions dropped");
eq(time.parse("2024-05-01"), 1714521600, "date only, UTC");
eq(time.parse("2024-05-01 12:00:00"), 1714564800);
eq(time.parse("2024-05-01 12:00"), 1714564800);
eq(time.parse("2024/05/01"), 1714521600);
eq(time.parse("Wed, 01 May 2024 12:00:00 GMT"), 1714564800, "RFC 1123");
eq(time.parse("May 1, 2024"), 1714521600);
eq(time.parse(" 1714564800 "), 1714564800, "unix seconds as text");
throws(() => time.parse("next tuesday"), "time.parse(): cannot read \"next tuesday\" as a date; use RFC 3339");
throws(() => time.parse("2024-13-01"), "time.parse(): cannot read");
throws(() => time.parse(1), "time.parse(): the date must be a string");

eq(time.unix(new Date("2024-05-01T12:00:00Z")), 1714564800);
eq(time.unix("2024-05-01"), 1714521600);
eq(time.unix(1714564800), 1714564800, "seconds stay seconds");
eq(time.unix(1714564800123), 1714564800, "milliseconds become seconds");
throws(() => time.unix(new Date("garbage")), "time.unix(): the date is invalid");
throws(() => time.unix(null), "time.unix(): wants a Date");
`)
}

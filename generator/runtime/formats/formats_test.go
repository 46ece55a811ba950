package formats

import (
	"strings"
	"testing"
	"time"
)

// TestCheckers holds cases the suite does not: limits, the edges of each
// grammar, and hostile input.
func TestCheckers(t *testing.T) {
	long := func(s string, n int) string { return strings.Repeat(s, n) }
	label63 := long("a", 63)
	cases := []struct {
		format, in string
		want       bool
	}{
		{"date-time", "2024-02-29T12:00:00Z", true},
		{"date-time", "2023-02-29T12:00:00Z", false},
		{"date-time", "2024-01-01T00:00:00.Z", false},
		{"date-time", "2024-01-01T00:00:00+00:00", true},
		{"date-time", "2024-01-01T00:00:00-23:59", true},
		{"date-time", "2024-01-01 00:00:00Z", false}, // RFC 3339 allows a space only in a note, not the grammar
		{"date-time", "2024-01-01T00:00:00.000000000000000000000000001Z", true},
		{"date-time", "2024-06-30T23:59:60Z", true},
		{"date-time", "2024-06-30T23:59:60.5+00:00", true},
		{"date-time", "2024-07-01T00:29:60+00:30", true},
		{"date", "9999-12-31", true},
		{"date", "0000-01-01", true},
		{"time", "23:59:59.999999999Z", true},
		{"time", "00:00:60+00:01", true}, // 23:59:60 UTC
		{"time", "00:00:60+00:02", false},
		{"duration", "P1Y2M3DT4H5M6S", true},
		{"duration", "P1W", true},
		{"duration", "PT1S1S", false},
		{"duration", "P1M1Y", false},
		{"duration", "P1DT", false},
		{"duration", "P1Y1M1D1W", false},
		{"duration", "PT1H1M1S1H", false},
		{"email", long("a", 64) + "@example.com", true},
		{"email", long("a", 65) + "@example.com", false},
		{"email", `"a\"b"@example.com`, true},
		{"email", `"a\"@example.com`, false},
		{"email", "a@[IPv6:2001:db8::1]", true},
		{"email", "a@[IPv7:2001:db8::1]", false},
		{"email", "a@b", true},
		{"email", "a@-b", false},
		{"hostname", label63 + "." + label63 + "." + label63 + "." + long("a", 61), true}, // 253 characters
		{"hostname", label63 + "." + label63 + "." + label63 + "." + long("a", 62), false},
		{"hostname", "xn--", false},
		{"hostname", "xn--a", false},
		{"hostname", "xn--abc-", false},                  // ASCII only: not an A-label
		{"hostname", "xn--bcher-kva.example", true},      // bücher
		{"hostname", "XN--BCHER-KVA.example", true},      // A-labels compare case-insensitively
		{"hostname", "xn--zzzzzzzzzzzzzzzzzzzzz", false}, // the decoder's overflow checks
		{"hostname", "xn--" + long("9", 59), false},
		{"ipv4", "01.2.3.4", false},
		{"ipv4", "1.2.3.4%eth0", false},
		{"ipv6", "::ffff:1.2.3.4", true},
		{"ipv6", "1:2:3:4:5:6:7::", true},
		{"ipv6", "1:2:3:4:5:6:7:8:9", false},
		{"ipv6", "::1%25", false},
		{"uri", "http://[v1.fe80::a+en1]/", true},
		{"uri", "http://[v.x]/", false},
		{"uri", "http://[vz.x]/", false},
		{"uri", "http://[::1]:8080/a", true},
		{"uri", "http://[::1]x/", false},
		{"uri", "http://[::1/", false},
		{"uri", "urn:isbn:0451450523", true},
		{"uri", "a:", true},
		{"uri", "http://a/b?c#d#e", false},
		{"uri", "http://a/%41%4a", true},
		{"uri-reference", "a/b:c", true},
		{"uri-reference", "//@a", true},
		{"uri-reference", "#", true},
		{"uuid", "123e4567-e89b-12d3-a456-426614174000", true},
		{"uuid", "123e4567-e89b-12d3-a456_426614174000", false},
		{"regex", "", true},
		{"regex", `(?<year>\d{4})-\k<year>`, true},
		{"regex", `\k<nope>(?<year>a)`, false},
		{"regex", `(?<a>x)(?<a>y)`, false},
		{"regex", `(a)\1`, true},
		{"regex", `(a)\2`, false},
		{"regex", `a{2,1}`, false},
		{"regex", `a{1,}?`, true},
		{"regex", `(?=a)*`, false},
		{"regex", `[a-\d]`, false},
		{"regex", `[\d-a]`, false},
		{"regex", `[a-]`, true},
		{"regex", `[z-a]`, false},
		{"regex", `[^]`, true},
		{"regex", `\u{10FFFF}\u{110000}`, false},
		{"regex", `\uD83D\uDE00`, true},
		{"regex", `\p{Script=Greek}\P{L}`, true},
		{"regex", `\p{}`, false},
		{"regex", `\a`, false},
		{"regex", `\cJ\x41\0`, true},
		{"regex", `\01`, false},
		{"regex", `a\`, false},
		{"regex", `]`, false},
		{"regex", `{`, false},
		{"regex", `[`, false},
		{"regex", `)`, false},
		{"regex", `\/`, true},
		{"regex", long("(", 1000) + long(")", 1000), true},
		{"regex", long("(", 1001) + long(")", 1001), false},
		{"regex", long("(", 100000), false},
		{"regex", "\xff", false},
		{"json-pointer", "/a~01", true},
		{"json-pointer", "/a~", false},
	}
	for _, c := range cases {
		check, ok := Lookup(c.format)
		if !ok {
			t.Fatalf("Lookup(%q) finds no checker", c.format)
		}
		if got := check(c.in); got != c.want {
			in := c.in
			if len(in) > 80 {
				in = in[:80] + "…"
			}
			t.Errorf("%s(%q) = %v, want %v", c.format, in, got, c.want)
		}
	}
	if _, ok := Lookup("idn-hostname"); ok {
		t.Error("Lookup finds a checker for idn-hostname, which the package does not check")
	}
}

// TestParseDateTime checks the time a date-time stands for, including
// what time.Parse refuses.
func TestParseDateTime(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
	}{
		{"1985-04-12T23:20:50.52Z", time.Date(1985, 4, 12, 23, 20, 50, 520000000, time.UTC)},
		{"1985-04-12t23:20:50.52z", time.Date(1985, 4, 12, 23, 20, 50, 520000000, time.UTC)},
		{"1996-12-19T16:39:57-08:00", time.Date(1996, 12, 20, 0, 39, 57, 0, time.UTC)},
		{"1998-12-31T23:59:60Z", time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"1998-12-31T15:59:60.25-08:00", time.Date(1999, 1, 1, 0, 0, 0, 250000000, time.UTC)},
		{"1985-04-12T00:59:59.999999999999999Z", time.Date(1985, 4, 12, 0, 59, 59, 999999999, time.UTC)},
	}
	for _, c := range cases {
		got, ok := ParseDateTime(c.in)
		if !ok || !got.Equal(c.want) {
			t.Errorf("ParseDateTime(%q) = %v, %v; want %v", c.in, got, ok, c.want)
		}
	}
	if got, ok := ParseDateTime("1996-12-19T16:39:57-08:00"); !ok || got.Format(time.RFC3339) != "1996-12-19T16:39:57-08:00" {
		t.Errorf("ParseDateTime keeps no offset: %v", got)
	}
	if _, ok := ParseDateTime("1998-12-31T23:59:61Z"); ok {
		t.Error("ParseDateTime accepts second 61")
	}
	if got, ok := ParseDate("2024-02-29"); !ok || !got.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseDate(2024-02-29) = %v, %v", got, ok)
	}
	if _, ok := ParseDate("2023-02-29"); ok {
		t.Error("ParseDate accepts 2023-02-29")
	}
}

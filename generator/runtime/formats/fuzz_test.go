package formats

import (
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"time"
)

// The fuzz targets compare each checker with an independent judge: the
// standard library where it agrees with the RFC on the inputs given to
// it, else a regular expression written from the RFC's ABNF.

func seed(f *testing.F, format string) {
	for _, s := range []string{"", "a", "P1D", "2024-01-01T00:00:00Z", "user@example.com", "::1", "192.0.2.1",
		"http://a/b?c#d", "xn--bcher-kva", "123e4567-e89b-12d3-a456-426614174000", "(a)|[b-c]{1,2}", "/a~0"} {
		f.Add(s)
	}
	if v, ok := formatSample(format); ok {
		f.Add(v)
	}
}

// formatSample is a valid instance of each format.
func formatSample(format string) (string, bool) {
	m := map[string]string{"date-time": "1998-12-31T23:59:60Z", "duration": "P1Y2M3DT4H5M6S", "regex": `(?<y>\d{4})\k<y>`}
	v, ok := m[format]
	return v, ok
}

func FuzzDateTime(f *testing.F) {
	seed(f, "date-time")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseDateTime(s)
		if ok != DateTime(s) {
			t.Fatalf("ParseDateTime and DateTime disagree on %q", s)
		}
		// time.Parse knows neither a lower-case t or z nor second 60, and
		// takes a comma for the decimal point.
		if strings.ContainsAny(s, "tz,") || len(s) > 19 && s[17:19] == "60" {
			return
		}
		want, err := time.Parse(time.RFC3339Nano, s)
		if (err == nil) != ok {
			t.Fatalf("DateTime(%q) = %v, time.Parse: %v", s, ok, err)
		}
		if ok && !got.Equal(want) {
			t.Fatalf("ParseDateTime(%q) = %v, time.Parse: %v", s, got, want)
		}
	})
}

var durationABNF = regexp.MustCompile(`^P(?:(?:(?:[0-9]+Y(?:[0-9]+M(?:[0-9]+D)?)?|[0-9]+M(?:[0-9]+D)?|[0-9]+D)(?:T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S))?)|T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S)|[0-9]+W)$`)

func FuzzDuration(f *testing.F) {
	seed(f, "duration")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Duration(s), durationABNF.MatchString(s); got != want {
			t.Fatalf("Duration(%q) = %v, the ABNF says %v", s, got, want)
		}
	})
}

func FuzzIP(f *testing.F) {
	seed(f, "ipv6")
	f.Fuzz(func(t *testing.T, s string) {
		ip := net.ParseIP(s)
		// net.ParseIP takes zones nowhere and leading zeros nowhere.
		if got, want := IPv4(s), ip != nil && !strings.Contains(s, ":"); got != want {
			t.Fatalf("IPv4(%q) = %v, net.ParseIP says %v", s, got, want)
		}
		if got, want := IPv6(s), ip != nil && strings.Contains(s, ":"); got != want {
			t.Fatalf("IPv6(%q) = %v, net.ParseIP says %v", s, got, want)
		}
	})
}

func FuzzEmail(f *testing.F) {
	seed(f, "email")
	f.Fuzz(func(t *testing.T, s string) {
		if !Email(s) {
			return
		}
		// net/mail parses RFC 5322 addresses, a superset of RFC 5321's
		// mailboxes for a dot-string local part and a host name domain.
		local, domain := s[:strings.LastIndexByte(s, '@')], s[strings.LastIndexByte(s, '@')+1:]
		if !dotString(local) || strings.HasPrefix(domain, "[") {
			return
		}
		a, err := mail.ParseAddress(s)
		if err != nil || a.Address != s {
			t.Fatalf("Email(%q) = true, net/mail: %v %v", s, a, err)
		}
	})
}

var ldhHostname = regexp.MustCompile(`^(?i:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.(?i:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?))*$`)

func FuzzHostname(f *testing.F) {
	seed(f, "hostname")
	f.Fuzz(func(t *testing.T, s string) {
		got := Hostname(s)
		if strings.Contains(strings.ToLower(s), "xn--") {
			if got && !ldhHostname.MatchString(s) {
				t.Fatalf("Hostname(%q) = true for a name that is not letters, digits and hyphens", s)
			}
			return
		}
		if want := len(s) <= 253 && ldhHostname.MatchString(s); got != want {
			t.Fatalf("Hostname(%q) = %v, RFC 1123 says %v", s, got, want)
		}
	})
}

func FuzzURI(f *testing.F) {
	seed(f, "uri")
	f.Fuzz(func(t *testing.T, s string) {
		if URI(s) && !URIReference(s) {
			t.Fatalf("URI(%q) but not URIReference", s)
		}
		if !URIReference(s) {
			return
		}
		// net/url parses every RFC 3986 reference, and more.
		u, err := url.Parse(s)
		if err != nil {
			// It refuses IPvFuture literals, and percent-encoded ASCII in
			// a host name, which RFC 3986 allows.
			if strings.Contains(s, "[v") || strings.Contains(s, "[V") || strings.Contains(err.Error(), "invalid URL escape") && hostHasPercent(s) {
				return
			}
			t.Fatalf("URIReference(%q) = true, net/url: %v", s, err)
		}
		if URI(s) != (u.Scheme != "") {
			t.Fatalf("URI(%q) = %v, net/url finds the scheme %q", s, URI(s), u.Scheme)
		}
	})
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
var pointerRE = regexp.MustCompile(`^(?:/(?:[^~/]|~[01])*)*$`)

func FuzzSmall(f *testing.F) {
	seed(f, "uuid")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := UUID(s), uuidRE.MatchString(s); got != want {
			t.Fatalf("UUID(%q) = %v, want %v", s, got, want)
		}
		if got, want := JSONPointer(s), pointerRE.MatchString(s); got != want {
			t.Fatalf("JSONPointer(%q) = %v, want %v", s, got, want)
		}
	})
}

func FuzzRegex(f *testing.F) {
	seed(f, "regex")
	f.Fuzz(func(t *testing.T, s string) {
		ok := Regex(s)
		// On the constructs both dialects share, with the same meaning,
		// RE2 (regexp/syntax, Perl flags) must agree.
		if strings.Trim(s, `ab()|*+?{}[]^$.,-0123456789`) != "" || strings.Contains(s, "[]") || strings.Contains(s, "[^]") ||
			strings.Contains(s, "?") && strings.ContainsAny(s, "(") {
			return
		}
		_, err := syntax.Parse(s, syntax.Perl)
		if ok && err != nil && !strings.Contains(err.Error(), "invalid repeat count") {
			t.Fatalf("Regex(%q) = true, RE2: %v", s, err)
		}
	})
}

// hostHasPercent reports whether the authority of a reference holds a "%".
func hostHasPercent(s string) bool {
	_, rest, ok := strings.Cut(s, "//")
	if !ok {
		return false
	}
	host, _, _ := strings.Cut(rest, "/")
	return strings.Contains(host, "%")
}

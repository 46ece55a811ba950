package sample

import (
	"fmt"
)

// formatSamples are sample strings of the values of "format", which a
// handler may parse (time.Parse, net/mail, net.ParseIP...).
var formatSamples = map[string]string{
	"date-time":             "2024-01-01T00:00:00Z",
	"date":                  "2024-01-01",
	"time":                  "00:00:00Z",
	"duration":              "P1D",
	"email":                 "user@example.com",
	"idn-email":             "user@example.com",
	"hostname":              "example.com",
	"idn-hostname":          "example.com",
	"ipv4":                  "192.0.2.1",
	"ipv6":                  "2001:db8::1",
	"uri":                   "https://example.com/",
	"uri-reference":         "https://example.com/",
	"iri":                   "https://example.com/",
	"iri-reference":         "https://example.com/",
	"uri-template":          "https://example.com/{id}",
	"uuid":                  "123e4567-e89b-12d3-a456-426614174000",
	"json-pointer":          "/example",
	"relative-json-pointer": "0/example",
	"regex":                 "^example$",
}

// formatVariant returns the i-th (from 0) sample of a "format", different
// for each i: formatSamples' for 0.
func formatVariant(format string, i int) (string, bool) {
	v, ok := formatSamples[format]
	if !ok || i == 0 {
		return v, ok
	}
	n := i + 1
	switch format {
	case "date-time":
		return fmt.Sprintf("2024-01-01T00:00:%02dZ", n), n < 60
	case "date":
		return fmt.Sprintf("2024-01-%02d", n), n <= 28
	case "time":
		return fmt.Sprintf("00:00:%02dZ", n), n < 60
	case "duration":
		return fmt.Sprintf("P%dD", n), true
	case "email", "idn-email":
		return fmt.Sprintf("user%d@example.com", n), true
	case "hostname", "idn-hostname":
		return fmt.Sprintf("host%d.example.com", n), true
	case "ipv4":
		return fmt.Sprintf("192.0.2.%d", n), n < 255
	case "ipv6":
		return fmt.Sprintf("2001:db8::%x", n), n < 0x10000
	case "uri", "uri-reference", "iri", "iri-reference":
		return fmt.Sprintf("https://example.com/%d", n), true
	case "uri-template":
		return fmt.Sprintf("https://example.com/%d/{id}", n), true
	case "uuid":
		return fmt.Sprintf("123e4567-e89b-12d3-a456-%012x", n), true
	case "json-pointer":
		return fmt.Sprintf("/example/%d", n), true
	case "relative-json-pointer":
		return fmt.Sprintf("%d/example", n), true
	case "regex":
		return fmt.Sprintf("^example%d$", n), true
	}
	return "", false
}

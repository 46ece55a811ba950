package config

import (
	"strings"
	"unicode"
)

// initialisms are written in upper case in Go names, as golint and the Go
// standard library do (ID, URL, HTTPServer).
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DNS": true,
	"EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ID": true,
	"IP": true, "JSON": true, "LHS": true, "QPS": true, "RAM": true, "RHS": true,
	"RPC": true, "SLA": true, "SMTP": true, "SQL": true, "SSH": true, "TCP": true,
	"TLS": true, "TTL": true, "UDP": true, "UI": true, "UID": true, "UUID": true,
	"URI": true, "URL": true, "UTF8": true, "VM": true, "XML": true, "XMPP": true,
	"XSRF": true, "XSS": true,
}

// GoName turns a JSON name ("file_name", "dry-run", "userId", "2fa") into an
// exported Go identifier ("FileName", "DryRun", "UserID", "X2fa"). It
// returns "X" for a name with no letters or digits. Callers de-duplicate.
func GoName(name string) string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	runes := []rune(name)
	for i, r := range runes {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && len(cur) > 0 &&
			(unicode.IsLower(cur[len(cur)-1]) || unicode.IsDigit(cur[len(cur)-1]) ||
				(i+1 < len(runes) && unicode.IsLower(runes[i+1]))):
			// A new word starts at "Id" in "userId" and at "Server" in "HTTPServer".
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	var b strings.Builder
	for _, w := range words {
		if up := strings.ToUpper(w); initialisms[up] {
			b.WriteString(up)
			continue
		}
		rs := []rune(w)
		rest := string(rs[1:])
		if w == strings.ToUpper(w) {
			// A shouted word that is no initialism reads as a word:
			// "STANDARD_IA" becomes StandardIa, not STANDARDIA.
			rest = strings.ToLower(rest)
		}
		b.WriteRune(unicode.ToUpper(rs[0]))
		b.WriteString(rest)
	}
	s := b.String()
	if s == "" {
		return "X"
	}
	if r := []rune(s)[0]; !unicode.IsLetter(r) || r > unicode.MaxASCII {
		s = "X" + s
	}
	return s
}

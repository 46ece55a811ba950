package generator

import (
	"regexp"
	"slices"
	"sync"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// secretName matches the property names that hold a credential.
// (a name that ends with one of these words, in any case: token, apiToken,
// client_secret, API_KEY).
var secretName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(password|passwd|secret|token|api[-_]?key|credentials?|private[-_]?key)$`)
})

// workflowData builds the sample workflow's action input: the sample input
// with each secret property of the root object, one that is "writeOnly",
// has format "password" or is named like a credential (token, apiKey...),
// read from Direktiv's secrets, so that the workflow shows how a secret
// reaches a function instead of writing it as a literal. Only string
// properties that the sample holds are read from secrets.
func workflowData(doc *schema.Document, sample *schema.Value) WorkflowData {
	w := WorkflowData{Input: sample}
	if doc == nil || doc.Root == nil || sample == nil || sample.Kind != schema.KindObject {
		return w
	}
	secret := map[string]bool{}
	for _, p := range doc.Root.Properties {
		s := p.Schema
		for range 32 { // a chain of references, bounded
			if s == nil || s.Ref == nil || len(s.Types) > 0 {
				break
			}
			s = s.Ref.Target
		}
		if s != nil && (s.WriteOnly || s.Format == "password" || secretName().MatchString(p.Name)) {
			secret[p.Name] = true
		}
	}
	if len(secret) == 0 {
		return w
	}
	in := *sample
	in.Members = make([]*schema.Member, len(sample.Members))
	for i, m := range sample.Members {
		in.Members[i] = m
		if !secret[m.Key] || m.Value.Kind != schema.KindString {
			continue
		}
		in.Members[i] = &schema.Member{Key: m.Key, Value: &schema.Value{Kind: schema.KindString, String: "jq(.secrets." + secretKey(m.Key) + ")"}}
		w.Secrets = append(w.Secrets, secretKey(m.Key))
	}
	slices.Sort(w.Secrets)
	w.Secrets = slices.Compact(w.Secrets)
	w.Input = &in
	return w
}

// secretKey is the name of the Direktiv secret for a property: the property
// name when jq can read it as .secrets.NAME, else its letters and digits.
func secretKey(name string) string {
	var b []rune
	for _, r := range name {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			b = append(b, r)
		}
	}
	if len(b) == 0 || b[0] >= '0' && b[0] <= '9' {
		b = append([]rune("secret_"), b...)
	}
	return string(b)
}

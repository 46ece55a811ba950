package formats

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// suiteDir is the official JSON-Schema-Test-Suite, beside the repository.
const suiteDir = "../../../../shared/json-schema-test-suite/tests"

// Supported are the formats the package checks, as Lookup knows them.
var supported = []string{"date-time", "date", "time", "duration", "email", "hostname", "ipv4", "ipv6", "uri", "uri-reference", "uuid", "regex", "json-pointer"}

// TestSuiteAgreement runs every string instance of the suite's
// optional/format files of the supported formats (draft2020-12 and draft7)
// through the checker and requires every verdict to agree with the suite.
// The instances that are not strings are valid for every format.
func TestSuiteAgreement(t *testing.T) {
	type tally struct{ instances, agreeing int }
	counts := map[string]*tally{}
	found := 0
	for _, draft := range []string{"draft2020-12", "draft7"} {
		for _, format := range supported {
			path := filepath.Join(suiteDir, draft, "optional", "format", format+".json")
			data, err := os.ReadFile(path)
			if os.IsNotExist(err) {
				continue // draft7 has no duration.json or uuid.json
			}
			if err != nil {
				t.Fatal(err)
			}
			found++
			check, ok := Lookup(format)
			if !ok {
				t.Fatalf("Lookup(%q) finds no checker", format)
			}
			var groups []struct {
				Description string
				Tests       []struct {
					Description string
					Data        any
					Valid       bool
				}
			}
			if err := json.Unmarshal(data, &groups); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			c := counts[format]
			if c == nil {
				c = &tally{}
				counts[format] = c
			}
			for _, g := range groups {
				for _, in := range g.Tests {
					c.instances++
					got := true
					if s, isString := in.Data.(string); isString {
						got = check(s)
					}
					if got == in.Valid {
						c.agreeing++
						continue
					}
					t.Errorf("%s/%s: %s: %s: %q: checker says valid=%v, the suite says %v", draft, format, g.Description, in.Description, in.Data, got, in.Valid)
				}
			}
		}
	}
	if found == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("the JSON-Schema-Test-Suite is not at " + suiteDir)
		}
		t.Skip("the JSON-Schema-Test-Suite is not beside the repository")
	}
	var lines []string
	for f, c := range counts {
		lines = append(lines, fmt.Sprintf("%-14s %4d/%-4d agreeing", f, c.agreeing, c.instances))
	}
	sort.Strings(lines)
	t.Logf("suite optional/format agreement (draft2020-12 + draft7):\n%s", strings.Join(lines, "\n"))
}

package workflow

import (
	"strings"
	"testing"
)

// shadowStates is the states list of TestShadowedCatch: an action whose
// catches and retries codes overlap the way plain codes do, then one with
// anchored, escaped patterns that do not.
const shadowStates = `states:
- id: call
  type: action
  action:
    function: fn
    retries:
      max_attempts: 2
      codes:
      - fn.failed
      - fn.failedUpload
      - '^fn\.panic$'
      - '^fn\.panic2$'
  catch:
  - error: fn.failed
    transition: done
  - error: "fn.failedUpload"
    transition: done
  - error: fn.a.b
    transition: done
  - error: fn.a-b
    transition: done
  - error: 'fn\.x.*'
    transition: done
  - error: '^fn\.xy$'
    transition: done
  - error: '^fn\.panic$'
    transition: done
  - error: '^fn\.panic2$'
    transition: done
  - error: '*'
    transition: done
  - error: '^fn\.last$'
    transition: done
- id: exact
  type: action
  action:
    function: fn
  catch:
  - error: '^fn\.failed$'
    transition: done
  - error: '^fn\.failedUpload$'
    transition: done
  - error: '^fn\.a\.b$'
    transition: done
  - error: '^fn\.a-b$'
    transition: done
  - error: '^fn\.panic$'
    transition: done
  - error: '^fn\.panic2$'
    transition: done
  transition: done
- id: done
  type: noop
`

// TestShadowedCatch: a catch whose code an earlier catch already matches
// is reported at its pattern (and a retries code that an earlier one
// already matches), in both eras, with the anchored fix.
func TestShadowedCatch(t *testing.T) {
	heads := map[string]string{
		Knative06.Key: "functions:\n- id: fn\n  image: example.com/fn:v1\n  type: knative-workflow\n#\n",
		Knative.Key:   "direktiv_api: workflow/v1\nfunctions:\n- id: fn\n  image: example.com/fn:v1\n  type: knative-workflow\n",
		Isolated.Key:  "id: wf\nfunctions:\n- id: fn\n  image: example.com/fn:v1\n  type: isolated\n",
	}
	want := []string{
		`w.yaml:15:9: warning: retries code "fn.failedUpload" is never needed for fn.failedUpload: the earlier retries code "fn.failed" (line 14) already matches it (the codes are unanchored regular expressions, so it also retries codes it was not meant to); anchor and escape it to match only fn.failed: '^fn\.failed$'`,
		`w.yaml:21:12: warning: catch error "fn.failedUpload" never catches fn.failedUpload: the earlier catch error "fn.failed" (line 19) also matches it, and Direktiv takes the first catch that matches (the patterns are unanchored regular expressions); anchor and escape it to match only fn.failed: '^fn\.failed$'`,
		`w.yaml:25:12: warning: catch error "fn.a-b" never catches fn.a-b: the earlier catch error "fn.a.b" (line 23) also matches it, and Direktiv takes the first catch that matches (the patterns are unanchored regular expressions); anchor and escape it to match only fn.a.b: '^fn\.a\.b$'`,
		`w.yaml:29:12: warning: catch error "^fn\\.xy$" never catches fn.xy: the earlier catch error "fn\\.x.*" (line 27) also matches it, and Direktiv takes the first catch that matches (the patterns are unanchored regular expressions); put it after this one, or anchor and escape it to match only its own code`,
		`w.yaml:37:12: warning: catch error "^fn\\.last$" never catches fn.last: the earlier catch error "*" (line 35) also matches it, and Direktiv takes the first catch that matches (the patterns are unanchored regular expressions); put it after this one, or anchor and escape it to match only its own code`,
		`w.yaml:39:7: warning: state "exact" is never reached: no transition leads to it from the start state "call"; add one (a transition, a catch or a switch condition), or remove the state`,
	}
	for key, head := range heads {
		t.Run(key, func(t *testing.T) {
			if strings.Count(head, "\n") != 5 {
				t.Fatal("the lines of want assume a head of 5 lines")
			}
			got := Check("w.yaml", []byte(head+shadowStates), Options{Era: testEra(key)})
			var lines []string
			for _, d := range got {
				lines = append(lines, d.String())
			}
			if strings.Join(lines, "\n") != strings.Join(want, "\n") {
				t.Errorf("-want +got:\n-%s\n+%s", strings.Join(want, "\n-"), strings.Join(lines, "\n+"))
			}
		})
	}
}

func TestLiteralCode(t *testing.T) {
	tests := []struct {
		pattern, code string
		ok            bool
	}{
		{"fn.failed", "fn.failed", true},
		{`^fn\.failed$`, "fn.failed", true},
		{`fn\.failed`, "fn.failed", true},
		{`^fn\.a-b_c$`, "fn.a-b_c", true},
		{`fn\.x.*`, "", false},
		{"*", "", false},
		{`(?i)^fn\.x$`, "", false},
		{`^fn\.(a|b)$`, "", false},
		{"fn[", "", false},
	}
	for _, tt := range tests {
		code, ok := literalCode(tt.pattern)
		if code != tt.code || ok != tt.ok {
			t.Errorf("literalCode(%q) = %q, %v; want %q, %v", tt.pattern, code, ok, tt.code, tt.ok)
		}
	}
}

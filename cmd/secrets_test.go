package cmd

import (
	"os"
	"strings"
	"testing"
)

// TestWorkflowReadsSecrets: a property that holds a credential (named like
// one, "writeOnly", or format "password") reaches the function in the
// sample workflow through Direktiv's secrets, never as a literal, and the
// workflow passes lint.
func TestWorkflowReadsSecrets(t *testing.T) {
	inTempDir(t)
	const schemaJSON = `{
  "type": "object",
  "required": ["to", "apiToken", "max_tokens", "login", "pin", "tokenizer"],
  "properties": {
    "to": {"type": "string", "examples": ["+4912345"]},
    "apiToken": {"type": "string", "minLength": 8},
    "login": {"type": "string", "writeOnly": true, "default": "admin"},
    "pin": {"type": "string", "format": "password", "default": "0000"},
    "max_tokens": {"type": "integer", "minimum": 1},
    "tokenizer": {"type": "string", "default": "bpe"}
  }
}`
	if err := os.WriteFile("in.json", []byte(schemaJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := (run{args: []string{"new", "sms", "--schema", "in.json", "--no-input"}}).exec(t); r.code != 0 {
		t.Fatalf("new: exit %d\n%s", r.code, r.stderr)
	}
	wf := read(t, "sms/workflow.yaml")
	wantContains(t, "workflow.yaml", wf,
		"    secrets:\n    - apiToken\n    - login\n    - pin\n",
		"apiToken: jq(.secrets.apiToken)\n",
		"login: jq(.secrets.login)\n",
		"pin: jq(.secrets.pin)\n",
		"to: \"+4912345\"\n",
		"tokenizer: bpe\n",
	)
	if strings.Contains(wf, "max_tokens: jq") {
		t.Errorf("an integer property is read from a secret:\n%s", wf)
	}
	if r := (run{args: []string{"lint", "--dir", "sms"}}).exec(t); r.code != 0 {
		t.Errorf("lint of the workflow with secrets: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if h := read(t, "sms/handler.go"); strings.Contains(h, "Input: in") {
		t.Errorf("the sample handler echoes its input (and so its secrets) into .return:\n%s", h)
	}
}

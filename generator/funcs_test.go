package generator

import (
	"bytes"
	"strings"
	"testing"
)

// TestTemplateFuncs runs the general template functions through a
// template, as the templates call them: the state ids of workflow.yaml
// (dict, list, append, set, hasKey, kebabcase, trimPrefix), the workflow id
// (trunc) and the README's table cells (replace, ternary).
func TestTemplateFuncs(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`{{ $u := dict "call" true }}{{ $ids := list }}{{ range list "ErrInvalidInput" "ErrHTTP2Failed" "ErrCall" }}{{ $id := . | trimPrefix "Err" | kebabcase }}{{ if hasKey $u $id }}{{ $id = printf "%s-dup" $id }}{{ end }}{{ $_ := set $u $id true }}{{ $ids = append $ids $id }}{{ end }}{{ $ids }}`,
			"[invalid-input http2-failed call-dup]"},
		{`{{ $a := list 1 }}{{ $b := append $a 2 }}{{ $c := append $a 3 }}{{ $a }} {{ $b }} {{ $c }}`, "[1] [1 2] [1 3]"},
		{`{{ trunc 3 "abcdef" }} {{ trunc 9 "abc" }} {{ trunc -2 "abcdef" }} {{ trunc -9 "abc" }} {{ trunc 0 "abc" }}|`, "abc abc ef abc |"},
		{`{{ "a|b\nc" | replace "\n" " " | replace "|" "\\|" }} {{ ternary "yes" "no" true }} {{ ternary "yes" "no" false }}`, `a\|b c yes no`},
	} {
		tm, err := parseTemplateText("test", tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		var b bytes.Buffer
		if err := tm.Execute(&b, nil); err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if b.String() != tt.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tt.src, b.String(), tt.want)
		}
	}
	for _, src := range []string{`{{ dict "a" }}`, `{{ dict 1 2 }}`} {
		tm, err := parseTemplateText("test", src)
		if err != nil {
			t.Fatal(err)
		}
		if err := tm.Execute(&bytes.Buffer{}, nil); err == nil || !strings.Contains(err.Error(), "dict") {
			t.Errorf("%s: %v, want an error about dict", src, err)
		}
	}
}

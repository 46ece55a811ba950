package plan

import (
	"strconv"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator"
)

// TestDiffGo: renames are told from removals by the schema location a
// type's doc comment names, or by the one declaration of the same shape;
// a changed error code value is a code rename.
func TestDiffGo(t *testing.T) {
	src := func(body string) map[string][]byte {
		return map[string][]byte{"input.gen.go": []byte(generator.Header + "\n\npackage main\n\n" + body)}
	}
	for _, tt := range []struct {
		name      string
		old, next string
		want      []string
	}{
		{
			name: "a title renames a type",
			old: `// InputAddress is the type of /address.
type InputAddress struct{ Street string }

// InputColor is the type of /color.
type InputColor string

func decodeInputAddress(v *InputAddress) {}
`,
			next: `// PostalAddress is the type of /address (Postal address).
type PostalAddress struct{ Street string }

// InputSize is the type of /size.
type InputSize string

func decodePostalAddress(v *PostalAddress) {}
`,
			want: []string{
				"Go type InputAddress is now PostalAddress",
				"Go type InputColor removed (input.gen.go)",
				"Go type InputSize added (input.gen.go)",
			},
		},
		{
			name: "an enum value goes",
			old: `type InputStyle string

const (
	InputStyleLoud    InputStyle = "loud"
	InputStyleWhisper InputStyle = "whisper"
)
`,
			next: `type InputStyle string

const (
	InputStyleLoud   InputStyle = "loud"
	InputStyleMurmur InputStyle = "murmur"
)
`,
			want: []string{
				"Go constant InputStyleWhisper removed (input.gen.go)",
				"Go constant InputStyleMurmur added (input.gen.go)",
			},
		},
		{
			name: "the id changes",
			old:  "type ErrorCode string\n\nconst ErrFailed ErrorCode = \"hello.failed\"\n",
			next: "type ErrorCode string\n\nconst ErrFailed ErrorCode = \"greeter.failed\"\n",
			want: []string{"error code hello.failed is now greeter.failed: update the workflows that catch it"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := diffGo(generatedGo(src(tt.old)), generatedGo(src(tt.next)))
			if got := c.Lines(); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestGoDecls: a file outside package main, or ignored by its build line,
// declares nothing that matters; methods and init are not top-level names.
func TestGoDecls(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"package main\n\ntype A int\n\nfunc (A) M() {}\n\nfunc init() {}\n\nvar b, _ = 1, 2\n\nfunc C() {}\n", "type A 3:6, var b 9:5, func C 11:6"},
		{"package main_test\n\ntype A int\n", ""},
		{"//go:build ignore\n\npackage main\n\ntype A int\n", ""},
		{"//go:build linux\n\npackage main\n\ntype A int\n", "type A 5:6"},
	} {
		var got []string
		for _, d := range goDecls("x.go", []byte(tt.src)) {
			got = append(got, d.Kind+" "+d.Name+" "+itoa(d.Line)+":"+itoa(d.Col))
		}
		if strings.Join(got, ", ") != tt.want {
			t.Errorf("goDecls(%q) = %q, want %q", tt.src, strings.Join(got, ", "), tt.want)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestSameGeneratedGo: the parse of the generated Go is skipped only when
// the generated Go files that stay are exactly those on disk; any file
// added, removed, edited or left stale on disk counts as a change, and
// files that are not generated Go (the user's, internal/) do not count.
func TestSameGeneratedGo(t *testing.T) {
	gen := func(body string) []byte { return []byte(generator.Header + "\n\npackage main\n\n" + body) }
	a, b := gen("type A int\n"), gen("type B int\n")
	user := []byte("package main\n\nfunc Handle() {}\n")
	for _, tt := range []struct {
		name     string
		existing Existing
		next     map[string][]byte
		kept     map[string][]byte
		want     bool
	}{
		{"identical", Existing{"a.gen.go": a, "handler.go": user}, map[string][]byte{"a.gen.go": a}, nil, true},
		{"edited", Existing{"a.gen.go": a}, map[string][]byte{"a.gen.go": b}, nil, false},
		{"added", Existing{"a.gen.go": a}, map[string][]byte{"a.gen.go": a, "b.gen.go": b}, nil, false},
		{"removed from disk", Existing{"a.gen.go": a, "b.gen.go": b}, map[string][]byte{"a.gen.go": a}, nil, false},
		{"stale kept", Existing{"a.gen.go": a, "b.gen.go": b}, map[string][]byte{"a.gen.go": a}, map[string][]byte{"b.gen.go": b}, true},
		{"line endings converted", Existing{"a.gen.go": []byte(strings.ReplaceAll(string(a), "\n", "\r\n"))}, map[string][]byte{"a.gen.go": a}, nil, false},
		{"not generated Go", Existing{"internal/x/x.gen.go": a, "handler.go": user}, map[string][]byte{"README.md": []byte("x"), "internal/x/x.gen.go": b}, nil, true},
	} {
		if got := sameGeneratedGo(tt.existing, tt.next, tt.kept); got != tt.want {
			t.Errorf("%s: sameGeneratedGo = %v, want %v", tt.name, got, tt.want)
		}
	}
}

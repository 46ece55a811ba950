package generator

import (
	"context"
	"regexp"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/internal/fixture"
	"gopkg.in/yaml.v3"
)

// TestWorkflowCatchesEachCodeFirst renders the sample workflow for codes
// that are prefixes of one another or differ only where a '.' stands, and
// routes every code the way Direktiv does: the catch[].error patterns are
// unanchored Go regular expressions ("*" alone matches everything) and the
// first that matches wins. Each code must reach the error state that
// re-raises that very code.
func TestWorkflowCatchesEachCodeFirst(t *testing.T) {
	codes := []string{"fn.invalidInput", "fn.failed", "fn.failedUpload", "fn.a.b", "fn.a-b", "fn.panic", "fn.panic2"}
	for _, mode := range config.Modes {
		t.Run(string(mode), func(t *testing.T) {
			cfg := fixture.RichConfig(t, mode)
			cfg.ID = "fn"
			cfg.Errors = []config.ErrorCode{{Name: "failedUpload"}, {Name: "a.b"}, {Name: "panic2"}}
			data, err := newData(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			// a-b and a.b share the constant ErrAB, so the generator refuses
			// both in one function; the workflow template still has to keep
			// them apart, so add a-b by hand, after a.b, as it would be.
			data.Errors = append(data.Errors, ErrorData{Const: "ErrADash", Name: "a-b", Code: "fn.a-b", CatchPattern: CatchPattern("fn.a-b")})
			out, err := render("common/workflow.yaml.tmpl", data)
			if err != nil {
				t.Fatal(err)
			}
			var wf struct {
				States []struct {
					ID    string `yaml:"id"`
					Error string `yaml:"error"`
					Catch []struct {
						Error      string `yaml:"error"`
						Transition string `yaml:"transition"`
					} `yaml:"catch"`
				} `yaml:"states"`
			}
			if err := yaml.Unmarshal(out, &wf); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			raised := map[string]string{} // state id -> code it re-raises
			for _, s := range wf.States {
				raised[s.ID] = s.Error
			}
			call := wf.States[0]
			if len(call.Catch) != len(codes) {
				t.Fatalf("%d catches for %d codes:\n%s", len(call.Catch), len(codes), out)
			}
			for _, code := range codes {
				caught := ""
				for _, c := range call.Catch {
					if c.Error == "*" || regexp.MustCompile(c.Error).MatchString(code) {
						caught = raised[c.Transition]
						break
					}
				}
				if caught != code {
					t.Errorf("%s is caught first by the catch of %q:\n%s", code, caught, out)
				}
			}
		})
	}
}

func TestCatchPattern(t *testing.T) {
	for code, want := range map[string]string{
		"fn.panic2": `^fn\.panic2$`,
		"fn.a-b_c":  `^fn\.a-b_c$`,
		"x+(y)":     `^x\+\(y\)$`,
	} {
		if got := CatchPattern(code); got != want {
			t.Errorf("CatchPattern(%q) = %q, want %q", code, got, want)
		}
		re := regexp.MustCompile(CatchPattern(code))
		if !re.MatchString(code) || re.MatchString(code+"2") || re.MatchString("a"+code) {
			t.Errorf("%s does not match exactly %q", re, code)
		}
	}
}

// TestYAMLSingleQuote: the scalar reads back as the string.
func TestYAMLSingleQuote(t *testing.T) {
	for _, s := range []string{`^fn\.panic2$`, "it's", `a\b`, "", "two\nlines", "tab\there", "# not a comment", "* x"} {
		var m map[string]string
		if err := yaml.Unmarshal([]byte("k: "+YAMLSingleQuote(s)), &m); err != nil || m["k"] != s {
			t.Errorf("YAMLSingleQuote(%q) = %s reads back as %q (%v)", s, YAMLSingleQuote(s), m["k"], err)
		}
	}
	if got := YAMLSingleQuote(`^fn\.panic2$`); got != `'^fn\.panic2$'` {
		t.Errorf("got %s", got)
	}
}

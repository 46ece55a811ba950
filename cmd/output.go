package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
	"github.com/direktiv-fn/direktiv-fn/generator/write"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// printReport lists what was written, and the stale generated files of the
// function's last generation that were kept because they were edited by hand.
func printReport(w io.Writer, s *newSettings, r *write.Report, kept []string) {
	if r.Fresh {
		fmt.Fprintf(w, "Created %s: function %q (%s), %d files.\n", s.dir, s.id, s.mode, len(r.Changes))
		for _, c := range r.Changes {
			fmt.Fprintf(w, "  %s\n", c.Path)
		}
		return
	}
	var counts []string
	for _, a := range []write.Action{write.Created, write.Updated, write.Deleted, write.Unchanged, write.Kept} {
		if n := r.Count(a); n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", n, a))
		}
	}
	fmt.Fprintf(w, "Wrote %s: function %q (%s), %s.\n", s.dir, s.id, s.mode, strings.Join(counts, ", "))
	for _, c := range r.Changes {
		switch c.Action {
		case write.Unchanged:
		case write.Deleted:
			fmt.Fprintf(w, "  %-7s  %s (no longer generated)\n", c.Action, c.Path)
		case write.Kept:
			fmt.Fprintf(w, "  %-7s  %s (yours, left as it is: delete it and run again for the template's version)\n", c.Action, c.Path)
		default:
			fmt.Fprintf(w, "  %-7s  %s\n", c.Action, c.Path)
		}
	}
	for _, k := range kept {
		fmt.Fprintf(w, "  %-7s  %s (no longer generated, but edited by hand: delete it, or run \"direktiv-fn generate --force\" to delete it)\n", "kept", k)
	}
}

// equivalentCommand returns the non-interactive command line that does what
// an interactive run did, every value spelled out so that no environment
// variable changes its meaning. It is indented and broken into lines of at
// most about 80 columns with backslash continuations, ready to paste.
func equivalentCommand(self invocation, s *newSettings) string {
	groups := [][]string{{self.name(), "new", s.id}, {"--mode", string(s.mode)}}
	if s.schemaPath != "" {
		groups = append(groups, []string{"--schema", s.schemaPath})
	}
	if s.outputSchemaPath != "" {
		groups = append(groups, []string{"--" + flagOutputSchema, s.outputSchemaPath})
	}
	groups = append(groups, []string{"--image", s.image}, []string{"--module", s.module}, []string{"--dir", s.dir})
	if s.force {
		groups = append(groups, []string{"--force"})
	}
	groups = append(groups, []string{"--no-input"})

	const width = 78
	var b strings.Builder
	line := "  "
	for i, g := range groups {
		quoted := make([]string, len(g))
		for j, a := range g {
			quoted[j] = shellQuote(a)
		}
		word := strings.Join(quoted, " ")
		switch {
		case i == 0:
			line += word
		case len(line)+1+len(word)+2 > width:
			b.WriteString(line + " \\\n")
			line = "    " + word
		default:
			line += " " + word
		}
	}
	b.WriteString(line)
	return b.String()
}

// shellQuote quotes s for a POSIX shell, leaving it bare when that is safe.
func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// printNextSteps tells the user how to test, build and try the function.
// The sample input is the generated tests' own, so the curl line succeeds.
func printNextSteps(w io.Writer, self invocation, s *newSettings, doc *schema.Document) {
	img := shellQuote(config.BuildTag(s.image))
	sampleJSON, err := generator.SampleInputJSON(doc)
	if err != nil {
		// Generate succeeded on the same schema, so this cannot happen.
		sampleJSON = []byte("{}")
	}
	sample := shellQuote(string(sampleJSON))
	fmt.Fprintf(w, "\nNext steps:\n")
	if self.install != "" {
		fmt.Fprintf(w, "  %s    # direktiv-fn ran with \"go run\": install it for the commands below\n", self.install)
	}
	fmt.Fprintf(w, "  cd %s\n", shellQuote(s.dir))
	fmt.Fprintf(w, "  go test ./...\n")
	fmt.Fprintf(w, "  %s invoke    # one call with a sample input, the way Direktiv makes it\n", shellQuote(self.name()))
	fmt.Fprintf(w, "  docker build -t %s .\n", img)
	switch s.mode {
	case config.ModeKnative:
		fmt.Fprintf(w, "  docker run --rm -p 8080:8080 %s\n", img)
		fmt.Fprintf(w, "  # in another terminal, call it as Direktiv does:\n")
		fmt.Fprintf(w, "  curl -sS http://localhost:8080 -H 'Direktiv-ActionID: development' \\\n")
		fmt.Fprintf(w, "    -H 'Content-Type: application/json' -d %s\n", sample)
	case config.ModeIsolated:
		// As the README's recipe: the folders Direktiv creates, no outputs of
		// an earlier run, and the image run as yourself, who owns data/ (its
		// user 65532 could not write there).
		fmt.Fprintf(w, "  # run one call as Direktiv does, through a data folder (data/ is ignored by git):\n")
		fmt.Fprintf(w, "  mkdir -p data/vars/out/namespace data/vars/out/workflow data/vars/out/instance\n")
		fmt.Fprintf(w, "  rm -f data/out.log data/output.json data/error.json data/done\n")
		fmt.Fprintf(w, "  echo %s > data/input.json\n", sample)
		fmt.Fprintf(w, "  docker run --rm --user \"$(id -u):$(id -g)\" -v \"$PWD/data:/direktiv-data\" %s\n", img)
		fmt.Fprintf(w, "  cat data/out.log; cat data/output.json 2>/dev/null || cat data/error.json\n")
	}
	fmt.Fprintf(w, "  docker push %s\n", img)
	if img != shellQuote(s.image) {
		fmt.Fprintf(w, "  # workflow.yaml references the digest %s: after the push, write the\n", s.image)
		fmt.Fprintf(w, "  # digest docker push printed into image: in %s, then run direktiv-fn generate\n", config.ManifestFile)
	}
	if s.scope == direktiv.ScopeNamespace {
		fmt.Fprintf(w, "Then fill in handler.go; store service.yaml in the namespace as %s: workflow.yaml calls the function there.\n", generator.ServicePath(s.id))
	} else {
		fmt.Fprintf(w, "Then fill in handler.go; workflow.yaml calls the function from Direktiv.\n")
	}
	fmt.Fprintf(w, "README.md has the details.\n")
}

package generator

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/model"
	fnruntime "github.com/direktiv-fn/direktiv-fn/generator/runtime"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// suiteDir is the official JSON-Schema-Test-Suite, beside the repository.
const suiteDir = "../../shared/json-schema-test-suite/tests"

// suiteGroup is one test case of the suite: a schema and its instances.
type suiteGroup struct {
	Description string          `json:"description"`
	Schema      json.RawMessage `json:"schema"`
	Tests       []struct {
		Description string          `json:"description"`
		Data        json.RawMessage `json:"data"`
		Valid       bool            `json:"valid"`
	} `json:"tests"`
}

// fileStats counts one suite file's results.
type fileStats struct {
	cases, supportedCases          int
	instances, supported, agreeing int
}

// TestConformance generates the validation of every schema in the suite's
// draft2020-12 and draft7 folders (optional/ excluded, but for the
// optional/format files of the asserted formats), compiles it (all
// cases in one module, one package per case), runs every instance and
// compares the verdict with the suite. A schema the generator refuses counts
// as unsupported; on a supported one every verdict must agree.
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles generated validation for every suite case")
	}
	files, _ := filepath.Glob(filepath.Join(suiteDir, "draft*", "*.json"))
	// The optional/format files of the asserted formats.
	for _, f := range model.AssertedFormats() {
		more, _ := filepath.Glob(filepath.Join(suiteDir, "draft*", "optional", "format", f+".json"))
		files = append(files, more...)
	}
	if len(files) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("the JSON-Schema-Test-Suite is not at " + suiteDir + ": CI runs with shared/ beside the repository")
		}
		t.Skip("the JSON-Schema-Test-Suite is not beside the repository")
	}
	sort.Strings(files)
	mod := t.TempDir()
	writeTestFile(t, filepath.Join(mod, "go.mod"), "module conformance\n\ngo 1.22\n")
	writeRuntime(t, mod, "conformance")

	type instance struct {
		Pkg, File, Case, Test string
		Data                  json.RawMessage
		Valid                 bool
	}
	var (
		instances []instance
		pkgs      []string
		stats     = map[string]*fileStats{}
		reasons   = map[string]int{}
		seq       int
	)
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)
		if filepath.Base(filepath.Dir(f)) == "format" {
			name = filepath.Base(filepath.Dir(filepath.Dir(filepath.Dir(f)))) + "/optional/format/" + filepath.Base(f)
		}
		st := &fileStats{}
		stats[name] = st
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var groups []suiteGroup
		if err := json.Unmarshal(data, &groups); err != nil {
			t.Fatal(err)
		}
		for _, g := range groups {
			st.cases++
			st.instances += len(g.Tests)
			src := []byte(g.Schema)
			if strings.HasPrefix(name, "draft7/") {
				src = asDraft7(src)
			}
			seq++
			pkg := fmt.Sprintf("c%04d", seq)
			// Formats are annotations by default in both drafts (format.json
			// holds that); the optional/format files assert them.
			annotate := !strings.Contains(name, "/optional/format/")
			code, err := conformanceSourceWith(src, pkg, "conformance/internal/", inputOptions{validationOnly: true, annotateFormats: annotate})
			if err != nil {
				reasons[firstLine(err)]++
				continue
			}
			st.supportedCases++
			st.supported += len(g.Tests)
			pkgs = append(pkgs, pkg)
			for _, code := range code {
				writeTestFile(t, filepath.Join(mod, pkg, code.name), code.text)
			}
			for _, in := range g.Tests {
				instances = append(instances, instance{Pkg: pkg, File: name, Case: g.Description, Test: in.Description, Data: in.Data, Valid: in.Valid})
			}
		}
	}

	// The runner decodes every instance with its case's generated DecodeInput.
	var main strings.Builder
	main.WriteString("package main\n\nimport (\n\t\"encoding/json\"\n\t\"os\"\n\t\"strings\"\n\n")
	for _, p := range pkgs {
		fmt.Fprintf(&main, "\t%q\n", "conformance/"+p)
	}
	main.WriteString(")\n\nvar decoders = map[string]func([]byte) error{\n")
	for _, p := range pkgs {
		fmt.Fprintf(&main, "\t%q: func(b []byte) error { _, err := %s.DecodeInput(b); return err },\n", p, p)
	}
	main.WriteString(`}

func main() {
	var in []struct{ Pkg string; Data json.RawMessage }
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	var out []string
	for _, i := range in {
		if err := decoders[i.Pkg](i.Data); err != nil {
			out = append(out, "invalid: "+strings.ReplaceAll(err.Error(), "\n", " "))
		} else {
			out = append(out, "valid")
		}
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
`)
	writeTestFile(t, filepath.Join(mod, "main.go"), main.String())
	input, _ := json.Marshal(instances)
	run := exec.Command("go", "run", ".")
	run.Dir = mod
	run.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	run.Stdin = strings.NewReader(string(input))
	var stderr strings.Builder
	run.Stderr = &stderr
	out, err := run.Output()
	if err != nil {
		t.Fatalf("running the generated validation: %v\n%s", err, stderr.String())
	}
	var verdicts []string
	if err := json.Unmarshal(out, &verdicts); err != nil {
		t.Fatal(err)
	}
	for i, in := range instances {
		gotValid := verdicts[i] == "valid"
		if gotValid == in.Valid {
			stats[in.File].agreeing++
			continue
		}
		t.Errorf("%s: %s: %s: generated validation says %s, the suite says valid=%v\ninstance: %s",
			in.File, in.Case, in.Test, verdicts[i], in.Valid, in.Data)
	}
	t.Log("\n" + conformanceTable(stats))
	var scope fileStats
	for name, st := range stats {
		if inScope(name) {
			scope.instances += st.instances
			scope.supported += st.supported
			scope.agreeing += st.agreeing
		}
	}
	pct := 100 * float64(scope.supported) / float64(scope.instances)
	t.Logf("in scope (all files but %s): %d/%d instances supported (%.1f%%), %d/%d agreeing",
		strings.Join(outOfScope, ", "), scope.supported, scope.instances, pct, scope.agreeing, scope.supported)
	if pct < 90 {
		t.Errorf("only %.1f%% of the in-scope instances are supported; the target is 90%%", pct)
	}
	if scope.agreeing != scope.supported {
		t.Errorf("%d supported in-scope instances disagree with the suite; the target is none", scope.supported-scope.agreeing)
	}
	var reasonList []string
	for r, n := range reasons {
		reasonList = append(reasonList, fmt.Sprintf("%4d  %s", n, r))
	}
	sort.Strings(reasonList)
	t.Logf("why cases are unsupported:\n%s", strings.Join(reasonList, "\n"))
}

// outOfScope are the suite files of features that issue 3 leaves out:
// remote references, dynamic references, unevaluated*, vocabularies and
// content*. The generator refuses their schemas; the targets (90 % of the
// instances supported, all of them agreeing) hold for the other files.
var outOfScope = []string{"refRemote", "dynamicRef", "unevaluatedItems", "unevaluatedProperties", "vocabulary", "content"}

// inScope reports whether a suite file ("draft7/ref.json") is in scope.
func inScope(name string) bool {
	base := strings.TrimSuffix(filepath.Base(name), ".json")
	return !slices.Contains(outOfScope, base)
}

// codeFile is one generated source file of a conformance case.
type codeFile struct{ name, text string }

// conformanceSource generates the validation code of one suite schema as
// package pkg, importing the runtime packages from the import path prefix
// rt, or says why the schema is unsupported.
func conformanceSource(src []byte, pkg, rt string) ([]codeFile, error) {
	return conformanceSourceWith(src, pkg, rt, inputOptions{validationOnly: true})
}

// conformanceSourceWith is conformanceSource with the model's options.
func conformanceSourceWith(src []byte, pkg, rt string, opts inputOptions) ([]codeFile, error) {
	doc, err := schema.Parse("schema.json", src)
	if err != nil {
		return nil, err
	}
	model, err := newInputModelWith(doc, opts)
	if err != nil {
		return nil, err
	}
	data := &Data{ID: "conformance", Mode: config.ModeKnative, Header: Header, Input: model, Runtime: rt}
	var files []codeFile
	for _, name := range []string{"input/input.gen.go.tmpl"} {
		out, err := render(name, data)
		if err != nil {
			return nil, fmt.Errorf("render error: %w", err)
		}
		text := strings.Replace(string(out), "package main", "package "+pkg, 1)
		files = append(files, codeFile{strings.TrimSuffix(filepath.Base(name), ".tmpl"), text})
	}
	return files, nil
}

// asDraft7 marks an object schema as draft-07, as the suite's draft7 folder means it.
func asDraft7(src []byte) []byte {
	s := strings.TrimSpace(string(src))
	if !strings.HasPrefix(s, "{") || strings.Contains(s, `"$schema"`) {
		return src
	}
	if strings.TrimSpace(s[1:]) == "}" {
		return []byte(`{"$schema": "http://json-schema.org/draft-07/schema#"}`)
	}
	return []byte(`{"$schema": "http://json-schema.org/draft-07/schema#",` + s[1:])
}

func firstLine(err error) string {
	var ds schema.Diagnostics
	msg := err.Error()
	if errors.As(err, &ds) && len(ds) > 0 {
		msg = ds[0].Message
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if len(msg) > 100 {
		msg = msg[:100]
	}
	return msg
}

// conformanceTable prints, per file, the cases supported out of all and the
// instances agreeing out of the supported, and the totals.
func conformanceTable(stats map[string]*fileStats) string {
	var names []string
	for n := range stats {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "file\tcases supported\tinstances supported\tagreeing\t")
	var total fileStats
	for _, n := range names {
		s := stats[n]
		fmt.Fprintf(w, "%s\t%d/%d\t%d/%d\t%d/%d\t\n", n, s.supportedCases, s.cases, s.supported, s.instances, s.agreeing, s.supported)
		total.cases += s.cases
		total.supportedCases += s.supportedCases
		total.instances += s.instances
		total.supported += s.supported
		total.agreeing += s.agreeing
	}
	fmt.Fprintf(w, "total\t%d/%d\t%d/%d\t%d/%d\t\n", total.supportedCases, total.cases, total.supported, total.instances, total.agreeing, total.supported)
	w.Flush()
	return b.String()
}

// writeRuntime writes the whole runtime into the module of path module in
// folder mod, for generated packages that import it from module/internal/.
func writeRuntime(t *testing.T, mod, module string) {
	t.Helper()
	files, err := fnruntime.CopyAll(module, Header)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		writeTestFile(t, filepath.Join(mod, filepath.FromSlash(f.Path)), string(f.Content))
	}
}

func writeTestFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

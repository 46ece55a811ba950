// Package generator renders a Direktiv function repository from a Config.
//
// Generation is pure: Generate returns the files in memory, sorted by path,
// and writes nothing. The sub-package write is the only code that touches a
// target folder.
package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/format"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"text/template"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
	fnruntime "github.com/direktiv-fn/direktiv-fn/generator/runtime"
	"github.com/direktiv-fn/direktiv-fn/templates"
)

// Generate renders every file of the function repository described by cfg.
// The files are sorted by path. Nothing is written.
func Generate(cfg config.Config) ([]config.File, error) {
	return generate(context.Background(), cfg, nil, nil)
}

// Regenerate renders the files of an existing repository whose manifest is
// m, for cfg (m.Config() completed with the schema and the version, and any
// change made through m). It is Generate, except that the manifest is m's
// node tree updated, so that the user's comments and key order survive.
func Regenerate(m *manifest.Manifest, cfg config.Config) ([]config.File, error) {
	if m == nil {
		return nil, errors.New("internal error: Regenerate without a manifest")
	}
	return generate(context.Background(), cfg, m, nil)
}

// generate renders the repository for cfg, with m's node tree as the
// manifest (a new manifest when m is nil). The manifest's record lists the
// generated files and, from carry (path -> digest), the stale generated
// files an earlier generation wrote that are left on disk.
func generate(ctx context.Context, cfg config.Config, m *manifest.Manifest, carry map[string]string) ([]config.File, error) {
	r, err := RenderContext(ctx, cfg, m)
	if err != nil || carry == nil {
		return r.filesOrNil(), err
	}
	return r.WithCarry(carry)
}

// Rendering is the repository rendered once: its files, and what the
// planner needs to render the manifest and the stamp again (not the rest)
// when the record must keep stale files that stay on disk.
type Rendering struct {
	// Files are the rendered files, sorted by path.
	Files []config.File

	Config config.Config
	m      *manifest.Manifest
	data   *Data
	// body are the files but the manifest and the stamp.
	body []config.File
}

// Render renders the repository for cfg, with m's node tree as the
// manifest so that the user's comments and key order survive (a new
// manifest when m is nil). Nothing is written.
func Render(cfg config.Config, m *manifest.Manifest) (*Rendering, error) {
	return RenderContext(context.Background(), cfg, m)
}

// RenderContext is Render, stopping early with ctx's error when ctx is
// done: the long loops of the generation (the model, the sample, the test
// cases, the templates) check it.
func RenderContext(ctx context.Context, cfg config.Config, m *manifest.Manifest) (*Rendering, error) {
	data, err := newData(ctx, cfg)
	if err != nil {
		return nil, err
	}
	body, err := renderRows(ctx, data, func(o output) bool { return !o.Stamp })
	if err != nil {
		return nil, err
	}
	rt, err := runtimeFiles(cfg.Module, body)
	if err != nil {
		return nil, err
	}
	body = append(body, rt...)
	body = append(body, config.File{Path: cfg.SchemaFile, Content: cfg.SchemaData, Policy: config.ScaffoldOnce})
	if cfg.OutputSchema != nil {
		body = append(body, config.File{Path: cfg.OutputSchemaFile, Content: cfg.OutputSchemaData, Policy: config.ScaffoldOnce})
	}
	sort.Slice(body, func(i, j int) bool { return body[i].Path < body[j].Path })
	r := &Rendering{Config: cfg, m: m, data: data, body: body}
	if r.Files, err = r.WithCarry(nil); err != nil {
		return nil, err
	}
	return r, nil
}

// filesOrNil returns r's files; nil for a nil r.
func (r *Rendering) filesOrNil() []config.File {
	if r == nil {
		return nil
	}
	return r.Files
}

// WithCarry returns the files with the manifest (its record carrying the
// digests in carry, path -> digest) and the stamp rendered again.
func (r *Rendering) WithCarry(carry map[string]string) ([]config.File, error) {
	m := r.m
	if m == nil {
		m = manifest.New(r.Config)
	}
	manifest, err := m.Render(r.Config.Version, manifest.NewRecord(r.Config, withoutStamps(r.body), carry))
	if err != nil {
		return nil, err
	}
	files := append(append([]config.File(nil), r.body...), config.File{Path: config.ManifestFile, Content: manifest, Policy: config.Generated})

	// The stamp records the digests of the generation's inputs, so that the
	// repository's own tests notice an edit that was not regenerated.
	data := *r.data
	data.Stamps = []StampData{
		{File: r.Config.SchemaFile, Hash: StampHash(r.Config.SchemaData)},
		{File: config.ManifestFile, Hash: ManifestStampHash(manifest), SkipComments: true},
	}
	if r.Config.OutputSchema != nil {
		data.Stamps = append(data.Stamps, StampData{File: r.Config.OutputSchemaFile, Hash: StampHash(r.Config.OutputSchemaData)})
	}
	stamps, err := renderRows(context.Background(), &data, func(o output) bool { return o.Stamp })
	if err != nil {
		return nil, err
	}
	files = append(files, stamps...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// runtimeFiles returns the copy of the runtime packages (under internal/)
// that the Go files among files reach: generated files, rewritten by every
// generation.
func runtimeFiles(module string, files []config.File) ([]config.File, error) {
	var code [][]byte
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".go") {
			code = append(code, f.Content)
		}
	}
	rt, err := fnruntime.Copy(module, Header, code)
	if err != nil {
		return nil, err
	}
	out := make([]config.File, len(rt))
	for i, f := range rt {
		out[i] = config.File{Path: f.Path, Content: f.Content, Policy: config.Generated}
	}
	return out, nil
}

// renderRows renders the rows of the output table that apply to data's mode
// and that keep selects. Rows render concurrently (formatting Go source is
// most of the cost of a generation); the files come back in table order,
// and the first failing row's error wins, so the result is deterministic.
func renderRows(ctx context.Context, data *Data, keep func(output) bool) ([]config.File, error) {
	var rows []output
	for _, o := range outputs {
		if (o.Mode == "" || o.Mode == data.Mode) && (o.Scope == "" || o.Scope == data.Scope) && (!o.Output || data.Output != nil) && keep(o) {
			rows = append(rows, o)
		}
	}
	files := make([]config.File, len(rows))
	errs := make([]error, len(rows))
	var wg sync.WaitGroup
	for i, o := range rows {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			content, err := render(o.Template, data)
			files[i], errs[i] = config.File{Path: o.Path, Content: content, Policy: o.Policy}, err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// StampHash is the digest of an input file that the generated stamp
// records. Line endings are normalised to "\n", so that a checkout that
// converts them (git's autocrlf) does not count as an edit.
func StampHash(content []byte) string {
	return manifest.Hash(bytes.ReplaceAll(content, []byte("\r\n"), []byte("\n")))
}

// ManifestStampHash is the digest of the manifest that the generated stamp
// records: StampHash of its lines that are neither blank nor only a YAML
// comment (a line whose first non-blank character is '#'), so that a comment
// edit leaves the generation up to date. Comments at the end of a line still
// count: telling them from a '#' inside a value takes a YAML parser, which
// the generated test does without. A block scalar's line that starts with
// '#' is left out too; an edit of that line alone goes unnoticed by the
// stamp (not by "direktiv-fn generate --check").
func ManifestStampHash(content []byte) string {
	var out []byte
	for _, line := range bytes.SplitAfter(bytes.ReplaceAll(content, []byte("\r\n"), []byte("\n")), []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) == 0 || t[0] == '#' {
			continue
		}
		out = append(out, line...)
	}
	return manifest.Hash(out)
}

// IsStamp reports whether p is rendered from a stamp row of the output table.
func IsStamp(p string) bool {
	for _, o := range outputs {
		if o.Stamp && o.Path == p {
			return true
		}
	}
	return false
}

// goGenerate returns the command of the generated //go:generate line: the
// released version through "go run", so that nothing needs installing and
// the version is pinned, else an installed direktiv-fn.
func goGenerate(version string) string {
	if releaseVersion().MatchString(version) {
		return "go run " + ModulePath + "@" + version + " generate"
	}
	return "direktiv-fn generate"
}

// installCommand returns the command that installs direktiv-fn: the
// version that generated the repository when it is a release, else the
// latest.
func installCommand(version string) string {
	if !releaseVersion().MatchString(version) {
		version = "latest"
	}
	return "go install " + ModulePath + "@" + version
}

// ModulePath is direktiv-fn's own module path.
const ModulePath = "github.com/direktiv-fn/direktiv-fn"

// releaseVersion matches a released version: a semantic version tag, not a
// pseudo-version or "dev".
var releaseVersion = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+(-(alpha|beta|rc)\.?[0-9]+)?$`)
})

// newData checks cfg and builds the templates' data.
func newData(ctx context.Context, cfg config.Config) (*Data, error) {
	var errs []error
	if err := config.ValidateID(cfg.ID); err != nil {
		errs = append(errs, err)
	}
	var era direktiv.Era
	if _, err := config.ParseMode(string(cfg.Mode)); err != nil {
		errs = append(errs, err)
	} else if era, err = cfg.Era(); err != nil {
		errs = append(errs, err)
	} else if err := direktiv.CheckScope(era, cfg.Direktiv, cfg.Scope); err != nil {
		errs = append(errs, err)
	}
	scope := cfg.Scope
	if scope == "" {
		scope = direktiv.ScopeWorkflow
	}
	if err := config.ValidateImage(cfg.Image); err != nil {
		errs = append(errs, err)
	}
	if err := config.ValidateModule(cfg.Module); err != nil {
		errs = append(errs, err)
	}
	if cfg.SchemaFile == "" || path.IsAbs(cfg.SchemaFile) || strings.HasPrefix(path.Clean(cfg.SchemaFile), "..") {
		errs = append(errs, fmt.Errorf("invalid schema file path %q: it must be relative and inside the repository", cfg.SchemaFile))
	}
	if cfg.Schema == nil {
		errs = append(errs, errors.New("no input schema"))
	}
	errs = append(errs, checkOutputConfig(cfg)...)
	if cfg.MaxDepth != 0 {
		if err := config.ValidateMaxDepth(cfg.MaxDepth); err != nil {
			errs = append(errs, err)
		}
	}
	codes, err := errorData(cfg.ID, cfg.Errors, cfg.OutputSchema != nil)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	input, output, err := newModels(ctx, cfg.Schema, cfg.OutputSchema, inputOptions{ctx: ctx, annotateFormats: cfg.AnnotateFormats})
	if err != nil {
		return nil, err
	}
	if cfg.MaxDepth != 0 {
		input.MaxDepth = cfg.MaxDepth
	}
	data := &Data{
		ID:           cfg.ID,
		Mode:         cfg.Mode,
		Era:          era,
		Scope:        scope,
		Image:        cfg.Image,
		Module:       cfg.Module,
		Runtime:      cfg.Module + "/internal/",
		Version:      cfg.Version,
		SchemaFile:   cfg.SchemaFile,
		ManifestFile: config.ManifestFile,
		GoVersion:    GoVersion,
		BuildImage:   BuildImage,
		Header:       Header,
		GoGenerate:   goGenerate(cfg.Version),
		Install:      installCommand(cfg.Version),
		Starter:      bytes.Equal(cfg.SchemaData, templates.StarterSchema),
		Errors:       codes,
		Input:        input,
		Workflow:     workflowData(cfg.Schema, input.Sample),
	}
	if output != nil {
		output.MaxDepth = input.MaxDepth
		data.Output, data.OutputSchemaFile = output, cfg.OutputSchemaFile
		data.Workflow.Return = returnReads(cfg.OutputSchema)
	}
	return data, nil
}

// errorData returns the built-in codes followed by the user's, refusing
// invalid names and names whose Go constants would collide.
func errorData(id string, user []config.ErrorCode, output bool) ([]ErrorData, error) {
	var out []ErrorData
	seen := map[string]string{} // constant name -> code name
	builtins := map[string]bool{}
	var errs []error
	add := func(c config.ErrorCode, builtin bool) {
		if err := config.ValidateErrorName(c.Name); err != nil {
			errs = append(errs, err)
			return
		}
		constName := "Err" + config.GoName(c.Name)
		if prev, ok := seen[constName]; ok {
			if builtins[c.Name] {
				errs = append(errs, fmt.Errorf("error code %q is built in: choose another name", c.Name))
			} else if prev == c.Name {
				errs = append(errs, fmt.Errorf("error code %q is defined twice", c.Name))
			} else if builtins[prev] {
				errs = append(errs, fmt.Errorf("error code %q would become %s, the constant of the built-in code %q: choose another name", c.Name, constName, prev))
			} else {
				errs = append(errs, fmt.Errorf("error codes %q and %q both become the Go constant %s: rename one", prev, c.Name, constName))
			}
			return
		}
		seen[constName] = c.Name
		builtins[c.Name] = builtin
		out = append(out, ErrorData{
			Const:        constName,
			Name:         c.Name,
			Code:         id + "." + c.Name,
			Description:  c.Description,
			BuiltIn:      builtin,
			CatchPattern: CatchPattern(id + "." + c.Name),
		})
	}
	for _, c := range config.Builtins(output) {
		add(c, true)
	}
	for _, c := range user {
		add(c, false)
	}
	return out, errors.Join(errs...)
}

// funcs is the one FuncMap of every template, built on first use.
var funcs = sync.OnceValue(funcMap)

// parsed holds, by path in templates.FS, each template parsed on first use
// (a func returning the template or its parse error), so that a generation
// parses only the templates of the rows it renders and the process does not
// parse any at start-up.
var parsed sync.Map

// lookup returns the template at path name in templates.FS, parsed once.
func lookup(name string) (*template.Template, error) {
	once, ok := parsed.Load(name)
	if !ok {
		once, _ = parsed.LoadOrStore(name, sync.OnceValues(func() (*template.Template, error) { return parseTemplate(name) }))
	}
	return once.(func() (*template.Template, error))()
}

// parseTemplate parses the template at path name in templates.FS with the
// one FuncMap.
func parseTemplate(name string) (*template.Template, error) {
	text, err := fs.ReadFile(templates.FS, name)
	if err != nil {
		return nil, fmt.Errorf("internal error: template %s not found", name)
	}
	t, err := template.New(name).Funcs(funcs()).Option("missingkey=error").Parse(string(text))
	if err != nil {
		return nil, fmt.Errorf("internal error: parsing template %s: %w", name, err)
	}
	for _, dep := range templateDefines[name] {
		text, err := fs.ReadFile(templates.FS, dep)
		if err == nil {
			_, err = t.New(dep).Parse(string(text))
		}
		if err != nil {
			return nil, fmt.Errorf("internal error: parsing template %s for %s: %w", dep, name, err)
		}
	}
	return t, nil
}

// render executes one template and, for Go files, formats the result.
func render(name string, data *Data) ([]byte, error) {
	t, err := lookup(name)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("internal error: rendering %s: %w", name, err)
	}
	if !strings.HasSuffix(strings.TrimSuffix(name, ".tmpl"), ".go") {
		return buf.Bytes(), nil
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("internal error: %s renders invalid Go: %w\n%s", name, err, numbered(buf.Bytes()))
	}
	return src, nil
}

// numbered returns src with line numbers, for errors about generated code.
func numbered(src []byte) string {
	var b strings.Builder
	for i, line := range strings.Split(string(src), "\n") {
		fmt.Fprintf(&b, "%5d  %s\n", i+1, line)
	}
	return b.String()
}

// withoutStamps returns the files that are not rendered from a stamp row.
func withoutStamps(files []config.File) []config.File {
	var out []config.File
	for _, f := range files {
		if !IsStamp(f.Path) {
			out = append(out, f)
		}
	}
	return out
}

package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
	"github.com/direktiv-fn/direktiv-fn/generator/gocheck"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
	"github.com/direktiv-fn/direktiv-fn/generator/plan"
	"github.com/direktiv-fn/direktiv-fn/generator/write"
	"github.com/direktiv-fn/direktiv-fn/schema"
	"github.com/direktiv-fn/direktiv-fn/templates"
)

// The flags of "new" and the environment variables that stand in for them.
const (
	flagMode    = "mode"
	flagSchema  = "schema"
	flagImage   = "image"
	flagModule  = "module"
	flagDir     = "dir"
	flagForce   = "force"
	flagNoInput = "no-input"
	// flagDirektiv names the target Direktiv release (new and lint).
	flagDirektiv = "direktiv"
	flagScope    = "scope"

	envMode     = "DIREKTIV_FN_MODE"
	envSchema   = "DIREKTIV_FN_SCHEMA"
	envImage    = "DIREKTIV_FN_IMAGE"
	envModule   = "DIREKTIV_FN_MODULE"
	envDir      = "DIREKTIV_FN_DIR"
	envForce    = "DIREKTIV_FN_FORCE"
	envNoInput  = "DIREKTIV_FN_NO_INPUT"
	envDirektiv = "DIREKTIV_FN_DIREKTIV"
	envScope    = "DIREKTIV_FN_SCOPE"
)

// schemaFile is the input schema's path in a generated repository.
const schemaFile = "input.schema.json"

// schemaFileFor names the schema's copy in the repository: input.schema.json,
// or input.schema.yaml for a schema written in YAML, so that the file's
// extension tells editors and direktiv-fn how to read it.
func schemaFileFor(data []byte) string {
	if json.Valid(data) {
		return schemaFile
	}
	return strings.TrimSuffix(schemaFile, ".json") + ".yaml"
}

// starterSchemaName names the built-in starter schema in diagnostics.
const starterSchemaName = "starter.schema.json (built-in)"

// defaultImage returns the image used when none is given.
func defaultImage(id string) string { return "localhost:5000/" + id + ":v1" }

// defaultDir returns the target folder used when none is given.
func defaultDir(id string) string { return "./" + id }

// newFlags holds the flag values of one "new" run.
type newFlags struct {
	mode, schema, image, module, dir string
	release, scope                   string
	outputSchema                     string
	force, noInput                   bool
}

// newSettings is everything "new" needs, resolved from the argument, flags,
// environment, prompts and defaults.
type newSettings struct {
	id         string
	mode       config.Mode
	direktiv   string // the target release, "" for the latest of the mode
	scope      string // "workflow" or "namespace"
	schemaPath string // "" for the built-in starter schema, "-" for stdin
	// outputSchemaPath names the output schema file; "" for none.
	outputSchemaPath string
	image            string
	module           string
	dir              string
	force            bool
	// interactive is set when the user could be (and maybe was) asked.
	interactive bool
	// given records which values a flag, a variable or an answer set, as
	// opposed to a default: over an existing function, "new --force" keeps
	// what its manifest records for the others.
	given struct{ mode, schema, image, module bool }
}

func (a *app) newCmd() *cobra.Command {
	f := &newFlags{}
	c := &cobra.Command{
		Use:   "new [id]",
		Short: "Create a Direktiv function repository",
		Long: `Create a Go repository for the Direktiv function <id>: input types and
validation generated from a JSON Schema, the runtime glue for the mode, a
handler to fill in, tests, a Dockerfile, a README and a sample workflow.

Every value has a flag, and each flag an environment variable; a flag beats
its variable. On a terminal, direktiv-fn asks for whatever neither gave
(unless --no-input is set); otherwise the defaults apply and the id is
required.

  flag         environment variable   default
  [id]         -                      (asked, or required)
  --mode       DIREKTIV_FN_MODE       knative-workflow
  --direktiv   DIREKTIV_FN_DIREKTIV   the latest release of the mode
  --scope      DIREKTIV_FN_SCOPE      workflow
  --schema     DIREKTIV_FN_SCHEMA     the built-in starter schema
  --output-schema DIREKTIV_FN_OUTPUT_SCHEMA  none: the handler declares Output
  --image      DIREKTIV_FN_IMAGE      localhost:5000/<id>:v1
  --module     DIREKTIV_FN_MODULE     from the image, else <id>
  --dir        DIREKTIV_FN_DIR        ./<id>
  --force      DIREKTIV_FN_FORCE      false
  --no-input   DIREKTIV_FN_NO_INPUT   false

The id uses lower-case letters, digits, '-' and '_', starts with a letter and
ends with a letter or digit. The module path defaults to the image's path
when its registry has a domain name (ghcr.io/acme/fn gives github.com/acme/fn,
registry.example.com/team/fn gives itself), else to the id, or to
example.com/<id> when the id is a standard library name such as "time". The
schema is copied into the repository as input.schema.json (input.schema.yaml
for a YAML schema). The default image is a local registry, as in Direktiv's
development setup: set --image to the registry your cluster pulls from.

Nothing is written when anything is wrong. The target folder must be missing
or empty unless --force is given; with --force, generated and scaffold-once
files are overwritten and other files are left alone. Over an existing
function, --force also deletes the generated files of its last generation that
are no longer generated (after a change of mode), unless edited by hand since.

` + exitCodesHelp,
		Example: `  # Ask for everything not given (on a terminal):
  direktiv-fn new myfunc

  # The starter schema and every default, no questions:
  direktiv-fn new hello --no-input

  # Everything explicit:
  direktiv-fn new myfunc --mode isolated --schema input.schema.json \
    --image registry.example.com/myfunc --module example.com/myfunc \
    --dir ./myfunc --no-input

  # The schema from stdin, the settings from the environment:
  DIREKTIV_FN_MODE=isolated direktiv-fn new myfunc --schema - < input.schema.json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("too many arguments %q: new takes one function id", args)
			}
			return nil
		},
		RunE: a.runE(func(c *cobra.Command, args []string) error {
			return a.runNew(c, f, args)
		}),
	}
	fl := c.Flags()
	fl.StringVar(&f.mode, flagMode, string(config.ModeKnative), "runtime `mode`: knative-workflow ("+direktiv.ModeVersions(direktiv.Knative)+") or isolated ("+direktiv.ModeVersions(direktiv.Isolated)+") [$"+envMode+"]")
	fl.StringVar(&f.release, flagDirektiv, "", "the Direktiv `release` to write the sample workflow for: one of "+direktiv.Releases()+"; it selects the mode when only one runs there (default: the latest that runs the mode) [$"+envDirektiv+"]")
	fl.StringVar(&f.scope, flagScope, direktiv.ScopeWorkflow, "`scope` of a knative-workflow function on Direktiv "+direktiv.ServicesSince+" and later: workflow (each workflow declares it) or namespace (a service.yaml every workflow of the namespace references) [$"+envScope+"]")
	fl.StringVar(&f.schema, flagSchema, "", "input JSON Schema `file`, or - for stdin (default: the built-in starter schema) [$"+envSchema+"]")
	fl.StringVar(&f.outputSchema, flagOutputSchema, "", "output JSON Schema `file`: Output is generated from it and every output checked against it (default: none, the handler declares Output) [$"+envOutputSchema+"]")
	fl.StringVar(&f.image, flagImage, "", "container `image` used in the sample workflow (default localhost:5000/<id>:v1) [$"+envImage+"]")
	fl.StringVar(&f.module, flagModule, "", "Go `module` path of the repository (default: from the image, else <id>) [$"+envModule+"]")
	fl.StringVar(&f.dir, flagDir, "", "target `folder` (default ./<id>) [$"+envDir+"]")
	fl.BoolVar(&f.force, flagForce, false, "write into a folder that is not empty: generated files are written over, files of yours are kept [$"+envForce+"]")
	fl.BoolVar(&f.noInput, flagNoInput, false, "never prompt; fail if the id is missing [$"+envNoInput+"]")

	c.RegisterFlagCompletionFunc(flagMode, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, m := range config.Modes {
			out = append(out, cobra.CompletionWithDesc(string(m), modeDescription(string(m))))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
	for _, name := range []string{flagSchema, flagOutputSchema} {
		c.RegisterFlagCompletionFunc(name, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return []cobra.Completion{"json", "yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		})
	}
	c.RegisterFlagCompletionFunc(flagDir, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	c.RegisterFlagCompletionFunc(flagDirektiv, completeReleases)
	c.RegisterFlagCompletionFunc(flagScope, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return []cobra.Completion{
			cobra.CompletionWithDesc(direktiv.ScopeWorkflow, "each workflow declares the function"),
			cobra.CompletionWithDesc(direktiv.ScopeNamespace, "a namespace service (service.yaml), Direktiv "+direktiv.ServicesSince+" and later"),
		}, cobra.ShellCompDirectiveNoFileComp
	})
	for _, name := range []string{flagImage, flagModule} {
		c.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	c.ValidArgsFunction = cobra.NoFileCompletions
	return c
}

// completeReleases completes --direktiv with the table's releases, each
// with the eras it selects.
func completeReleases(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	seen := map[string]bool{}
	for _, e := range direktiv.Eras {
		for _, r := range e.Releases {
			if seen[r] {
				continue
			}
			seen[r] = true
			var desc []string
			for _, o := range direktiv.Eras {
				if slices.Contains(o.Releases, r) {
					desc = append(desc, o.Mode+", "+o.Versions())
				}
			}
			out = append(out, cobra.CompletionWithDesc(r, strings.Join(desc, "; ")))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// existingManifest returns the manifest of a function that already lives in
// dir, so that "new --force" over it keeps its error codes and deletes the
// generated files of its last generation that are no longer generated; nil
// when dir holds no manifest. A manifest that cannot be read stops the
// command: it may come from a newer direktiv-fn, and replacing it would lose
// what it records.
func existingManifest(dir string) (*manifest.Manifest, error) {
	name := filepath.Join(dir, config.ManifestFile)
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		// No function there; a file in the way is the writer's to report.
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m, err := generator.LoadManifest(name, data)
	if err != nil {
		return nil, fmt.Errorf("%s already holds a function whose manifest cannot be read, so it is left alone:\n%w", dir, err)
	}
	return m, nil
}

// modeDescription describes a mode in prompts and completions.
func modeDescription(m string) string {
	switch config.Mode(m) {
	case config.ModeKnative:
		return "HTTP server, " + direktiv.ModeVersions(m)
	case config.ModeIsolated:
		return "one process per call, " + direktiv.ModeVersions(m)
	}
	return ""
}

// runNew is "direktiv-fn new": resolve the settings, read and parse the
// schema, generate, plan, write, report.
func (a *app) runNew(c *cobra.Command, f *newFlags, args []string) error {
	s, err := a.resolveNew(c, f, args)
	if err != nil {
		return err
	}
	prev, err := existingManifest(s.dir)
	if err != nil {
		return err
	}
	if prev != nil && s.force {
		// Over a function, as generate does: one command at a time, and
		// the manifest read again under the lock.
		unlock, err := write.Lock(c.Context(), s.dir, lockWait)
		if err != nil {
			return err
		}
		defer unlock()
		if prev, err = existingManifest(s.dir); err != nil {
			return err
		}
	}
	cfg, doc, err := a.newConfig(c.Context(), s, prev)
	if err != nil {
		return err
	}
	files, deletes, kept, err := planNew(c.Context(), s, prev, cfg)
	if err != nil {
		return err
	}
	printFormatWarnings(a.stderr, cfg.Schema, cfg.AnnotateFormats)
	if err := c.Context().Err(); err != nil {
		return err
	}
	// --force writes into a folder that is not empty; it never replaces a
	// file that is yours (the handler, README, Dockerfile...): those that
	// exist are kept, and reported so.
	report, err := write.Write(s.dir, writeFiles(files), write.Options{EmptyOnly: !s.force, Delete: deletes, Last: config.ManifestFile})
	var notEmpty *write.NotEmptyError
	if errors.As(err, &notEmpty) {
		return fmt.Errorf("%w%s: use --force to write into it (generated files are then written over, files of yours that exist are kept, other files left alone)", err, inTheWay(s.dir, files))
	}
	if err != nil {
		return err
	}
	out := c.OutOrStdout()
	if s.interactive {
		fmt.Fprintln(out)
	}
	printReport(out, s, report, kept)
	if s.interactive {
		fmt.Fprintf(out, "\nThe same without questions:\n%s\n", equivalentCommand(a.self, s))
	}
	printNextSteps(out, a.self, s, doc)
	return nil
}

// keepFromManifest keeps, when "new --force" scaffolds over the function
// whose manifest is prev, what no flag, variable or answer changed as prev
// records it, and returns the schema's path in the repository when that is
// kept too ("" otherwise).
func keepFromManifest(s *newSettings, prev *manifest.Manifest) (keptSchema string) {
	if !s.given.mode {
		s.mode = prev.Mode
	}
	if !s.given.image {
		s.image = prev.Image
	}
	// The target release and the scope belong to the mode: kept with it.
	if s.mode == prev.Mode && s.direktiv == "" {
		s.direktiv = prev.Direktiv
	}
	if s.mode == prev.Mode && s.scope == "" {
		s.scope = prev.Scope
	}
	if !s.given.module {
		s.module = prev.Module
	}
	if !s.given.schema {
		keptSchema = prev.Schema
		s.schemaPath = filepath.Join(s.dir, filepath.FromSlash(prev.Schema))
	}
	return keptSchema
}

// newConfig reads and parses the schema of "new" and returns the
// generation's configuration; over a function (--force, prev not nil) it
// keeps what keepFromManifest keeps, and the error codes and the input's
// depth limit.
func (a *app) newConfig(ctx context.Context, s *newSettings, prev *manifest.Manifest) (config.Config, *schema.Document, error) {
	keptSchema := ""
	if prev != nil && s.force {
		keptSchema = keepFromManifest(s, prev)
	}
	name, data, err := a.readSchema(s.schemaPath)
	if err != nil {
		return config.Config{}, nil, err
	}
	doc, err := interruptible(ctx, func(ctx context.Context) (*schema.Document, error) { return schema.ParseContext(ctx, name, data) })
	if ctx.Err() != nil {
		return config.Config{}, nil, ctx.Err()
	}
	if err != nil {
		return config.Config{}, nil, schemaError(name, err)
	}
	cfg := config.Config{
		ID:         s.id,
		Mode:       s.mode,
		Direktiv:   s.direktiv,
		Scope:      s.scope,
		Image:      s.image,
		Module:     s.module,
		SchemaFile: schemaFileFor(data),
		SchemaData: data,
		Schema:     doc,
		Version:    a.version,
	}
	if keptSchema != "" {
		cfg.SchemaFile = keptSchema
	}
	if prev != nil {
		cfg.Errors, cfg.MaxDepth, cfg.AnnotateFormats = prev.Errors, prev.MaxDepth, prev.AnnotateFormats
	}
	if err := newOutputSchema(ctx, &cfg, s, prev); err != nil {
		return config.Config{}, nil, err
	}
	return cfg, doc, nil
}

// planNew renders cfg and plans "new" from one read of the target folder:
// the files to write, the paths to delete, and the stale files kept. Over a
// function (--force), the generated files of its last generation that this
// one does not produce (the old mode's glue) must go, or the project no
// longer builds; the README's generated sections follow the new
// generation; and the user's Go files must still compile.
func planNew(ctx context.Context, s *newSettings, prev *manifest.Manifest, cfg config.Config) (files []config.File, deletes, kept []string, err error) {
	r, err := interruptible(ctx, func(ctx context.Context) (*generator.Rendering, error) { return generator.RenderContext(ctx, cfg, nil) })
	if ctx.Err() != nil {
		return nil, nil, nil, ctx.Err()
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("cannot generate the function: %w", err)
	}
	over := prev
	if !s.force {
		over = nil // the writer refuses a folder that is not empty
	}
	snap, err := readSnapshot(s.dir, plan.Paths(over, r.Files))
	if err != nil {
		return nil, nil, nil, err
	}
	u, err := plan.Make(over, r, snap.files, plan.Options{Replace: s.force})
	if err != nil {
		return nil, nil, nil, err
	}
	files, deletes, kept = u.Files, u.Delete, u.Stale
	if prev != nil && s.force && s.given.schema {
		// The schema given replaces the repository's copy: the code is
		// generated from it, so the copy must say the same.
		for i := range files {
			if files[i].Path == cfg.SchemaFile {
				files[i].Policy = config.Generated
			}
		}
	}
	if prev != nil && s.force && s.outputSchemaPath != "" {
		// So does the output schema given.
		for i := range files {
			if files[i].Path == cfg.OutputSchemaFile {
				files[i].Policy = config.Generated
			}
		}
	}
	if s.force {
		// Go files of the user's that the folder keeps must still compile
		// with the generated files.
		checked, err := goBreaks(ctx, snap, gocheck.Change{Dir: s.dir, Module: s.module}, files, deletes)
		if err != nil {
			return nil, nil, nil, err
		}
		if len(checked.Breaks) > 0 {
			return nil, nil, nil, goBreakError(checked, false)
		}
	}
	return files, deletes, kept, nil
}

// inTheWay names, in parentheses, the files of a new project that already
// exist in dir, or says that none does.
func inTheWay(dir string, files []config.File) string {
	var there []string
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f.Path))); err == nil {
			there = append(there, f.Path)
		}
	}
	if len(there) == 0 {
		return " (no file of the new project is there yet)"
	}
	return " (it already holds " + strings.Join(there, ", ") + ")"
}

// readSchema returns the schema's name for diagnostics and its content.
func (a *app) readSchema(p string) (string, []byte, error) {
	switch p {
	case "":
		return starterSchemaName, templates.StarterSchema, nil
	case "-":
		data, err := io.ReadAll(a.stdin)
		if err != nil {
			return "", nil, fmt.Errorf("cannot read the schema from stdin: %w", err)
		}
		return "<stdin>", data, nil
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return "", nil, fmt.Errorf("cannot read the schema: %w (--%s or %s names a JSON Schema file; leave both out for the built-in starter schema)", err, flagSchema, envSchema)
	}
	return p, data, nil
}

// schemaError explains why a schema cannot be used. Diagnostics already
// carry the file name and position; any other error gets the file name.
func schemaError(name string, err error) error {
	var ds schema.Diagnostics
	if errors.As(err, &ds) {
		noun := "problem"
		if len(ds) != 1 {
			noun = "problems"
		}
		return fmt.Errorf("the schema %s cannot be used (%d %s):\n%s", name, len(ds), noun, ds.Error())
	}
	return fmt.Errorf("the schema %s cannot be used: %s: %w", name, name, err)
}

// checkSchema reads and parses a schema, with the errors runNew would give.
func (a *app) checkSchema(p string) error {
	name, data, err := a.readSchema(p)
	if err != nil {
		return err
	}
	if _, err := schema.Parse(name, data); err != nil {
		return schemaError(name, err)
	}
	return nil
}

// checkSchemaFile reads and parses a schema file for the prompt's validation.
func checkSchemaFile(p string) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", p, errors.Unwrap(err))
	}
	if _, err := schema.Parse(p, data); err != nil {
		var ds schema.Diagnostics
		if errors.As(err, &ds) && len(ds) > 3 {
			return fmt.Errorf("%s\n(and %d more problems)", ds[:3].Error(), len(ds)-3)
		}
		return err
	}
	return nil
}

// checkDir refuses a target folder path that names a file.
func checkDir(dir string) error {
	if strings.TrimSpace(dir) == "" {
		return errors.New("give a folder")
	}
	_, err := write.Occupied(dir)
	return err
}

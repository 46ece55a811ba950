package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/workflow"
	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
)

// workflowFile is the sample workflow's path in a generated repository.
const workflowFile = "workflow.yaml"

// serviceFile is the service file's path in a repository of a namespace
// service.
const serviceFile = "service.yaml"

// lintFlags holds the flag values of one lint run.
type lintFlags struct {
	dir, mode, release string
}

func (a *app) lintCmd() *cobra.Command {
	f := &lintFlags{}
	c := &cobra.Command{
		Use:   "lint [FILE...]",
		Short: "Check a workflow file against Direktiv's rules for its era",
		Long: `Check workflow files the way the Direktiv releases of their era parse them.
The eras:
` + eraTable() + `
Every object is strict (an unknown key is an error, with the nearest known key
when there is one); function and state ids, function types, the top-level id
(isolated: required, lowercase) and direktiv_api of the era, the functions the
actions call, the transitions, the retry policies (max_attempts above 0, at
least one code) and ISO-8601 durations are checked. Warnings: a state no
transition reaches, a catch that an earlier catch shadows, a file name that
cannot be part of a Direktiv path, state types the checker does not model
precisely, and, when the workflow calls the repository's function (the same
function id, an image of the same repository, or its service file's path), a
catch or retries pattern that matches none of the function's error codes.

A file whose direktiv_api is service/v1 is a service file (a namespace
service, Direktiv v0.8.1 and later): its image, size (small, medium, large),
scale (0 or more), envs and patches are checked, and keys Direktiv ignores are
warnings.

Without FILE it checks the repository's ` + workflowFile + ` (and ` + serviceFile + ` for a
namespace service). The era of each file is, first found: --mode and
--direktiv; the ` + config.ManifestFile + ` in the file's folder or the nearest parent;
what the file itself tells (direktiv_api: v0.8.0 and later; a top-level id:
isolated; function type isolated or knative-workflow); the repository's
manifest. A file that fits several eras is checked for each:
when the verdict differs, lint asks for --mode or --direktiv. Each file's line
of verdict says which era was used and why.

Problems are printed as file:line:col: message.

Exit codes:
  0    no errors (warnings may have been printed)
  1    the workflow has errors, or a file cannot be read
  2    usage error: unknown flag, invalid mode or release, a file whose era
       is unclear`,
		Example: `  direktiv-fn lint
  direktiv-fn lint flows/*.yaml
  direktiv-fn lint --direktiv v0.7 flows/old.yaml`,
		RunE: a.runE(func(c *cobra.Command, args []string) error {
			return a.lint(c, f, args)
		}),
	}
	fl := c.Flags()
	addDirFlag(fl, &f.dir)
	fl.StringVar(&f.mode, flagMode, "", "the `mode` whose Direktiv era to check for: "+strings.Join(direktiv.Modes, " or ")+" (default: the manifest's, else what the file tells)")
	fl.StringVar(&f.release, flagDirektiv, "", "the Direktiv `release` to check for: one of "+direktiv.Releases()+" (default: the manifest's, else what the file tells)")
	c.RegisterFlagCompletionFunc(flagDirektiv, completeReleases)
	c.RegisterFlagCompletionFunc(flagMode, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return direktiv.Modes, cobra.ShellCompDirectiveNoFileComp
	})
	return c
}

// eraTable lists the eras for help texts, one per line.
func eraTable() string {
	var b strings.Builder
	for _, e := range direktiv.Eras {
		note := ""
		switch {
		case e.DirektivAPI:
			note = "direktiv_api: workflow/v1"
		case e.WorkflowID:
			note = "a top-level id"
		default:
			note = "no direktiv_api, no top-level id"
		}
		fmt.Fprintf(&b, "  %-17s %-26s --direktiv %s (%s)\n", e.Mode, e.Versions(), strings.Join(e.Releases, ", "), note)
	}
	return b.String()
}

// lintEra is the era a file is checked for, and why.
type lintEra struct {
	era direktiv.Era
	why string
	// fn is the repository's function, when a manifest tells it.
	fn *workflow.Function
}

// lint is the body of the lint command.
func (a *app) lint(c *cobra.Command, f *lintFlags, files []string) error {
	var forced *lintEra
	if f.mode != "" || f.release != "" {
		e, err := direktiv.Lookup(f.mode, f.release)
		if err != nil {
			return usagef("--%s/--%s: %v", flagMode, flagDirektiv, err)
		}
		forced = &lintEra{era: e, why: "from the command line"}
	}
	// The repository's manifest: the file list's default, and the era of
	// last resort.
	var repo *lintEra
	p, perr := loadProject(f.dir)
	if perr == nil {
		repo, perr = manifestEra(p.manifest)
		if len(files) == 0 {
			files = []string{filepath.Join(p.dir, workflowFile)}
			if p.manifest.Scope == direktiv.ScopeNamespace {
				files = append(files, filepath.Join(p.dir, serviceFile))
			}
		}
	}
	if len(files) == 0 {
		return perr
	}
	out := c.OutOrStdout()
	var failed []string
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("cannot read the workflow: %w", err)
		}
		if workflow.IsService(data) {
			ds := workflow.CheckService(name, data)
			for _, d := range ds {
				fmt.Fprintln(out, d.String())
			}
			if errs := ds.Errors(); len(errs) > 0 {
				failed = append(failed, fmt.Sprintf("%s: %d error(s) for %s", name, len(errs), workflow.ServiceEra()))
				fmt.Fprintf(out, "%s: not valid for %s (a service file: its direktiv_api)\n", name, workflow.ServiceEra())
			} else {
				fmt.Fprintf(out, "%s: ok for %s (a service file: its direktiv_api)\n", name, workflow.ServiceEra())
			}
			continue
		}
		le := forced
		if le == nil {
			if le, err = besideEra(name); err != nil {
				return err
			}
		}
		if forced != nil && repo != nil {
			le = &lintEra{era: forced.era, why: forced.why, fn: repo.fn}
		}
		if le == nil {
			if le, err = fileEra(name, data, repo); err != nil {
				return err
			}
		}
		ds := workflow.Check(name, data, workflow.Options{Era: le.era, Function: le.fn})
		for _, d := range ds {
			fmt.Fprintln(out, d.String())
		}
		if errs := ds.Errors(); len(errs) > 0 {
			failed = append(failed, fmt.Sprintf("%s: %d error(s) for %s", name, len(errs), le.era))
			fmt.Fprintf(out, "%s: not valid for %s (%s)\n", name, le.era, le.why)
		} else {
			fmt.Fprintf(out, "%s: ok for %s (%s)\n", name, le.era, le.why)
		}
	}
	if len(failed) > 0 {
		return errors.New("the workflow is not valid: " + strings.Join(failed, ", "))
	}
	return nil
}

// manifestEra returns the era and function a manifest records.
func manifestEra(m *manifest.Manifest) (*lintEra, error) {
	e, err := m.Config().Era()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.Position("direktiv"), err)
	}
	fn := &workflow.Function{ID: m.ID, Image: m.Image}
	if m.Scope == direktiv.ScopeNamespace {
		fn.Service = generator.ServicePath(m.ID)
	}
	for _, b := range m.BuiltinErrors() {
		fn.Codes = append(fn.Codes, m.ID+"."+b.Name)
	}
	for _, u := range m.Errors {
		fn.Codes = append(fn.Codes, m.ID+"."+u.Name)
	}
	return &lintEra{era: e, why: "from " + m.File, fn: fn}, nil
}

// besideEra returns the era of the manifest in the file's folder or its
// nearest parent; nil when there is none.
func besideEra(file string) (*lintEra, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	// Each step goes one folder up: the walk ends at the root.
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		name := filepath.Join(d, config.ManifestFile)
		data, err := os.ReadFile(name)
		switch {
		case err == nil:
			if rel, rerr := filepath.Rel(mustGetwd(), name); rerr == nil {
				name = rel
			}
			m, err := generator.LoadManifest(name, data)
			if err != nil {
				return nil, fmt.Errorf("the manifest beside %s cannot be used:\n%w", file, err)
			}
			return manifestEra(m)
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("cannot read the manifest beside %s: %w", file, err)
		}
		if filepath.Dir(d) == d {
			return nil, nil
		}
	}
}

// mustGetwd returns the working folder, or "" when it is gone.
func mustGetwd() string {
	wd, _ := os.Getwd()
	return wd
}

// fileEra returns the era the file tells. When it fits several eras, it is
// checked for each: the same verdict everywhere uses the repository's era
// if it is one of them, else the latest; different verdicts are a usage
// error unless the repository's era settles it.
func fileEra(name string, data []byte, repo *lintEra) (*lintEra, error) {
	inf := workflow.Infer(data)
	var fn *workflow.Function
	if repo != nil {
		fn = repo.fn
	}
	if len(inf.Eras) == 1 {
		return &lintEra{era: inf.Eras[0], why: "the era the file tells: " + strings.Join(inf.Signs, " and "), fn: fn}, nil
	}
	for _, e := range inf.Eras {
		if repo != nil && e.Key == repo.era.Key {
			return repo, nil
		}
	}
	var ok, bad []string
	for _, e := range inf.Eras {
		if workflow.Check(name, data, workflow.Options{Era: e}).Err() == nil {
			ok = append(ok, e.String())
		} else {
			bad = append(bad, e.String())
		}
	}
	if len(ok) > 0 && len(bad) > 0 {
		return nil, usagef("%s fits several eras (%s) and the verdict differs: valid for %s, not for %s; give --%s or --%s (%s), or put it beside its %s",
			name, inf, strings.Join(ok, ", "), strings.Join(bad, ", "), flagMode, flagDirektiv, direktiv.Releases(), config.ManifestFile)
	}
	latest := inf.Eras[len(inf.Eras)-1]
	return &lintEra{era: latest, why: fmt.Sprintf("the file fits %s with the same verdict", inf), fn: fn}, nil
}

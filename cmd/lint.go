package cmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/workflow"
	"github.com/direktiv-fn/direktiv-fn/generator"
)

// workflowFile is the sample workflow's path in a generated repository.
const workflowFile = "workflow.yaml"

// lintFlags holds the flag values of one lint run.
type lintFlags struct {
	dir, mode string
}

func (a *app) lintCmd() *cobra.Command {
	f := &lintFlags{}
	c := &cobra.Command{
		Use:   "lint [FILE...]",
		Short: "Check a workflow file against Direktiv's rules for the function's era",
		Long: `Check workflow files the way Direktiv parses them, for the Direktiv versions of
the function's mode: knative-workflow is checked against Direktiv v0.8.0 to
v0.10.0, isolated against v0.4.0 to v0.6.0. Every object is strict (an unknown
key is an error); function and state ids, function types, the top-level id
(isolated: required, lowercase) and direktiv_api of the era, the functions the
actions call, the transitions, the retry policies (max_attempts above 0, at
least one code) and ISO-8601 durations are checked. For knative-workflow, a
file name that cannot be part of a Direktiv path is a warning. State types the
checker does not model precisely are reported as warnings, never accepted
silently.

Without FILE it checks the repository's ` + workflowFile + `. The era is --mode, else the
mode recorded in the repository's ` + generator.ManifestFile + `.

Problems are printed as file:line:col: message.

Exit codes:
  0    no errors (warnings may have been printed)
  1    the workflow has errors, or a file cannot be read
  2    usage error: unknown flag, invalid mode, no mode to check for`,
		Example: `  direktiv-fn lint
  direktiv-fn lint --mode isolated flows/*.yaml`,
		RunE: a.runE(func(c *cobra.Command, args []string) error {
			return a.lint(c, f, args)
		}),
	}
	fl := c.Flags()
	addDirFlag(fl, &f.dir)
	fl.StringVar(&f.mode, flagMode, "", "the `mode` whose Direktiv era to check for: knative-workflow or isolated (default: the repository's)")
	return c
}

// lint is the body of the lint command.
func (a *app) lint(c *cobra.Command, f *lintFlags, files []string) error {
	mode := workflow.Mode(f.mode)
	switch mode {
	case "", workflow.Knative, workflow.Isolated:
	default:
		return usagef("--%s %q: the mode is %s or %s", flagMode, f.mode, workflow.Knative, workflow.Isolated)
	}
	if len(files) == 0 || mode == "" {
		p, err := loadProject(f.dir)
		switch {
		case err == nil:
			if mode == "" {
				mode = workflow.Mode(p.manifest.Mode)
			}
			if len(files) == 0 {
				files = []string{filepath.Join(p.dir, workflowFile)}
			}
		case len(files) == 0:
			return err
		default:
			return usagef("no %s here to tell the era: give --%s %s or --%s %s", generator.ManifestFile, flagMode, workflow.Knative, flagMode, workflow.Isolated)
		}
	}
	out := c.OutOrStdout()
	var failed []string
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("cannot read the workflow: %w", err)
		}
		ds := workflow.Check(name, data, mode)
		for _, d := range ds {
			fmt.Fprintln(out, d.String())
		}
		if errs := ds.Errors(); len(errs) > 0 {
			failed = append(failed, fmt.Sprintf("%s: %d error(s)", name, len(errs)))
		} else if len(ds) == 0 {
			fmt.Fprintf(out, "%s: ok for %s\n", name, workflow.Era(mode))
		}
	}
	if len(failed) > 0 {
		return errors.New("the workflow is not valid for " + workflow.Era(mode) + ": " + strings.Join(failed, ", "))
	}
	return nil
}

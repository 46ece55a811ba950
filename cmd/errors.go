package cmd

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
)

func (a *app) addErrorCmd() *cobra.Command {
	f := &regenFlags{edits: true}
	var description string
	c := &cobra.Command{
		Use:   "add-error CODE",
		Short: "Add an error code to the function and regenerate",
		Long: `Add the error code CODE to the function: it is recorded in ` + config.ManifestFile + `, and
the generated files are regenerated: the constant Err<Code> in errors.gen.go,
a catch in workflow.yaml and a row of the README's error table.

CODE is the name without the function id: Direktiv sees "<id>.CODE". It uses
letters, digits, '.', '-' and '_' and starts with a letter, so that it matches
itself as a Direktiv catch pattern. The built-in codes invalidInput, failed and
panic cannot be added again.

Like generate, add-error refuses to overwrite a generated file edited by hand
(unless --force) and writes nothing when anything is wrong.

` + exitCodesHelp,
		Example: `  direktiv-fn add-error badInput --description "The archive cannot be built from the input."
  # in the handler:
  #   return Output{}, NewError(ErrBadInput, "cannot read %s: %w", name, err)`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("add-error takes one error code, e.g. \"direktiv-fn add-error badInput\"")
			}
			if err := config.ValidateErrorName(args[0]); err != nil {
				return usageError{err}
			}
			return nil
		},
		RunE: a.runE(func(c *cobra.Command, args []string) error {
			return a.regenerate(c, f, func(p *project) error {
				if rest, ok := strings.CutPrefix(args[0], p.manifest.ID+"."); ok {
					return usagef("error code %q starts with the function id: the code Direktiv sees is always prefixed with it, so give the name alone: direktiv-fn add-error %s", args[0], rest)
				}
				if err := p.manifest.AddError(args[0], description); err != nil {
					return fmt.Errorf("%w; nothing was written", err)
				}
				return nil
			})
		}),
	}
	c.Flags().StringVar(&description, flagDescription, "", "when the handler returns the code (shown in errors.gen.go and the README)")
	addRegenFlags(c, f)
	c.ValidArgsFunction = cobra.NoFileCompletions
	return c
}

func (a *app) removeErrorCmd() *cobra.Command {
	f := &regenFlags{edits: true}
	c := &cobra.Command{
		Use:   "remove-error CODE",
		Short: "Remove an error code from the function and regenerate",
		Long: `Remove the error code CODE from ` + config.ManifestFile + ` and regenerate: its constant,
its catch in workflow.yaml and its row of the README's error table go. A code that
your own Go files still use is refused (each use is named) unless --force is
given. The built-in codes cannot be removed.

` + exitCodesHelp,
		Example: `  direktiv-fn remove-error badInput`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("remove-error takes one error code, e.g. \"direktiv-fn remove-error badInput\"")
			}
			return nil
		},
		RunE: a.runE(func(c *cobra.Command, args []string) error {
			return a.regenerate(c, f, func(p *project) error {
				// The full code Direktiv sees names the same code.
				name := args[0]
				if rest, ok := strings.CutPrefix(name, p.manifest.ID+"."); ok && !hasError(p.manifest, name) {
					name = rest
				}
				// The uses of its constant in the user's code are refused
				// by regenerate, as for every identifier no longer generated.
				if err := p.manifest.RemoveError(name); err != nil {
					return fmt.Errorf("%w; nothing was written", err)
				}
				return nil
			})
		}),
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			dir, _ := c.Flags().GetString(flagDir)
			p, err := loadProject(dir)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []cobra.Completion
			for _, e := range p.manifest.Errors {
				out = append(out, cobra.CompletionWithDesc(e.Name, e.Description))
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
	}
	addRegenFlags(c, f)
	return c
}

func (a *app) errorsCmd() *cobra.Command {
	var dir string
	var asJSON bool
	c := &cobra.Command{
		Use:   "errors",
		Short: "List the function's error codes",
		Long: `List the function's error codes: the built-in ones, then those added with
"direktiv-fn add-error", each with the code Direktiv sees, its Go constant and
when it is returned. With --json, one JSON array of objects with the keys
code, name, constant, description and builtIn.`,
		Args: noArgs,
		RunE: a.runE(func(c *cobra.Command, _ []string) error {
			p, err := loadProject(dir)
			if err != nil {
				return err
			}
			list := errorList(p.manifest)
			if asJSON {
				enc := json.NewEncoder(c.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(list)
			}
			tw := tabwriter.NewWriter(c.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE\tCONSTANT\tWHEN")
			for _, e := range list {
				desc := strings.Join(strings.Fields(e.Description), " ")
				if e.BuiltIn {
					desc = "(built in) " + desc
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Code, e.Constant, desc)
			}
			return tw.Flush()
		}),
	}
	addDirFlag(c.Flags(), &dir)
	c.Flags().BoolVar(&asJSON, flagJSON, false, "print the codes as one JSON array")
	c.ValidArgsFunction = cobra.NoFileCompletions
	return c
}

// listedError is one row of "direktiv-fn errors", and one object of its
// --json output.
type listedError struct {
	// Code is the code Direktiv sees and workflows catch: "<id>.<name>".
	Code string `json:"code"`
	// Name is the code's short name, as in the manifest.
	Name string `json:"name"`
	// Constant is the Go constant of the code in errors.gen.go.
	Constant string `json:"constant"`
	// Description says when the code is returned.
	Description string `json:"description"`
	// BuiltIn is true for the codes every function has.
	BuiltIn bool `json:"builtIn"`
}

// errorList lists the built-in codes, then the manifest's, in its order.
func errorList(m *manifest.Manifest) []listedError {
	var out []listedError
	add := func(e config.ErrorCode, builtIn bool) {
		out = append(out, listedError{
			Code:        m.ID + "." + e.Name,
			Name:        e.Name,
			Constant:    "Err" + config.GoName(e.Name),
			Description: e.Description,
			BuiltIn:     builtIn,
		})
	}
	for _, e := range m.BuiltinErrors() {
		add(e, true)
	}
	for _, e := range m.Errors {
		add(e, false)
	}
	return out
}

// hasError reports whether the manifest lists the error code name.
func hasError(m *manifest.Manifest, name string) bool {
	for _, e := range m.Errors {
		if e.Name == name {
			return true
		}
	}
	return false
}

package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
	"github.com/direktiv-fn/direktiv-fn/generator/write"
)

// given is a value taken from a flag or an environment variable.
type given struct {
	value string
	// from names where the value came from, e.g. "--mode" or "DIREKTIV_FN_MODE".
	from string
	ok   bool
}

// stringSetting returns a flag's value if the flag was set, else its
// environment variable's if that is set and not empty.
func (a *app) stringSetting(c *cobra.Command, flag, env, value string) given {
	if c.Flags().Changed(flag) {
		return given{value: value, from: "--" + flag, ok: true}
	}
	if v, ok := a.lookupEnv(env); ok && v != "" {
		return given{value: v, from: env, ok: true}
	}
	return given{}
}

// boolSetting returns a boolean flag's value if the flag was set, else its
// environment variable's, else false.
func (a *app) boolSetting(c *cobra.Command, flag, env string, value bool) (bool, error) {
	if c.Flags().Changed(flag) {
		return value, nil
	}
	v, ok := a.lookupEnv(env)
	if !ok || v == "" {
		return false, nil
	}
	switch strings.ToLower(v) {
	case "yes", "y", "on":
		return true, nil
	case "no", "n", "off":
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, usagef("invalid %s=%q: use true or false (or yes/no, on/off, 1/0)", env, v)
	}
	return b, nil
}

// newGiven are the settings of "new" given by a flag or an environment
// variable, before any question is asked.
type newGiven struct {
	noInput                                          bool
	mode, release, scope, schema, image, module, dir given
}

// resolveNew turns the argument, flags, environment, prompts and defaults
// into the settings of "new". Values given on the command line or in the
// environment are checked before any question is asked.
func (a *app) resolveNew(c *cobra.Command, f *newFlags, args []string) (*newSettings, error) {
	s := &newSettings{}
	g, err := a.newGiven(c, f, s)
	if err != nil {
		return nil, err
	}
	if err := g.check(s, args); err != nil {
		return nil, err
	}
	p, err := a.newPrompter(s, g)
	if err != nil {
		return nil, err
	}
	if err := a.askIDAndMode(s, g, p); err != nil {
		return nil, err
	}
	if err := g.checkEra(s); err != nil {
		return nil, err
	}
	if err := askNewValues(s, g, p); err != nil {
		return nil, err
	}
	if p != nil && !s.force {
		if err := a.confirmFolder(p, s, g.dir.ok); err != nil {
			return nil, err
		}
	}
	asked := p != nil
	s.given.mode = g.mode.ok || asked
	s.given.schema = g.schema.ok || asked
	s.given.image = g.image.ok || asked
	s.given.module = g.module.ok || asked
	return s, nil
}

// newGiven reads the flags and environment variables of "new", and
// --force into s.
func (a *app) newGiven(c *cobra.Command, f *newFlags, s *newSettings) (*newGiven, error) {
	var err error
	if s.force, err = a.boolSetting(c, flagForce, envForce, f.force); err != nil {
		return nil, err
	}
	g := &newGiven{
		mode:    a.stringSetting(c, flagMode, envMode, f.mode),
		release: a.stringSetting(c, flagDirektiv, envDirektiv, f.release),
		scope:   a.stringSetting(c, flagScope, envScope, f.scope),
		schema:  a.stringSetting(c, flagSchema, envSchema, f.schema),
		image:   a.stringSetting(c, flagImage, envImage, f.image),
		module:  a.stringSetting(c, flagModule, envModule, f.module),
		dir:     a.stringSetting(c, flagDir, envDir, f.dir),
	}
	if g.noInput, err = a.boolSetting(c, flagNoInput, envNoInput, f.noInput); err != nil {
		return nil, err
	}
	outputSchema := a.stringSetting(c, flagOutputSchema, envOutputSchema, f.outputSchema)
	if err := checkOutputSchemaFlag(outputSchema); err != nil {
		return nil, err
	}
	s.outputSchemaPath = outputSchema.value
	return g, nil
}

// check checks the id argument and the given values that need no answer
// to be checked, and sets the id and the mode they give in s. A release of
// one mode's era only (v0.8) gives the mode.
func (g *newGiven) check(s *newSettings, args []string) error {
	if len(args) == 1 {
		s.id = args[0]
		if err := config.ValidateID(s.id); err != nil {
			return usageError{err}
		}
	}
	if g.mode.ok {
		m, err := config.ParseMode(g.mode.value)
		if err != nil {
			return usagef("%s: %v", g.mode.from, err)
		}
		s.mode = m
	}
	if g.release.ok && !g.mode.ok {
		if e, err := direktiv.Lookup("", g.release.value); err == nil {
			s.mode, g.mode.ok = config.Mode(e.Mode), true
		}
	}
	for _, v := range []given{g.image, g.module, g.dir, g.release} {
		if v.ok && v.value == "" {
			return usagef("%s is empty", v.from)
		}
	}
	if g.image.ok {
		if err := config.ValidateImage(g.image.value); err != nil {
			return usagef("%s: %v", g.image.from, err)
		}
	}
	if g.module.ok {
		if err := config.ValidateModule(g.module.value); err != nil {
			return usagef("%s: %v", g.module.from, err)
		}
	}
	return nil
}

// newPrompter returns who answers the questions of "new": nil when nobody
// can be asked (no terminal, or --no-input), which the id then must not
// need. Before a prompter is returned, the given schema and folder are
// checked, so that no question is asked in vain.
func (a *app) newPrompter(s *newSettings, g *newGiven) (Prompter, error) {
	s.interactive = !g.noInput && a.isTerminal()
	if !s.interactive {
		if s.id == "" {
			why := "stdin or stdout is not a terminal"
			if g.noInput {
				why = "--no-input or " + envNoInput + " is set"
			}
			return nil, usagef("missing the function id: give it as the argument, e.g. \"direktiv-fn new myfunc\" (no prompts: %s)", why)
		}
		return nil, nil
	}
	if g.schema.ok && g.schema.value != "-" {
		if err := a.checkSchema(g.schema.value); err != nil {
			return nil, err
		}
	}
	if g.dir.ok {
		if err := checkDir(g.dir.value); err != nil {
			return nil, err
		}
	}
	if a.prompter != nil {
		return a.prompter, nil
	}
	return newSurveyPrompter(a.stdin, a.stdout, a.stderr)
}

// askIDAndMode asks p for the id when no argument gave it, and for the mode
// when neither a flag nor a variable did; without p the mode is the first.
func (a *app) askIDAndMode(s *newSettings, g *newGiven, p Prompter) error {
	var err error
	if s.id == "" {
		if s.id, err = p.Input(InputQuestion{
			Message:  "Function id:",
			Help:     "The id Direktiv knows the function by, and the prefix of its error codes. Lower-case letters, digits, '-' and '_', starting with a letter and ending with a letter or digit.",
			Validate: checkIDAnswer,
		}); err != nil {
			return err
		}
	}
	switch {
	case g.mode.ok:
		return nil
	case p == nil:
		s.mode = config.Modes[0]
		return nil
	}
	var opts []string
	for _, m := range config.Modes {
		opts = append(opts, string(m))
	}
	answer, err := p.Select(SelectQuestion{
		Message:  "Mode:",
		Options:  opts,
		Describe: modeDescription,
		Default:  opts[0],
		Help:     "How Direktiv runs the function: knative-workflow for " + direktiv.ModeVersions(direktiv.Knative) + ", isolated for " + direktiv.ModeVersions(direktiv.Isolated) + ".",
	})
	if err != nil {
		return err
	}
	s.mode, err = config.ParseMode(answer)
	return err
}

// checkEra checks the given release and scope against the mode, and sets
// them in s.
func (g *newGiven) checkEra(s *newSettings) error {
	if g.release.ok {
		if _, err := direktiv.Lookup(string(s.mode), g.release.value); err != nil {
			return usagef("%s: %v", g.release.from, err)
		}
		s.direktiv = g.release.value
	}
	if g.scope.ok {
		e, err := direktiv.Lookup(string(s.mode), s.direktiv)
		if err != nil {
			return err
		}
		if err := direktiv.CheckScope(e, s.direktiv, g.scope.value); err != nil {
			return usagef("%s: %v", g.scope.from, err)
		}
		s.scope = g.scope.value
	}
	return nil
}

// askNewValues sets the schema, image, module and folder of s: each as
// given, else as p answers, else its default (no p).
func askNewValues(s *newSettings, g *newGiven, p Prompter) error {
	ask := func(q InputQuestion) (string, error) {
		if p == nil {
			return q.Default, nil
		}
		return p.Input(q)
	}
	var err error
	if g.schema.ok {
		s.schemaPath = g.schema.value
	} else if s.schemaPath, err = ask(InputQuestion{
		Message: "Input schema file (empty for the built-in starter schema):",
		Help:    "A JSON Schema (draft 2020-12 or draft-07) describing the function's input. It is copied into the repository as input.schema.json. Leave it empty to start from a small example schema.",
		Validate: func(v string) error {
			if v == "" {
				return nil
			}
			return checkSchemaFile(expandHome(v))
		},
	}); err != nil {
		return err
	} else {
		s.schemaPath = expandHome(s.schemaPath)
	}
	if s.image, err = valueOrAsk(g.image, ask, InputQuestion{
		Message:  "Container image:",
		Default:  defaultImage(s.id),
		Help:     "The image reference the sample workflow uses. The default is a local registry, as in Direktiv's development setup.",
		Validate: config.ValidateImage,
	}); err != nil {
		return err
	}
	if s.module, err = valueOrAsk(g.module, ask, InputQuestion{
		Message:  "Go module path:",
		Default:  config.DefaultModule(s.id, s.image),
		Help:     "The module path in the repository's go.mod, e.g. github.com/you/" + s.id + ".",
		Validate: config.ValidateModule,
	}); err != nil {
		return err
	}
	if s.dir, err = valueOrAsk(g.dir, ask, InputQuestion{
		Message:  "Target folder:",
		Default:  defaultDir(s.id),
		Help:     "Where the repository is created. It must be missing or empty.",
		Validate: func(v string) error { return checkDir(expandHome(v)) },
	}); err != nil {
		return err
	}
	if !g.dir.ok {
		s.dir = expandHome(s.dir)
	}
	return nil
}

// confirmFolder asks, when the target folder is not empty, whether to write
// into it. "No" asks for another folder, until one is empty or the answer is
// yes, so that no answer given so far is lost; with a folder from --dir or
// DIREKTIV_FN_DIR, "No" ends the command, since the folder was not asked.
func (a *app) confirmFolder(p Prompter, s *newSettings, dirGiven bool) error {
	for {
		occupied, err := write.Occupied(s.dir)
		if err != nil || !occupied {
			return err
		}
		yes, err := p.Confirm(ConfirmQuestion{
			Message: fmt.Sprintf("%s is not empty. Write into it (generated files are written over, files of yours kept)?", s.dir),
			Help:    "Yes is the same as --force: files direktiv-fn writes are overwritten, other files are left alone. No asks for another folder.",
		})
		if err != nil || yes || dirGiven {
			s.force = yes
			return err
		}
		answer, err := p.Input(InputQuestion{
			Message:  "Target folder (a new or empty one):",
			Default:  s.dir,
			Help:     "Where the repository is created. A folder that is not empty is asked about again.",
			Validate: func(v string) error { return checkDir(expandHome(v)) },
		})
		if err != nil {
			return err
		}
		s.dir = expandHome(answer)
	}
}

// valueOrAsk returns the given value, or else the answer to q (its default
// when nobody can be asked).
func valueOrAsk(g given, ask func(InputQuestion) (string, error), q InputQuestion) (string, error) {
	if g.ok {
		return g.value, nil
	}
	return ask(q)
}

// checkIDAnswer is generator.ValidateID with a message short enough for a
// prompt line (the prompt shows the answer already).
func checkIDAnswer(id string) error {
	if id == "" {
		return fmt.Errorf("the id is required")
	}
	if config.ValidateID(id) != nil {
		return fmt.Errorf("%q: use a-z 0-9 - _, start with a letter, end with a letter or digit", id)
	}
	return nil
}

// expandHome turns a leading "~/" of a path typed at a prompt into the home
// folder, as a shell does for a flag's value.
func expandHome(p string) string {
	rest, ok := strings.CutPrefix(p, "~/")
	if p == "~" {
		rest, ok = "", true
	}
	if !ok {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	return filepath.Join(home, rest)
}

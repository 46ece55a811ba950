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

// resolveNew turns the argument, flags, environment, prompts and defaults
// into the settings of "new". Values given on the command line or in the
// environment are checked before any question is asked.
func (a *app) resolveNew(c *cobra.Command, f *newFlags, args []string) (*newSettings, error) {
	s := &newSettings{}
	var err error
	if s.force, err = a.boolSetting(c, flagForce, envForce, f.force); err != nil {
		return nil, err
	}
	noInput, err := a.boolSetting(c, flagNoInput, envNoInput, f.noInput)
	if err != nil {
		return nil, err
	}
	mode := a.stringSetting(c, flagMode, envMode, f.mode)
	release := a.stringSetting(c, flagDirektiv, envDirektiv, f.release)
	scope := a.stringSetting(c, flagScope, envScope, f.scope)
	schemaPath := a.stringSetting(c, flagSchema, envSchema, f.schema)
	image := a.stringSetting(c, flagImage, envImage, f.image)
	module := a.stringSetting(c, flagModule, envModule, f.module)
	dir := a.stringSetting(c, flagDir, envDir, f.dir)

	if len(args) == 1 {
		s.id = args[0]
		if err := config.ValidateID(s.id); err != nil {
			return nil, usageError{err}
		}
	}
	if mode.ok {
		m, err := config.ParseMode(mode.value)
		if err != nil {
			return nil, usagef("%s: %v", mode.from, err)
		}
		s.mode = m
	}
	if release.ok && !mode.ok {
		// A release of one mode's era only (v0.8) tells the mode.
		if e, err := direktiv.Lookup("", release.value); err == nil {
			s.mode, mode.ok = config.Mode(e.Mode), true
		}
	}
	for _, g := range []given{image, module, dir, release} {
		if g.ok && g.value == "" {
			return nil, usagef("%s is empty", g.from)
		}
	}
	if image.ok {
		if err := config.ValidateImage(image.value); err != nil {
			return nil, usagef("%s: %v", image.from, err)
		}
	}
	if module.ok {
		if err := config.ValidateModule(module.value); err != nil {
			return nil, usagef("%s: %v", module.from, err)
		}
	}

	s.interactive = !noInput && a.isTerminal()
	if s.id == "" && !s.interactive {
		why := "stdin or stdout is not a terminal"
		if noInput {
			why = "--no-input or " + envNoInput + " is set"
		}
		return nil, usagef("missing the function id: give it as the argument, e.g. \"direktiv-fn new myfunc\" (no prompts: %s)", why)
	}

	var p Prompter
	if s.interactive {
		// Fail on what was given before asking about the rest.
		if schemaPath.ok && schemaPath.value != "-" {
			if err := a.checkSchema(schemaPath.value); err != nil {
				return nil, err
			}
		}
		if dir.ok {
			if err := checkDir(dir.value); err != nil {
				return nil, err
			}
		}
		p = a.prompter
		if p == nil {
			if p, err = newSurveyPrompter(a.stdin, a.stdout, a.stderr); err != nil {
				return nil, err
			}
		}
	}
	ask := func(q InputQuestion) (string, error) {
		if p == nil {
			return q.Default, nil
		}
		return p.Input(q)
	}

	if s.id == "" {
		if s.id, err = p.Input(InputQuestion{
			Message:  "Function id:",
			Help:     "The id Direktiv knows the function by, and the prefix of its error codes. Lower-case letters, digits, '-' and '_', starting with a letter and ending with a letter or digit.",
			Validate: checkIDAnswer,
		}); err != nil {
			return nil, err
		}
	}

	switch {
	case mode.ok:
	case p == nil:
		s.mode = config.Modes[0]
	default:
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
			return nil, err
		}
		if s.mode, err = config.ParseMode(answer); err != nil {
			return nil, err
		}
	}
	if release.ok {
		if _, err := direktiv.Lookup(string(s.mode), release.value); err != nil {
			return nil, usagef("%s: %v", release.from, err)
		}
		s.direktiv = release.value
	}
	if scope.ok {
		e, err := direktiv.Lookup(string(s.mode), s.direktiv)
		if err != nil {
			return nil, err
		}
		if err := direktiv.CheckScope(e, s.direktiv, scope.value); err != nil {
			return nil, usagef("%s: %v", scope.from, err)
		}
		s.scope = scope.value
	}

	if schemaPath.ok {
		s.schemaPath = schemaPath.value
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
		return nil, err
	} else {
		s.schemaPath = expandHome(s.schemaPath)
	}

	if s.image, err = valueOrAsk(image, ask, InputQuestion{
		Message:  "Container image:",
		Default:  defaultImage(s.id),
		Help:     "The image reference the sample workflow uses. The default is a local registry, as in Direktiv's development setup.",
		Validate: config.ValidateImage,
	}); err != nil {
		return nil, err
	}
	if s.module, err = valueOrAsk(module, ask, InputQuestion{
		Message:  "Go module path:",
		Default:  config.DefaultModule(s.id, s.image),
		Help:     "The module path in the repository's go.mod, e.g. github.com/you/" + s.id + ".",
		Validate: config.ValidateModule,
	}); err != nil {
		return nil, err
	}
	if s.dir, err = valueOrAsk(dir, ask, InputQuestion{
		Message:  "Target folder:",
		Default:  defaultDir(s.id),
		Help:     "Where the repository is created. It must be missing or empty.",
		Validate: func(v string) error { return checkDir(expandHome(v)) },
	}); err != nil {
		return nil, err
	}
	if !dir.ok {
		s.dir = expandHome(s.dir)
	}

	if p != nil && !s.force {
		if err := a.confirmFolder(p, s, dir.ok); err != nil {
			return nil, err
		}
	}
	asked := p != nil
	s.given.mode = mode.ok || asked
	s.given.schema = schemaPath.ok || asked
	s.given.image = image.ok || asked
	s.given.module = module.ok || asked
	return s, nil
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

package cmd

import (
	"errors"
	"io"
	"os"

	"github.com/AlecAivazis/survey/v2"
)

// Prompter asks the user questions. The survey implementation talks to the
// terminal; tests use a fake.
type Prompter interface {
	// Input asks for a line of text.
	Input(q InputQuestion) (string, error)
	// Select asks for one of a list of options.
	Select(q SelectQuestion) (string, error)
	// Confirm asks a yes/no question.
	Confirm(q ConfirmQuestion) (bool, error)
}

// InputQuestion asks for a line of text.
type InputQuestion struct {
	// Message is the question.
	Message string
	// Default is the answer when the user just presses Enter.
	Default string
	// Help is shown when the user types '?'.
	Help string
	// Validate checks the answer (the default included); an error is shown
	// and the question asked again. Nil accepts anything.
	Validate func(string) error
}

// SelectQuestion asks for one of a list of options.
type SelectQuestion struct {
	// Message is the question.
	Message string
	// Options are the choices, in order.
	Options []string
	// Describe returns an option's short description, or "".
	Describe func(option string) string
	// Default is the option selected at first.
	Default string
	// Help is shown when the user types '?'.
	Help string
}

// ConfirmQuestion asks a yes/no question.
type ConfirmQuestion struct {
	// Message is the question.
	Message string
	// Default is the answer when the user just presses Enter.
	Default bool
	// Help is shown when the user types '?'.
	Help string
}

// surveyPrompter asks through survey on a terminal.
type surveyPrompter struct {
	opts []survey.AskOpt
}

// newSurveyPrompter returns a survey prompter on the given terminal streams,
// which must be files (isTerminal checked them).
func newSurveyPrompter(stdin io.Reader, stdout, stderr io.Writer) (Prompter, error) {
	in, ok := stdin.(*os.File)
	if !ok {
		return nil, errors.New("internal error: prompting needs a terminal on stdin")
	}
	out, ok := stdout.(*os.File)
	if !ok {
		return nil, errors.New("internal error: prompting needs a terminal on stdout")
	}
	// survey prefixes every validation error with "Sorry, your reply was
	// invalid:", which pushes the messages past the terminal's width. They
	// say what is wrong on their own.
	survey.ErrorTemplate = errorTemplate
	return surveyPrompter{opts: []survey.AskOpt{survey.WithStdio(in, out, stderr)}}, nil
}

// errorTemplate renders a validation error at a prompt.
const errorTemplate = `{{color .Icon.Format }}{{ .Icon.Text }} {{ .Error.Error }}{{color "reset"}}
`

// Input asks q on the terminal, showing a problem with the answer as it is typed.
func (s surveyPrompter) Input(q InputQuestion) (string, error) {
	var answer string
	opts := s.opts
	if q.Validate != nil {
		opts = append(opts[:len(opts):len(opts)], survey.WithValidator(func(v any) error {
			str, _ := v.(string)
			return q.Validate(str)
		}))
	}
	err := survey.AskOne(&liveInput{message: q.Message, def: q.Default, help: q.Help, validate: q.Validate}, &answer, opts...)
	return answer, err
}

// Select asks q on the terminal as a list to choose from.
func (s surveyPrompter) Select(q SelectQuestion) (string, error) {
	var answer string
	p := &survey.Select{Message: q.Message, Options: q.Options, Help: q.Help}
	if q.Default != "" {
		p.Default = q.Default
	}
	if q.Describe != nil {
		p.Description = func(value string, _ int) string { return q.Describe(value) }
	}
	err := survey.AskOne(p, &answer, s.opts...)
	return answer, err
}

// Confirm asks q on the terminal as a yes/no question.
func (s surveyPrompter) Confirm(q ConfirmQuestion) (bool, error) {
	var answer bool
	err := survey.AskOne(&survey.Confirm{Message: q.Message, Default: q.Default, Help: q.Help}, &answer, s.opts...)
	return answer, err
}

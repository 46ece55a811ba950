package cmd

import (
	"errors"
	"unicode"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
)

// liveInput is survey's text input with validation as you type: after every
// key that edits the end of the answer, the problem with the answer so far,
// if any, is shown above the question. Enter still validates (survey's
// validator), so an answer edited otherwise is checked too.
type liveInput struct {
	survey.Renderer
	message, def, help string
	validate           func(string) error
	showingHelp        bool
}

// liveInputData is the template data of a liveInput.
type liveInputData struct {
	Message, Default, Help string
	ShowHelp, ShowAnswer   bool
	Answer                 string
	// Problem is what is wrong with the answer typed so far, or "".
	Problem string
	Config  *survey.PromptConfig
}

// liveInputTemplate is survey's input template with a problem line on top.
const liveInputTemplate = `
{{- if and .Problem (not .ShowAnswer) }}{{color "red"}}✗ {{ .Problem }}{{color "reset"}}{{"\n"}}{{end}}
{{- if .ShowHelp }}{{- color .Config.Icons.Help.Format }}{{ .Config.Icons.Help.Text }} {{ .Help }}{{color "reset"}}{{"\n"}}{{end}}
{{- color .Config.Icons.Question.Format }}{{ .Config.Icons.Question.Text }} {{color "reset"}}
{{- color "default+hb"}}{{ .Message }} {{color "reset"}}
{{- if .ShowAnswer}}
  {{- color "cyan"}}{{.Answer}}{{color "reset"}}{{"\n"}}
{{- else }}
  {{- if and .Help (not .ShowHelp)}}{{color "cyan"}}[{{ print .Config.HelpInput }} for help]{{color "reset"}} {{end}}
  {{- if .Default}}{{color "white"}}({{.Default}}) {{color "reset"}}{{end}}
{{- end}}`

// errReadAgain makes Prompt read the line again after a re-render.
var errReadAgain = errors.New("read the line again")

func (p *liveInput) render(config *survey.PromptConfig, answer string, done bool) error {
	data := liveInputData{Message: p.message, Default: p.def, Help: p.help, ShowHelp: p.showingHelp,
		ShowAnswer: done, Answer: answer, Config: config}
	if answer != "" && answer != config.HelpInput && p.validate != nil {
		if err := p.validate(answer); err != nil {
			data.Problem = err.Error()
		}
	}
	return p.Render(liveInputTemplate, data)
}

// Prompt asks the question and returns the answer (the default for an empty one).
func (p *liveInput) Prompt(config *survey.PromptConfig) (any, error) {
	if err := p.render(config, "", false); err != nil {
		return "", err
	}
	rr := p.NewRuneReader()
	_ = rr.SetTermMode()
	defer func() { _ = rr.RestoreTermMode() }()
	cursor := p.NewCursor()

	var line []rune
	for {
		var err error
		line, err = rr.ReadLineWithDefault(0, line, func(key rune, line []rune) ([]rune, bool, error) {
			next, ok := edit(key, line)
			if !ok {
				return line, false, nil // survey edits the line as usual
			}
			if err := p.render(config, string(next), false); err != nil {
				return line, true, err
			}
			return next, true, errReadAgain
		})
		if errors.Is(err, errReadAgain) {
			continue
		}
		if err != nil {
			return "", err
		}
		break
	}
	answer := string(line)
	cursor.Up(1) // the reader printed a newline
	if answer == config.HelpInput && p.help != "" {
		p.showingHelp = true
		return p.Prompt(config)
	}
	if answer == "" {
		return p.def, nil
	}
	p.AppendRenderedText(answer)
	return answer, nil
}

// edit applies a key that types or erases at the end of the line, and
// reports whether it was one.
func edit(key rune, line []rune) ([]rune, bool) {
	switch {
	case key == terminal.KeyBackspace || key == terminal.KeyDelete:
		if len(line) == 0 {
			return line, true
		}
		return line[:len(line)-1], true
	case key >= terminal.KeySpace && unicode.IsPrint(key):
		return append(line[:len(line):len(line)], key), true
	}
	return line, false
}

// Cleanup shows the accepted answer.
func (p *liveInput) Cleanup(config *survey.PromptConfig, val any) error {
	answer, _ := val.(string)
	return p.render(config, answer, true)
}

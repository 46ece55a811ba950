package cmd

import (
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

// liveInputTemplate is survey's input template with a problem line on top
// and the answer typed so far at the end of the question line.
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
  {{- .Answer}}
{{- end}}`

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

// Prompt asks the question and returns the answer (the default for an empty
// one). It reads the keys itself and re-renders the question after each:
// survey's line reader asks the terminal for the cursor position whenever it
// starts, and keys typed during that exchange would be lost.
func (p *liveInput) Prompt(config *survey.PromptConfig) (any, error) {
	rr := p.NewRuneReader()
	_ = rr.SetTermMode()
	defer func() { _ = rr.RestoreTermMode() }()

	var line []rune
	for {
		if err := p.render(config, string(line), false); err != nil {
			return "", err
		}
		key, _, err := rr.ReadRune()
		if err != nil {
			return "", err
		}
		switch key {
		case terminal.KeyInterrupt:
			return "", terminal.InterruptErr
		case terminal.KeyEnter, '\n', terminal.KeyEndTransmission:
		default:
			line, _ = edit(key, line)
			continue
		}
		break
	}
	answer := string(line)
	if answer == config.HelpInput && p.help != "" {
		p.showingHelp = true
		return p.Prompt(config)
	}
	if answer == "" {
		return p.def, nil
	}
	return answer, nil
}

// The line-editing keys of a terminal's canonical mode, which the prompt
// reads itself in raw mode.
const (
	// keyKillLine (Ctrl-U) erases the whole line.
	keyKillLine = 0x15
	// keyEraseWord (Ctrl-W) erases the word before the cursor and the
	// spaces after it.
	keyEraseWord = 0x17
)

// edit applies a key that types or erases at the end of the line, and
// reports whether it was one.
func edit(key rune, line []rune) ([]rune, bool) {
	switch {
	case key == keyKillLine:
		return line[:0], true
	case key == keyEraseWord:
		i := len(line)
		for i > 0 && unicode.IsSpace(line[i-1]) {
			i--
		}
		for i > 0 && !unicode.IsSpace(line[i-1]) {
			i--
		}
		return line[:i], true
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

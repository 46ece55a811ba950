package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/sidecar"
	"github.com/direktiv-fn/direktiv-fn/generator"
)

// invokeReport is the outcome of invoke: what --json prints, and what the
// text output is made from.
type invokeReport struct {
	// Function is the function id; Mode its mode.
	Function string `json:"function"`
	Mode     string `json:"mode"`
	// ActionID is the call's action id.
	ActionID string `json:"actionId,omitempty"`
	// Input is the call's input; InputSource says where it came from:
	// "sample", "file" or "stdin".
	Input       json.RawMessage `json:"input"`
	InputSource string          `json:"inputSource"`
	// Outcome is success, error (catchable), crash or start-failed.
	Outcome string `json:"outcome"`
	// ExitCode is invoke's exit code.
	ExitCode int `json:"exitCode"`
	// Return is what Direktiv stores at .return on success.
	Return       json.RawMessage `json:"return,omitempty"`
	ReturnBase64 bool            `json:"returnBase64,omitempty"`
	// Error is the call's error, or why the function did not start.
	Error *invokeError `json:"error,omitempty"`
	// Logs are the instance log lines.
	Logs []invokeLog `json:"logs"`
	// Variables are the variables the call set.
	Variables []invokeVar `json:"variables"`
	// Output are the process's stdout and stderr lines (not collected by
	// Direktiv).
	Output []sidecar.OutputLine `json:"output"`
	// StartOutput is what a failed build or start wrote, shaped as
	// Output: the build's lines have the stream "build".
	StartOutput []sidecar.OutputLine `json:"startOutput,omitempty"`
	// TimedOut is true when the call overran --timeout.
	TimedOut bool `json:"timedOut"`
	// Cancel describes the DELETE / sent at the timeout (knative).
	Cancel *invokeCancel `json:"cancel,omitempty"`
	// HTTPStatus is the status of the function's answer (knative).
	HTTPStatus int `json:"httpStatus,omitempty"`
	// ExitStatus is how the process ended (isolated, or a crash).
	ExitStatus string `json:"exitStatus,omitempty"`
	// BuildMs and CallMs are how long the build and the call took.
	BuildMs float64 `json:"buildMs,omitempty"`
	CallMs  float64 `json:"callMs"`
	// Notes explain the outcome.
	Notes []string `json:"notes"`
}

// invokeError is a call's error.
type invokeError struct {
	Code      string `json:"code,omitempty"`
	Message   string `json:"message"`
	Catchable bool   `json:"catchable"`
}

// invokeLog is one log line.
type invokeLog struct {
	AtMs    float64 `json:"atMs"`
	Message string  `json:"message"`
}

// invokeVar is one variable the call set.
type invokeVar struct {
	Scope  string `json:"scope"`
	Name   string `json:"name"`
	Source string `json:"source"`
	Size   int    `json:"size"`
	TarGz  bool   `json:"tarGz,omitempty"`
	// Text is the content when it is UTF-8 text; Data is always the
	// content, base64-encoded.
	Text *string `json:"text,omitempty"`
	Data []byte  `json:"data"`
}

// invokeCancel describes the DELETE / at the timeout.
type invokeCancel struct {
	Status   int     `json:"status"`
	Error    string  `json:"error,omitempty"`
	Answered bool    `json:"answered"`
	AfterMs  float64 `json:"afterMs,omitempty"`
}

// fill copies the emulator's result into the report and sets the exit
// code.
func (r *invokeReport) fill(res *sidecar.Result) {
	r.ActionID = res.ActionID
	r.Outcome = string(res.Outcome)
	r.Return, r.ReturnBase64 = res.Return, res.ReturnBase64
	if res.Error != nil {
		r.Error = &invokeError{Code: res.Error.Code, Message: res.Error.Message, Catchable: res.Error.Catchable}
	}
	r.Logs = []invokeLog{}
	for _, l := range res.Logs {
		r.Logs = append(r.Logs, invokeLog{AtMs: millis(l.At), Message: l.Message})
	}
	r.Variables = []invokeVar{}
	for _, v := range res.Variables {
		iv := invokeVar{Scope: v.Scope, Name: v.Name, Source: v.Source, Size: len(v.Data), TarGz: v.TarGz, Data: v.Data}
		if !v.TarGz && utf8.Valid(v.Data) {
			s := string(v.Data)
			iv.Text = &s
		}
		r.Variables = append(r.Variables, iv)
	}
	r.Output = res.Output
	if r.Output == nil {
		r.Output = []sidecar.OutputLine{}
	}
	r.TimedOut = res.TimedOut
	if c := res.Cancel; c != nil {
		r.Cancel = &invokeCancel{Status: c.Status, Error: c.Error, Answered: c.Answered, AfterMs: millis(c.After)}
	}
	r.HTTPStatus = res.HTTPStatus
	r.ExitStatus = res.ExitStatus
	r.CallMs = millis(res.Duration)
	r.Notes = res.Notes
	if r.Notes == nil {
		r.Notes = []string{}
	}
	switch res.Outcome {
	case sidecar.Success:
		r.ExitCode = ExitOK
	case sidecar.Catchable:
		r.ExitCode = ExitCatchable
	default:
		r.ExitCode = ExitCrash
	}
}

// writeJSONReport prints the report as one JSON object.
func writeJSONReport(w io.Writer, r *invokeReport) error {
	if r.Logs == nil {
		r.Logs = []invokeLog{}
	}
	if r.Variables == nil {
		r.Variables = []invokeVar{}
	}
	if r.Output == nil {
		r.Output = []sidecar.OutputLine{}
	}
	if r.Notes == nil {
		r.Notes = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// printOutcome prints the report for a human.
func printOutcome(w io.Writer, r *invokeReport) {
	took := fmt.Sprintf("%.1fms", r.CallMs)
	switch r.Outcome {
	case string(sidecar.Success):
		fmt.Fprintf(w, "Success (%s). Direktiv stores at .return:\n", took)
		ret := r.Return
		if r.ReturnBase64 {
			fmt.Fprintln(w, "  (the output is not JSON: it is stored base64-encoded)")
		}
		fmt.Fprintln(w, indent(capText(prettyJSON(ret), ".return", len(ret)), "  "))
	case string(sidecar.Catchable):
		fmt.Fprintf(w, "Catchable error (%s): a workflow can catch it.\n", took)
		fmt.Fprintf(w, "  code:    %s\n", r.Error.Code)
		fmt.Fprintf(w, "  message: %s\n", indent(capText(r.Error.Message, "the message", len(r.Error.Message)), "           ")[len("           "):])
		// Direktiv matches catch errors as unanchored regular expressions:
		// anchored and escaped, the pattern catches this code only.
		fmt.Fprintf(w, "  catch it in the action state with:\n    catch:\n    - error: %s\n", generator.YAMLSingleQuote(generator.CatchPattern(r.Error.Code)))
	default:
		fmt.Fprintf(w, "Uncatchable error (%s): the instance crashes; no workflow can catch it.\n", took)
		fmt.Fprintf(w, "  message: %s\n", indent(capText(r.Error.Message, "the message", len(r.Error.Message)), "           ")[len("           "):])
	}
	if len(r.Variables) > 0 {
		fmt.Fprintln(w, "Variables set:")
		for _, v := range r.Variables {
			what := fmt.Sprintf("%d bytes", v.Size)
			if v.TarGz {
				what += ", tar.gz of a folder"
			} else if v.Text != nil && len(*v.Text) <= 60 && !strings.ContainsAny(*v.Text, "\n\r") {
				what += ": " + strconv.Quote(*v.Text)
			}
			fmt.Fprintf(w, "  %s/%s (from %s, %s)\n", v.Scope, v.Name, v.Source, what)
		}
	} else {
		fmt.Fprintln(w, "Variables set: none")
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w, "Notes:")
		for _, n := range r.Notes {
			fmt.Fprintf(w, "  - %s\n", n)
		}
	}
}

// maxPrinted bounds the text rendering of .return and of an error message:
// --json prints them whole.
const maxPrinted = 64 << 10

// capText returns s, the rendering of what (".return") of size bytes, or
// its first maxPrinted bytes, cut at a line end when one is near, then a
// line saying how much there is.
func capText(s, what string, size int) string {
	if len(s) <= maxPrinted {
		return s
	}
	cut := maxPrinted
	if i := strings.LastIndexByte(s[:cut], '\n'); i >= maxPrinted/2 {
		cut = i
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s\n... (%s is %d bytes; use --json for all of it)", s[:cut], what, size)
}

// prettyJSON indents JSON, or returns it as it is.
func prettyJSON(b []byte) string {
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return string(b)
	}
	return out.String()
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/sidecar"
)

// runMain runs direktiv-fn with args and returns its exit code, stdout and
// stderr.
func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestInvokeNamesRefusedUpFront checks that a --file or --var name Direktiv
// would refuse is a usage error before anything is built or run.
func TestInvokeNamesRefusedUpFront(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data.txt")
	writeFile(t, data, []byte("x"))
	tests := []struct {
		project, flag, want string
	}{
		{"knative-rich", "--file=out=" + data, `NAME "out" is reserved`},
		{"isolated-rich", "--file=out=" + data, `NAME "out" is reserved`},
		{"knative-rich", "--var=instance/9lives=" + data, `"9lives" is not a Direktiv variable name`},
		{"knative-rich", "--var=instance/bad name=" + data, `"bad name" is not a Direktiv variable name`},
		// The isolated era (v0.5.0–v0.6.0) has no '-' in variable names.
		{"isolated-rich", "--var=instance/my-var=" + data, `"my-var" is not a Direktiv variable name`},
	}
	for _, tt := range tests {
		dir := filepath.Join(goldenDir, tt.project, "want")
		// --binary is a missing file: had the name passed, the start would
		// fail with exit 5, never build.
		code, _, errOut := runMain(t, "invoke", "--dir", dir, "--binary", filepath.Join(t.TempDir(), "missing"), tt.flag)
		if code != ExitUsage || !strings.Contains(errOut, tt.want) || strings.Contains(errOut, "starting") {
			t.Errorf("%s %s: exit %d, stderr %q; want exit %d and %q", tt.project, tt.flag, code, errOut, ExitUsage, tt.want)
		}
	}
}

func TestReadVarFlags(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data.txt")
	writeFile(t, data, []byte("x"))
	for _, tt := range []struct {
		spec    string
		mode    sidecar.Mode
		wantErr bool
	}{
		{"instance/my-var.txt", sidecar.Knative, false},
		{"namespace/a", sidecar.Isolated, false},
		{"instance/my-var", sidecar.Isolated, true},
		{"instance/my.var", sidecar.Isolated, true},
		{"instance/9lives", sidecar.Knative, true},
		{"instance/a-", sidecar.Knative, true},
		{"system/a", sidecar.Knative, true},
	} {
		_, err := readVarFlags([]string{tt.spec + "=" + data}, tt.mode)
		if (err != nil) != tt.wantErr {
			t.Errorf("readVarFlags(%q, %s): %v, want an error: %v", tt.spec, tt.mode, err, tt.wantErr)
		}
		if _, ok := err.(usageError); err != nil && !ok {
			t.Errorf("readVarFlags(%q, %s): %v is not a usage error", tt.spec, tt.mode, err)
		}
	}
	if _, err := readFileFlags([]string{"out=" + data}); err == nil {
		t.Error(`readFileFlags("out=...") accepted the reserved name`)
	}
}

func TestParseDurationAsDirektiv(t *testing.T) {
	// Direktiv parses ISO-8601 durations with whole numbers only.
	for _, in := range []string{"PT0.5S", "PT1,5S", "P0.5D"} {
		_, err := parseDuration(in)
		if err == nil || !strings.Contains(err.Error(), "whole numbers only") {
			t.Errorf("parseDuration(%q) = %v, want the whole-number rule", in, err)
		}
	}
	for in, want := range map[string]string{"500ms": "500ms", "P1W": "168h0m0s", "P1W2DT3S": "216h0m3s"} {
		got, err := parseDuration(in)
		if err != nil || got.String() != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
}

// TestInvokeHelpDocumentsJSON checks that invoke --help names every field
// of the --json object.
func TestInvokeHelpDocumentsJSON(t *testing.T) {
	code, out, _ := runMain(t, "invoke", "--help")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	check := func(typ reflect.Type) {
		for i := 0; i < typ.NumField(); i++ {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if name != "" && !strings.Contains(out, name) {
				t.Errorf("invoke --help does not document the --json field %s.%s (%q)", typ.Name(), typ.Field(i).Name, name)
			}
		}
	}
	for _, v := range []any{invokeReport{}, invokeError{}, invokeLog{}, invokeVar{}, invokeCancel{}, sidecar.OutputLine{}} {
		check(reflect.TypeOf(v))
	}
}

// TestInvokeStartOutputShape checks that a failed start's output has the
// shape of output in --json: a list of {stream, text}.
func TestInvokeStartOutputShape(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "fn")
	writeFile(t, bin, []byte("#!/bin/sh\necho 'cannot start' >&2\nexit 3\n"))
	if err := os.Chmod(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(goldenDir, "knative-rich", "want")
	code, out, _ := runMain(t, "invoke", "--dir", dir, "--binary", bin, "--json")
	var rep struct {
		Outcome     string           `json:"outcome"`
		StartOutput []map[string]any `json:"startOutput"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("exit %d: %v\n%s", code, err, out)
	}
	if code != ExitStartFailed || rep.Outcome != "start-failed" || !reflect.DeepEqual(rep.StartOutput, []map[string]any{{"stream": "stderr", "text": "cannot start"}}) {
		t.Errorf("exit %d, report:\n%s", code, out)
	}
}

// TestPrintOutcomeCapsReturn checks that the text output cuts a huge
// .return, saying how big it is.
func TestPrintOutcomeCapsReturn(t *testing.T) {
	ret := []byte(`"` + strings.Repeat("é", 100<<10) + `"`)
	var b bytes.Buffer
	printOutcome(&b, &invokeReport{Outcome: string(sidecar.Success), Return: ret})
	out := b.String()
	if len(out) > maxPrinted+1024 {
		t.Errorf("printed %d bytes, want about %d", len(out), maxPrinted)
	}
	if !strings.Contains(out, "... (.return is 204802 bytes; use --json for all of it)") {
		t.Errorf("no size line in %q", out[len(out)-200:])
	}
	if !strings.HasPrefix(strings.TrimPrefix(out[strings.Index(out, "\n")+1:], "  "), `"éé`) {
		t.Errorf("the rendering does not start with the return: %q", out[:100])
	}
	small := []byte(`{"a": 1}`)
	b.Reset()
	printOutcome(&b, &invokeReport{Outcome: string(sidecar.Success), Return: small})
	if strings.Contains(b.String(), "use --json") {
		t.Errorf("a small return is cut:\n%s", b.String())
	}
}

// TestDelayFlag checks that --watch-delay takes 0, unlike the timeouts,
// and refuses a negative duration.
func TestDelayFlag(t *testing.T) {
	var d delayFlag
	for in, want := range map[string]time.Duration{"0": 0, "0s": 0, "500ms": 500 * time.Millisecond, "PT2S": 2 * time.Second} {
		if err := d.Set(in); err != nil || time.Duration(d) != want {
			t.Errorf("Set(%q) = %v, %v; want %v", in, time.Duration(d), err, want)
		}
	}
	if err := d.Set("-1s"); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("Set(-1s): %v, want a negative duration refused", err)
	}
	var timeout durationFlag
	if err := timeout.Set("0"); err == nil {
		t.Error("--timeout 0 is accepted")
	}
}

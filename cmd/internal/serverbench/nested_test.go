package main

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"testing"
)

// nestedSchema is a tree: an object whose children are trees.
const nestedSchema = `{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#"}}}}`

// nestedHandler answers with the number of children.
const nestedHandler = `package main

import "context"

// Output is the number of children.
type Output struct {
	Children int ` + "`json:\"children\"`" + `
}

// Handle returns the number of children.
func Handle(ctx context.Context, in Input) (Output, error) {
	return Output{Children: len(in.Children)}, nil
}
`

// TestNestedInput sends a generated server a 120 MB input nested 8 million
// levels deep: it must answer with a catchable invalidInput, within its
// memory budget, and go on answering.
func TestNestedInput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds direktiv-fn and a function")
	}
	tmp := t.TempDir()
	bin, err := buildFunction("", tmp, nestedSchema, nestedHandler)
	if err != nil {
		t.Fatal(err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	srv := exec.Command(bin)
	srv.Env = append(os.Environ(), "PORT="+port)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	if err := waitListening("127.0.0.1:" + port); err != nil {
		t.Fatal(err)
	}

	const open, closing = `{"children":[`, `]}`
	levels := 120_000_000 / (len(open) + len(closing))
	body := make([]byte, 0, levels*(len(open)+len(closing)))
	for range levels {
		body = append(body, open...)
	}
	for range levels {
		body = append(body, closing...)
	}
	post := func(input []byte) *http.Response {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:"+port+"/", bytes.NewReader(input))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Direktiv-ActionID", "development")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("POST of %d bytes: %v (did the server crash?)", len(input), err)
		}
		resp.Body.Close()
		return resp
	}
	resp := post(body)
	if code := resp.Header.Get("Direktiv-ErrorCode"); code != "bench.invalidInput" {
		t.Errorf("Direktiv-ErrorCode = %q (status %d, message %.200q), want bench.invalidInput",
			code, resp.StatusCode, resp.Header.Get("Direktiv-ErrorMessage"))
	}
	// The server lives on.
	if resp := post([]byte(`{"children":[{}]}`)); resp.StatusCode != http.StatusOK {
		t.Errorf("a small input after the nested one: status %d, want 200", resp.StatusCode)
	}
	peak, err := procStatus(srv.Process.Pid, "VmHWM")
	if err != nil {
		t.Fatal(err)
	}
	// The input, plus the decoder's work up to the depth limit, plus the
	// runtime: within the RSS documented for ten concurrent inputs of the
	// maximum size (about 400 MB).
	const limit = 400 << 20
	if peak > limit {
		t.Errorf("peak RSS %.0f MB, want under %d MiB", peak/1e6, limit>>20)
	}
	t.Logf("peak RSS %.0f MB for an input of %d bytes", peak/1e6, len(body))
}

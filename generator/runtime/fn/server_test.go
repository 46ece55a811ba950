package fn

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests check the runtime code as Direktiv's sidecar sees it.

// serverTestInput is a valid input.
const serverTestInput = `{"name": "x"}`

// serverTestCodes are the function's error codes.
var serverTestCodes = testCodes

// serverTestHandler returns a zero Output.
func serverTestHandler(ctx context.Context, in Input) (Output, error) {
	var out Output
	return out, nil
}

// serverTestPost sends input to h as the sidecar does and returns the response.
func serverTestPost(t *testing.T, h http.Handler, actionID, input string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(input))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Direktiv-ActionID", actionID)
	r.Header.Set("Direktiv-TempDir", "/mnt/shared/"+actionID)
	r.Header.Set("Direktiv-Iterator", "3")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

// serverTestError checks that resp is a catchable error with status and
// code, with the same code and message in the headers and the JSON body,
// and returns the message.
func serverTestError(t *testing.T, resp *http.Response, status int, code ErrorCode) string {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("status = %d, want %d", resp.StatusCode, status)
	}
	gotCode := resp.Header.Get("Direktiv-ErrorCode")
	msg := resp.Header.Get("Direktiv-ErrorMessage")
	if gotCode != string(code) {
		t.Errorf("Direktiv-ErrorCode = %q, want %q", gotCode, code)
	}
	if msg == "" {
		t.Error("Direktiv-ErrorMessage is empty: Direktiv needs both headers")
	}
	var body struct {
		ErrorCode    string `json:"errorCode"`
		ErrorMessage string `json:"errorMessage"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("error body: %v", err)
	}
	if body.ErrorCode != gotCode || body.ErrorMessage != msg {
		t.Errorf("body = %+v, want the headers' code %q and message %q", body, gotCode, msg)
	}
	return msg
}

func TestServerOutput(t *testing.T) {
	var got Call
	h := newTestServer(func(ctx context.Context, in Input) (Output, error) {
		got, _ = CallFromContext(ctx)
		var out Output
		return out, nil
	}, "")
	resp := serverTestPost(t, h, "development", serverTestInput)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", resp.StatusCode)
	}
	if code := resp.Header.Get("Direktiv-ErrorCode"); code != "" {
		t.Errorf("Direktiv-ErrorCode = %q on success", code)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	body, _ := io.ReadAll(resp.Body)
	if !json.Valid(body) {
		t.Errorf("body is not JSON: %q", body)
	}
	want := Call{ActionID: "development", TempDir: "/mnt/shared/development", Iterator: 3}
	if got.ActionID != want.ActionID || got.TempDir != want.TempDir || got.Iterator != want.Iterator {
		t.Errorf("CallFromContext = %+v, want %+v", got, want)
	}
}

func TestServerInvalidInput(t *testing.T) {
	called := false
	h := newTestServer(func(ctx context.Context, in Input) (Output, error) {
		called = true
		var out Output
		return out, nil
	}, "")
	for _, input := range []string{"", "{", "[1, 2", "not json"} {
		resp := serverTestPost(t, h, "development", input)
		serverTestError(t, resp, http.StatusBadRequest, ErrInvalidInput)
	}
	if called {
		t.Error("the handler ran on an invalid input")
	}
}

func TestServerErrorCodes(t *testing.T) {
	for _, code := range serverTestCodes {
		t.Run(string(code), func(t *testing.T) {
			h := newTestServer(func(ctx context.Context, in Input) (Output, error) {
				var out Output
				return out, fmt.Errorf("while testing: %w", NewError(code, "boom %d", 42))
			}, "")
			msg := serverTestError(t, serverTestPost(t, h, "development", serverTestInput), http.StatusInternalServerError, code)
			if want := "while testing: boom 42"; msg != want {
				t.Errorf("message = %q, want %q", msg, want)
			}
		})
	}
}

// TestServerWrappedError checks that NewError formats as fmt.Errorf does:
// the message is sent, and errors.Is sees the cause.
func TestServerWrappedError(t *testing.T) {
	cause := errors.New("the cause")
	var got error
	h := newTestServer(func(ctx context.Context, in Input) (Output, error) {
		var out Output
		got = fmt.Errorf("outer: %w", NewError(ErrInvalidInput, "reading %s: %w", "x", cause))
		return out, got
	}, "")
	msg := serverTestError(t, serverTestPost(t, h, "development", serverTestInput), http.StatusInternalServerError, ErrInvalidInput)
	if want := "outer: reading x: the cause"; msg != want {
		t.Errorf("message = %q, want %q", msg, want)
	}
	if !errors.Is(got, cause) {
		t.Error("errors.Is does not find the cause through NewError")
	}
	var e *Error
	if !errors.As(got, &e) || e.Code != ErrInvalidInput || e.Message != "reading x: the cause" {
		t.Errorf("errors.As = %+v, want the *Error", e)
	}
	if err := NewError(ErrFailed, "no cause"); errors.Unwrap(err) != nil {
		t.Errorf("NewError without %%w has the cause %v", errors.Unwrap(err))
	}
}

func TestServerUncodedError(t *testing.T) {
	h := newTestServer(func(ctx context.Context, in Input) (Output, error) {
		var out Output
		return out, errors.New("no code")
	}, "")
	msg := serverTestError(t, serverTestPost(t, h, "development", serverTestInput), http.StatusInternalServerError, ErrFailed)
	if msg != "no code" {
		t.Errorf("message = %q, want %q", msg, "no code")
	}
}

func TestServerPanic(t *testing.T) {
	h := newTestServer(func(ctx context.Context, in Input) (Output, error) {
		panic("kaboom")
	}, "")
	msg := serverTestError(t, serverTestPost(t, h, "development", serverTestInput), http.StatusInternalServerError, ErrPanic)
	if !strings.Contains(msg, "kaboom") {
		t.Errorf("message = %q, want the panic value", msg)
	}
}

func TestServerMethods(t *testing.T) {
	h := newTestServer(serverTestHandler, "")
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodPatch} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(method, "/", nil))
		resp := w.Result()
		serverTestError(t, resp, http.StatusMethodNotAllowed, ErrFailed)
		if allow := resp.Header.Get("Allow"); allow != "POST, DELETE" {
			t.Errorf("%s: Allow = %q", method, allow)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/other", strings.NewReader(serverTestInput)))
	serverTestError(t, w.Result(), http.StatusNotFound, ErrFailed)
}

// serverTestReader yields n bytes of spaces without holding them.
type serverTestReader struct{ n int64 }

func (r *serverTestReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	for i := range p {
		p[i] = ' '
	}
	r.n -= int64(len(p))
	return len(p), nil
}

func TestServerInputLimit(t *testing.T) {
	h := newTestServer(serverTestHandler, "")
	// A declared length over 128 MiB is refused before reading.
	r := httptest.NewRequest(http.MethodPost, "/", &serverTestReader{n: maxInputBytes + 1})
	r.ContentLength = maxInputBytes + 1
	r.Header.Set("Direktiv-ActionID", "development")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	serverTestError(t, w.Result(), http.StatusRequestEntityTooLarge, ErrInvalidInput)

	// A body of unknown length is cut at the limit (lowered for the test).
	h.maxInput = 1 << 10
	input := serverTestInput + strings.Repeat(" ", 1<<10)
	r = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(input))
	r.ContentLength = -1
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	serverTestError(t, w.Result(), http.StatusRequestEntityTooLarge, ErrInvalidInput)
}

// TestServerInputUnknownLength checks that a body without a declared
// length, read in growing chunks, arrives whole.
func TestServerInputUnknownLength(t *testing.T) {
	h := newTestServer(serverTestHandler, "")
	// Over 64 KiB + 128 KiB, so that three chunks are joined.
	input := serverTestInput + strings.Repeat(" ", 300<<10)
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(input))
	r.ContentLength = -1
	r.Header.Set("Direktiv-ActionID", "development")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if resp := w.Result(); resp.StatusCode != http.StatusOK {
		t.Errorf("status = %d (%s), want 200", resp.StatusCode, resp.Header.Get("Direktiv-ErrorMessage"))
	}
	if used := serverTestBudgetUsed(h); used != 0 {
		t.Errorf("the budget holds %d bytes after the call, want 0", used)
	}
}

// serverTestBudgetUsed returns the bytes h's input budget holds.
func serverTestBudgetUsed(h *server) int64 {
	h.budget.mu.Lock()
	defer h.budget.mu.Unlock()
	return h.budget.used
}

func TestServerBudget(t *testing.T) {
	// A done context makes acquire fail at once when the bytes do not fit.
	done, cancel := context.WithCancel(context.Background())
	cancel()
	b := newByteBudget(100)
	if n, err := b.acquire(context.Background(), 60); n != 60 || err != nil {
		t.Fatalf("acquire(60) = %d, %v; want 60", n, err)
	}
	if _, err := b.acquire(done, 50); err == nil {
		t.Fatal("50 bytes more fit in a budget of 100 holding 60")
	}
	waited := make(chan error, 1)
	go func() {
		_, err := b.acquire(context.Background(), 50)
		waited <- err
	}()
	// A small one goes ahead of a large one that waits.
	if n, err := b.acquire(done, 40); n != 40 || err != nil {
		t.Fatalf("acquire(40) = %d, %v with 40 bytes free; want 40", n, err)
	}
	b.release(40)
	b.release(60)
	if err := <-waited; err != nil {
		t.Fatalf("acquire(50) once the budget is free: %v", err)
	}
	b.release(50)
	// More than the whole budget is cut to it, so that it fits alone.
	if n, err := b.acquire(done, 1000); n != 100 || err != nil {
		t.Errorf("acquire(1000) in an empty budget of 100 = %d, %v; want 100", n, err)
	}
}

// serverTestUpload starts a POST / to addr whose body declares size bytes,
// sends part of it, and returns the connection.
func serverTestUpload(t *testing.T, addr, actionID string, size int, part string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_, err = fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"+
		"Direktiv-ActionID: %s\r\nContent-Length: %d\r\n\r\n%s", addr, actionID, size, part)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// serverTestAnswer reads the answer on conn, and checks that the server
// closes the connection after it.
func serverTestAnswer(t *testing.T, conn net.Conn) *http.Response {
	t.Helper()
	// A guard against a hang, not a measure: the answer comes long before.
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	resp.Body = io.NopCloser(strings.NewReader(string(body)))
	if _, err := br.ReadByte(); err != io.EOF {
		t.Errorf("after the answer, reading the connection gives %v; want io.EOF: it must be closed", err)
	}
	return resp
}

// serverTestTracked waits until h has a call in flight with actionID:
// once it has, a DELETE / for actionID reaches it.
func serverTestTracked(h *server, actionID string) {
	for {
		h.mu.Lock()
		n := len(h.running[actionID])
		h.mu.Unlock()
		if n > 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// serverTestDelete sends DELETE / for actionID to srv.
func serverTestDelete(t *testing.T, srv *httptest.Server, actionID string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, srv.URL, nil)
	req.Header.Set("Direktiv-ActionID", actionID)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("DELETE: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("DELETE status = %d, want 200", resp.StatusCode)
	}
}

// TestServerSlowInput checks that a body that stops arriving is answered at
// the read deadline, and its connection closed.
func TestServerSlowInput(t *testing.T) {
	called := false
	h := newTestServer(func(ctx context.Context, in Input) (Output, error) {
		called = true
		var out Output
		return out, nil
	}, "")
	h.inputTimeout = 50 * time.Millisecond
	srv := httptest.NewServer(h)
	defer srv.Close()
	conn := serverTestUpload(t, srv.Listener.Addr().String(), "a1", len(serverTestInput)+100, serverTestInput)
	msg := serverTestError(t, serverTestAnswer(t, conn), http.StatusRequestTimeout, ErrInvalidInput)
	if want := "the input did not arrive within 50ms"; msg != want {
		t.Errorf("message = %q, want %q", msg, want)
	}
	if called {
		t.Error("the handler ran without the whole input")
	}
	if used := serverTestBudgetUsed(h); used != 0 {
		t.Errorf("the budget holds %d bytes after the answer, want 0", used)
	}
}

// TestServerCancelUpload checks that a DELETE / that arrives while the
// input is uploading, or while the call waits for room in the input
// budget, cancels the call.
func TestServerCancelUpload(t *testing.T) {
	called := false
	h := newTestServer(func(ctx context.Context, in Input) (Output, error) {
		called = true
		var out Output
		return out, nil
	}, "")
	srv := httptest.NewServer(h)
	defer srv.Close()
	addr := srv.Listener.Addr().String()

	conn := serverTestUpload(t, addr, "a1", len(serverTestInput)+100, serverTestInput)
	serverTestTracked(h, "a1")
	serverTestDelete(t, srv, "a1")
	if msg := serverTestError(t, serverTestAnswer(t, conn), http.StatusInternalServerError, ErrFailed); msg != errCancelled.Error() {
		t.Errorf("uploading: message = %q, want %q", msg, errCancelled)
	}

	// With the budget full, a call waits with its input unread.
	held, _ := h.budget.acquire(context.Background(), h.budget.limit)
	conn = serverTestUpload(t, addr, "a2", len(serverTestInput), serverTestInput)
	serverTestTracked(h, "a2")
	serverTestDelete(t, srv, "a2")
	if msg := serverTestError(t, serverTestAnswer(t, conn), http.StatusInternalServerError, ErrFailed); msg != errCancelled.Error() {
		t.Errorf("waiting for the budget: message = %q, want %q", msg, errCancelled)
	}
	if called {
		t.Error("the handler ran in a cancelled call")
	}

	// It goes on once the budget has room.
	answered := make(chan *http.Response, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(serverTestInput))
		req.Header.Set("Direktiv-ActionID", "a3")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Errorf("POST: %v", err)
		}
		answered <- resp
	}()
	serverTestTracked(h, "a3")
	h.budget.release(held)
	if resp := <-answered; resp == nil || resp.StatusCode != http.StatusOK {
		t.Errorf("a3 did not succeed once the budget had room: %v", resp)
	} else {
		resp.Body.Close()
	}
	if !called {
		t.Error("the handler did not run")
	}
}

func TestServerCancel(t *testing.T) {
	started := make(chan string, 2)
	release := make(chan struct{})
	h := newTestServer(func(ctx context.Context, in Input) (Output, error) {
		call, _ := CallFromContext(ctx)
		started <- call.ActionID
		var out Output
		select {
		case <-ctx.Done():
		case <-release:
		}
		// A call cancelled before its release fails.
		return out, context.Cause(ctx)
	}, "")
	srv := httptest.NewServer(h)
	defer srv.Close()

	post := func(actionID string) <-chan *http.Response {
		done := make(chan *http.Response, 1)
		go func() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(serverTestInput))
			req.Header.Set("Direktiv-ActionID", actionID)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Errorf("POST %s: %v", actionID, err)
				close(done)
				return
			}
			done <- resp
		}()
		return done
	}
	first, second := post("a1"), post("a2")
	for range 2 {
		<-started
	}

	req, _ := http.NewRequest(http.MethodDelete, srv.URL, nil)
	req.Header.Set("Direktiv-ActionID", "a1")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("DELETE: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("DELETE status = %d, want 200", resp.StatusCode)
	}

	resp = <-first
	if resp == nil {
		t.FailNow()
	}
	if msg := serverTestError(t, resp, http.StatusInternalServerError, ErrFailed); msg != errCancelled.Error() {
		t.Errorf("message = %q, want %q", msg, errCancelled)
	}
	// The DELETE of a1 has been answered: had it cancelled a2, a2 would
	// fail once released.
	close(release)
	if resp := <-second; resp == nil || resp.StatusCode != http.StatusOK {
		t.Errorf("a2 did not succeed: the DELETE of a1 cancelled it (%v)", resp)
	}
}

func TestServerConcurrent(t *testing.T) {
	// The sidecar sends up to 10 calls at once: all must run together.
	const calls = 10
	var inFlight sync.WaitGroup
	inFlight.Add(calls)
	h := newTestServer(func(ctx context.Context, in Input) (Output, error) {
		inFlight.Done()
		inFlight.Wait()
		var out Output
		return out, nil
	}, "")
	srv := httptest.NewServer(h)
	defer srv.Close()
	statuses := make(chan int, calls)
	for i := range calls {
		go func() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(serverTestInput))
			req.Header.Set("Direktiv-ActionID", fmt.Sprintf("call-%d", i))
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Errorf("POST: %v", err)
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	// Each handler waits for all 10: if they cannot all run at once, the
	// test never ends (go test -timeout reports it).
	for range calls {
		if status := <-statuses; status != http.StatusOK {
			t.Errorf("status = %d, want 200", status)
		}
	}
}

func TestServerShutdown(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	h := newTestServer(func(ctx context.Context, in Input) (Output, error) {
		close(started)
		<-release
		var out Output
		return out, nil
	}, "")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serve(ctx, ln, h) }()

	answered := make(chan int, 1)
	go func() {
		resp, err := http.Post("http://"+ln.Addr().String(), "application/json", strings.NewReader(serverTestInput))
		if err != nil {
			t.Errorf("POST: %v", err)
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	<-started
	stop() // as SIGTERM does
	// Once connections are refused, the shutdown has begun: serve must not
	// return while the call is in flight.
	for {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			break
		}
		c.Close()
		time.Sleep(time.Millisecond)
	}
	select {
	case err := <-served:
		t.Fatalf("serve returned %v with a call in flight", err)
	default:
	}
	close(release)
	if status := <-answered; status != http.StatusOK {
		t.Errorf("the call in flight got status %d, want 200", status)
	}
	if err := <-served; err != nil {
		t.Errorf("serve: %v", err)
	}
}

func TestServerSettings(t *testing.T) {
	t.Setenv("PORT", "")
	t.Setenv("DIREKTIV_SIDECAR_URL", "")
	if got, want := settingsFromEnv(), (settings{addr: ":8080", sidecarURL: "http://localhost:8889"}); got != want {
		t.Errorf("default settings = %+v, want %+v", got, want)
	}
	t.Setenv("PORT", "9090")
	t.Setenv("DIREKTIV_SIDECAR_URL", "http://127.0.0.1:9999/")
	if got, want := settingsFromEnv(), (settings{addr: ":9090", sidecarURL: "http://127.0.0.1:9999"}); got != want {
		t.Errorf("settings = %+v, want %+v", got, want)
	}
}

func TestServerHeaderValue(t *testing.T) {
	long := strings.Repeat("é", maxHeaderMessage)
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"/a: bad\n/b: worse\r\n", "/a: bad /b: worse"},
		{"tab\there\x00", "tab here"},
		{long, long[:maxHeaderMessage] + "..."},
	}
	for _, tt := range tests {
		if got := headerValue(tt.in); got != tt.want {
			t.Errorf("headerValue(%.20q) = %.20q... (%d bytes), want %.20q... (%d bytes)", tt.in, got, len(got), tt.want, len(tt.want))
		}
	}
}

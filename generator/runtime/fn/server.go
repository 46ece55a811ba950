package fn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"
)

const (
	// maxInputBytes is the largest input accepted: 128 MiB, the sidecar's own
	// limit.
	maxInputBytes = 128 << 20
	// inputBudget bounds the bytes of input held by the calls in flight:
	// 128 MiB, one input of the largest size. A call reserves its input's
	// size (Content-Length; the largest size when the length is not given)
	// before reading it and frees it once it has answered, since the decoded
	// Input lives as long as the call. A call whose input does not fit
	// waits, its input unread, until calls in flight answer. With 10 calls
	// of 127 MB at once (the sidecar's concurrency and limit) the process
	// peaks at about 400 MB of RSS (see the README).
	inputBudget = 128 << 20
	// collectAfterBytes is the input size from which a call's end runs a
	// garbage collection.
	collectAfterBytes = 16 << 20
	// inputReadTimeout bounds the reading of one input, from the moment the
	// budget holds it. A client that stops sending is answered then, and its
	// connection closed.
	inputReadTimeout = time.Minute
	// maxHeaderMessage is the longest error message sent in the
	// Direktiv-ErrorMessage header, in bytes; the JSON body holds it in full.
	maxHeaderMessage = 8 << 10
	// logTimeout bounds the delivery of one log message to the sidecar.
	logTimeout = 10 * time.Second
	// sidecarConns bounds the connections to the sidecar, all of which are
	// kept open between messages: the sidecar runs up to 10 calls at once,
	// each of which logs one message at a time unless its handler logs from
	// several goroutines. A message waits for a free connection rather than
	// open one more and close it after.
	sidecarConns = 16
	// maxLogBytes is the longest log message the sidecar takes: 4 MiB. It
	// refuses a longer one whole.
	maxLogBytes = 4 << 20
	// developmentActionID is the action id of a local run.
	developmentActionID = "development"
)

// The headers of Direktiv's function protocol.
const (
	headerActionID     = "Direktiv-ActionID"
	headerTempDir      = "Direktiv-TempDir"
	headerIterator     = "Direktiv-Iterator"
	headerErrorCode    = "Direktiv-ErrorCode"
	headerErrorMessage = "Direktiv-ErrorMessage"
)

// errCancelled is the cause of a call's context cancellation by DELETE /.
var errCancelled = errors.New("cancelled by Direktiv (action timeout or instance cancelled)")

// Serve runs f as a knative-workflow function: it serves the calls of
// Direktiv's sidecar on ":$PORT" (":8080" by default) until SIGTERM or an
// interrupt, then lets the calls in flight finish; a second signal ends
// the process at once. It logs to the sidecar at $DIREKTIV_SIDECAR_URL
// (http://localhost:8889 by default), and exits with status 1 when it
// cannot serve.
func Serve[In, Out any](f Function[In, Out]) {
	if err := serveEnv(f.runner()); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", f.ID, err)
		os.Exit(1)
	}
}

// Handler returns the HTTP handler of f that Serve serves, logging to the
// sidecar at sidecarURL: POST / runs a call, DELETE / cancels the calls of
// an action id. Tests of a function call it.
func Handler[In, Out any](f Function[In, Out], sidecarURL string) http.Handler {
	return newServer(f.runner(), sidecarURL)
}

// serveEnv serves the calls of r, as Serve says, with the settings of the
// environment.
func serveEnv(r runner) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	env := settingsFromEnv()
	srv := newServer(r, env.sidecarURL)
	if err := srv.sidecar.err; err != nil {
		return fmt.Errorf("DIREKTIV_SIDECAR_URL: %w", err)
	}
	ln, err := net.Listen("tcp", env.addr)
	if err != nil {
		return err
	}
	fmt.Printf("%s: listening on %s\n", r.id, ln.Addr())
	return serve(ctx, ln, srv)
}

// settings is the configuration the environment gives the server.
type settings struct {
	// addr is the address to listen on: ":$PORT", by default ":8080".
	addr string
	// sidecarURL is the sidecar's base URL: $DIREKTIV_SIDECAR_URL, by
	// default http://localhost:8889.
	sidecarURL string
}

// settingsFromEnv reads the settings from the environment.
func settingsFromEnv() settings {
	s := settings{addr: ":8080", sidecarURL: "http://localhost:8889"}
	if port := os.Getenv("PORT"); port != "" {
		s.addr = ":" + port
	}
	if u := os.Getenv("DIREKTIV_SIDECAR_URL"); u != "" {
		s.sidecarURL = strings.TrimRight(u, "/")
	}
	return s
}

// serve answers requests on ln with h until ctx is done, then stops
// accepting connections and returns once the requests in flight are
// answered.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// No ReadTimeout or WriteTimeout: a call lasts as long as its
		// action's timeout allows (15 minutes by default). The server bounds
		// the reading of the input itself, and Direktiv ends calls with
		// DELETE /.
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	// Kubernetes kills the process when the pod's grace period ends.
	return srv.Shutdown(context.Background())
}

// server answers the sidecar: POST / runs a call, DELETE / cancels the
// calls of an action id. It is safe for concurrent use.
type server struct {
	run runner
	// sidecar delivers the calls' log messages.
	sidecar  *sidecarLog
	maxInput int64
	// budget holds the input bytes of the calls in flight.
	budget *byteBudget
	// inputTimeout bounds the reading of one input.
	inputTimeout time.Duration

	mu sync.Mutex
	// running holds the cancel functions of the calls in flight, by action id.
	running map[string]map[*context.CancelCauseFunc]struct{}
}

// newServer returns a server that runs r for each call and sends the
// calls' logs to the sidecar at sidecarURL, an http:// URL.
func newServer(r runner, sidecarURL string) *server {
	return &server{
		run:          r,
		sidecar:      newSidecarLog(sidecarURL),
		maxInput:     maxInputBytes,
		budget:       newByteBudget(inputBudget),
		inputTimeout: inputReadTimeout,
		running:      map[string]map[*context.CancelCauseFunc]struct{}{},
	}
}

// ServeHTTP routes a request of the sidecar.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		writeError(w, http.StatusNotFound, s.run.failed, fmt.Sprintf("no such path %q: Direktiv calls POST /", r.URL.Path))
		return
	}
	switch r.Method {
	case http.MethodPost:
		s.call(w, r)
	case http.MethodDelete:
		s.cancel(w, r)
	default:
		w.Header().Set("Allow", "POST, DELETE")
		writeError(w, http.StatusMethodNotAllowed, s.run.failed, fmt.Sprintf("method %s not allowed: Direktiv calls POST / and cancels with DELETE /", r.Method))
	}
}

// call runs one call: it reads and decodes the input, runs the handler and
// answers with its output as JSON or with a catchable error.
func (s *server) call(w http.ResponseWriter, r *http.Request) {
	c := &Call{
		ActionID: r.Header.Get(headerActionID),
		TempDir:  r.Header.Get(headerTempDir),
	}
	// A missing or malformed iterator means the call is not in a branch.
	c.Iterator, _ = strconv.Atoi(r.Header.Get(headerIterator))
	c.log = s.logger(c.ActionID)

	// The call is registered before its input is read, so that a DELETE /
	// that arrives while the input is uploading cancels it too.
	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	defer s.track(c.ActionID, &cancel)()

	body, reserved, status, err := s.readInput(ctx, w, r)
	if err != nil {
		if cause := context.Cause(ctx); errors.Is(cause, errCancelled) {
			writeError(w, http.StatusInternalServerError, s.run.failed, cause.Error())
			return
		}
		writeError(w, status, s.run.invalid, err.Error())
		return
	}
	defer s.release(reserved)
	data, e := s.run.call(withCall(ctx, c), body)
	if e != nil {
		status := http.StatusInternalServerError
		if e.input {
			status = http.StatusBadRequest
		}
		writeError(w, status, e.code, e.message)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

// release gives back the input bytes of a call that has answered. After a
// large input it also runs a garbage collection, in the background: the
// input and its decoded values are garbage now, and collecting them at once
// lets the next large input reuse their memory, where by default the heap
// would grow to twice what is live before the next collection.
func (s *server) release(reserved int64) {
	s.budget.release(reserved)
	if reserved >= collectAfterBytes {
		go runtime.GC()
	}
}

// errInputTooLarge is the failure of an input over the size limit.
var errInputTooLarge = errors.New("the input is too large")

// readInput reads the request body: at most s.maxInput bytes, within
// s.inputTimeout, once s.budget holds its size. It returns the bytes
// reserved in the budget, which the caller releases once the call has
// answered. On failure nothing stays reserved, it returns the HTTP status
// to answer with, and the connection is closed after the answer: the rest
// of the body is neither read nor awaited. A cancelled ctx (DELETE /, or
// the client gone) ends the wait and the reading at once.
func (s *server) readInput(ctx context.Context, w http.ResponseWriter, r *http.Request) (body []byte, reserved int64, status int, err error) {
	if r.ContentLength > s.maxInput {
		return nil, 0, http.StatusRequestEntityTooLarge, fmt.Errorf("the input is larger than %d bytes", s.maxInput)
	}
	// Recorders in tests do not support deadlines, hence no checks.
	rc := http.NewResponseController(w)
	fail := func(status int, err error) ([]byte, int64, int, error) {
		// An expired read deadline keeps net/http from waiting for the
		// rest of the body after the answer.
		_ = rc.SetReadDeadline(time.Now())
		w.Header().Set("Connection", "close")
		return nil, 0, status, err
	}
	// A body of unknown length reserves the largest size, and gives back
	// what it did not use once read.
	reserved = r.ContentLength
	if reserved < 0 {
		reserved = s.maxInput
	}
	if reserved, err = s.budget.acquire(ctx, reserved); err != nil {
		return fail(http.StatusServiceUnavailable, err)
	}
	// The deadline covers the body only: it is lifted before the handler
	// runs.
	_ = rc.SetReadDeadline(time.Now().Add(s.inputTimeout))
	stop := context.AfterFunc(ctx, func() { _ = rc.SetReadDeadline(time.Now()) })
	body, err = readBody(r.Body, r.ContentLength, s.maxInput)
	if stopped := stop(); !stopped && err == nil {
		err = context.Cause(ctx)
	}
	if err != nil {
		s.budget.release(reserved)
		switch {
		case errors.Is(err, errInputTooLarge):
			return fail(http.StatusRequestEntityTooLarge, fmt.Errorf("the input is larger than %d bytes", s.maxInput))
		case errors.Is(err, os.ErrDeadlineExceeded):
			return fail(http.StatusRequestTimeout, fmt.Errorf("the input did not arrive within %s", s.inputTimeout))
		}
		return fail(http.StatusBadRequest, fmt.Errorf("reading the input: %w", err))
	}
	_ = rc.SetReadDeadline(time.Time{})
	if int64(len(body)) < reserved {
		s.budget.release(reserved - int64(len(body)))
		reserved = int64(len(body))
	}
	return body, reserved, 0, nil
}

// readBody reads a body of length bytes, or of unknown length when length
// is negative, refusing more than limit bytes with errInputTooLarge. It
// allocates the input at its size: io.ReadAll grows its buffer step by
// step, leaving several times the input's size behind as garbage.
func readBody(rd io.Reader, length, limit int64) ([]byte, error) {
	if length >= 0 {
		body := make([]byte, length)
		n, err := io.ReadFull(rd, body)
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("the input ended after %d of its %d bytes", n, length)
		}
		return body, err
	}
	// Chunks of growing size, joined once at the end.
	var chunks [][]byte
	var total int64
	size := int64(64 << 10)
	for {
		chunk := make([]byte, min(size, limit+1-total))
		n, err := io.ReadFull(rd, chunk)
		chunks = append(chunks, chunk[:n])
		total += int64(n)
		switch {
		case total > limit:
			return nil, errInputTooLarge
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			return bytes.Join(chunks, nil), nil
		case err != nil:
			return nil, err
		}
		size = min(2*size, 8<<20)
	}
}

// byteBudget bounds a number of bytes held at once. Any waiting caller
// whose bytes fit goes ahead, so a small input never waits behind a large
// one while the budget has room for it. It is safe for concurrent use.
type byteBudget struct {
	mu    sync.Mutex
	limit int64
	used  int64
	// freed is closed, and replaced, whenever bytes are released.
	freed chan struct{}
}

// newByteBudget returns a budget of limit bytes.
func newByteBudget(limit int64) *byteBudget {
	return &byteBudget{limit: limit, freed: make(chan struct{})}
}

// acquire waits until n bytes fit in the budget, or ctx is done, and holds
// them. n is cut to the budget's limit, so that anything fits once alone;
// it returns the bytes held.
func (b *byteBudget) acquire(ctx context.Context, n int64) (int64, error) {
	n = min(n, b.limit)
	for {
		b.mu.Lock()
		if b.used+n <= b.limit {
			b.used += n
			b.mu.Unlock()
			return n, nil
		}
		freed := b.freed
		b.mu.Unlock()
		select {
		case <-ctx.Done():
			return 0, context.Cause(ctx)
		case <-freed:
		}
	}
}

// release gives back n bytes held by acquire.
func (b *byteBudget) release(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= n
	close(b.freed)
	b.freed = make(chan struct{})
}

// track registers the cancel function of a call in flight under its action
// id for DELETE /. The returned function removes it.
func (s *server) track(actionID string, cancel *context.CancelCauseFunc) (untrack func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running[actionID] == nil {
		s.running[actionID] = map[*context.CancelCauseFunc]struct{}{}
	}
	s.running[actionID][cancel] = struct{}{}
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.running[actionID], cancel)
		if len(s.running[actionID]) == 0 {
			delete(s.running, actionID)
		}
	}
}

// cancel cancels the context of every call in flight with the request's
// action id. The sidecar sends it at the action's deadline or when the
// instance is cancelled, and abandons the call 10 seconds later.
func (s *server) cancel(w http.ResponseWriter, r *http.Request) {
	actionID := r.Header.Get(headerActionID)
	if actionID == "" {
		writeError(w, http.StatusBadRequest, s.run.failed, "DELETE / needs the "+headerActionID+" header")
		return
	}
	s.mu.Lock()
	for cancel := range s.running[actionID] {
		(*cancel)(errCancelled)
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// logger returns the log of the call with actionID: the sidecar, or stdout
// for a local run.
func (s *server) logger(actionID string) func(msg string) {
	if actionID == "" || actionID == developmentActionID {
		return logStdout
	}
	return func(msg string) {
		msg = sidecarLogMessage(msg)
		if err := s.sidecar.send(actionID, msg); err != nil {
			fmt.Fprintf(os.Stderr, "%s: log of action %s not delivered: %v: %s\n", s.run.id, actionID, err, msg)
		}
	}
}

// errorBody is the JSON body of an error response, for humans: Direktiv
// reads the headers.
type errorBody struct {
	Code    ErrorCode `json:"errorCode"`
	Message string    `json:"errorMessage"`
}

// writeError answers with a catchable error: the Direktiv-ErrorCode and
// Direktiv-ErrorMessage headers, which Direktiv reads whatever the status,
// and the same as a JSON body.
func writeError(w http.ResponseWriter, status int, code ErrorCode, msg string) {
	h := w.Header()
	h.Set(headerErrorCode, string(code))
	h.Set(headerErrorMessage, headerValue(msg))
	h.Set("Content-Type", "application/json")
	// A struct of two strings always encodes.
	data, _ := marshalJSON(errorBody{Code: code, Message: msg})
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// headerValue makes msg a valid header value: control characters become
// spaces, and a message longer than maxHeaderMessage bytes is cut.
func headerValue(msg string) string {
	msg = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, msg)
	if len(msg) > maxHeaderMessage {
		cut := maxHeaderMessage
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "..."
	}
	return strings.TrimSpace(msg)
}

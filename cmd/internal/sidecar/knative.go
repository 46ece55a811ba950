package sidecar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// The headers of Direktiv's function protocol.
const (
	headerActionID     = "Direktiv-ActionID"
	headerTempDir      = "Direktiv-TempDir"
	headerIterator     = "Direktiv-Iterator"
	headerErrorCode    = "Direktiv-ErrorCode"
	headerErrorMessage = "Direktiv-ErrorMessage"
)

// direktivURL is the function's address as Direktiv's sidecar writes it in
// its error messages.
const direktivURL = "http://localhost:8080"

// knativeScopes are the folders of out/, in the order Direktiv's sidecar
// collects them (out/file since v0.8.0).
var knativeScopes = []string{"file", "namespace", "workflow", "instance"}

// knative is a running knative-workflow function and its sidecar.
type knative struct {
	opts   Options
	proc   *process
	side   *endpoints
	base   string // http://127.0.0.1:<port>
	client *http.Client
	// calls counts the calls; the first one's output includes the
	// process's start.
	calls atomic.Int64
}

// startKnative starts the sidecar's endpoints and the function, and waits
// until the function accepts connections.
func startKnative(ctx context.Context, opts Options) (*knative, error) {
	side, err := newEndpoints(opts.Variables)
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		side.close()
		return nil, err
	}
	env := environ(opts.Env, map[string]string{
		"PORT":                 strconv.Itoa(port),
		"DIREKTIV_SIDECAR_URL": side.url,
	})
	proc, err := startProcess(opts.Command, opts.Dir, env, opts.OnOutput)
	if err != nil {
		side.close()
		return nil, &StartError{Err: err}
	}
	k := &knative{
		opts:   opts,
		proc:   proc,
		side:   side,
		base:   "http://127.0.0.1:" + strconv.Itoa(port),
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 10}},
	}
	if err := k.waitReady(ctx, port); err != nil {
		proc.kill()
		side.close()
		return nil, err
	}
	return k, nil
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	return port, ln.Close()
}

// waitReady dials the function every opts.ReadyInterval (250 ms, as
// Direktiv's sidecar), until it accepts a connection, exits, or ReadyTimeout passes.
func (k *knative) waitReady(ctx context.Context, port int) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(k.opts.ReadyTimeout)
	for {
		conn, err := net.DialTimeout("tcp", addr, DefaultReadyDial)
		if err == nil {
			conn.Close()
			return nil
		}
		if !k.proc.running() {
			return k.proc.startError(fmt.Errorf("the function exited before accepting connections on port %d ($PORT): %s", port, k.proc.status()))
		}
		if time.Now().After(deadline) {
			return k.proc.startError(fmt.Errorf("%w on port %d ($PORT) within %s: Direktiv's sidecar gives up after %s", errNotReady, port, k.opts.ReadyTimeout, DefaultReadyTimeout))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(k.opts.ReadyInterval):
		case <-k.proc.exited:
		}
	}
}

// Close stops the function with SIGTERM, as Kubernetes does, and the
// sidecar's endpoints.
func (k *knative) Close() error {
	defer k.side.close()
	return k.proc.stop(k.opts.StopGrace)
}

// answer is the function's answer to the POST.
type answer struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// Call POSTs the input to the function as Direktiv's sidecar does and
// applies Direktiv's rules to the answer.
func (k *knative) Call(ctx context.Context, c Call) (*Result, error) {
	if err := checkCall(c); err != nil {
		return nil, err
	}
	aid := c.ActionID
	if aid == "" {
		aid = newActionID()
	}
	res := &Result{Mode: Knative, ActionID: aid, Logs: []LogLine{}, Variables: []Variable{}, Notes: []string{}}

	root, err := os.MkdirTemp("", "direktiv-fn-shared-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(root)
	dir := filepath.Join(root, aid)
	if err := prepareDir(dir, c.Files, knativeScopes); err != nil {
		return nil, err
	}

	call := k.side.register(aid, k.opts.OnLog)
	defer k.side.deregister(aid)
	mark := k.proc.mark()
	if k.calls.Add(1) == 1 {
		mark = 0
	}
	start := time.Now()

	reqCtx, abandon := context.WithCancel(context.Background())
	defer abandon()
	answers := make(chan answer, 1)
	go func() { answers <- k.post(reqCtx, aid, dir, c) }()

	var ans answer
	timer := time.NewTimer(k.opts.Timeout)
	defer timer.Stop()
	select {
	case ans = <-answers:
	case <-ctx.Done():
		abandon()
		<-answers
		return nil, ctx.Err()
	case <-timer.C:
		res.TimedOut = true
		ans = k.cancel(ctx, res, aid, answers, abandon)
	}
	res.Duration = time.Since(start)
	k.outcome(res, ans, dir)
	if ans.err != nil {
		// A failed request may be the process dying: give the exit a
		// moment to be noticed.
		select {
		case <-k.proc.exited:
		case <-time.After(200 * time.Millisecond):
		}
	}
	if !k.proc.running() {
		res.ExitStatus = k.proc.status()
		res.note("the process ended during the call (%s): Direktiv would restart the container", res.ExitStatus)
	}
	var notes []string
	res.Logs, res.Variables, notes = k.collect(call, res.Variables)
	res.Notes = append(res.Notes, notes...)
	res.Output = k.proc.since(mark)
	k.proc.noteOutput(res, mark)
	return res, nil
}

// post sends the call's POST / and reads the answer.
func (k *knative) post(ctx context.Context, aid, dir string, c Call) answer {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, k.base+"/", bytes.NewReader(c.Input))
	if err != nil {
		return answer{err: err}
	}
	req.Header.Set(headerActionID, aid)
	req.Header.Set(headerIterator, strconv.Itoa(c.Iterator))
	req.Header.Set(headerTempDir, dir)
	req.Header.Set("Content-Type", "application/json")
	resp, err := k.client.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	if resp.ContentLength > MaxBody {
		return answer{status: resp.StatusCode, header: resp.Header, err: fmt.Errorf("service response is too large")}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	return answer{status: resp.StatusCode, header: resp.Header, body: body, err: err}
}

// cancel handles a call that overran its timeout: DELETE / with only the
// action id, then the answer if it comes within the grace, else the call is
// abandoned.
func (k *knative) cancel(ctx context.Context, res *Result, aid string, answers <-chan answer, abandon func()) answer {
	cn := &Cancel{}
	res.Cancel = cn
	sent := time.Now()
	deleted := make(chan Cancel, 1)
	go func() { deleted <- k.sendDelete(aid) }()
	grace := time.NewTimer(k.opts.CancelGrace)
	defer grace.Stop()
	var ans answer
	select {
	case ans = <-answers:
		cn.Answered = true
		cn.After = time.Since(sent)
	case <-grace.C:
		abandon()
		ans = <-answers
	case <-ctx.Done():
		abandon()
		ans = <-answers
	}
	select {
	case d := <-deleted:
		cn.Status, cn.Error = d.Status, d.Error
	case <-time.After(time.Second):
		cn.Error = "no answer to DELETE / within a second"
	}
	if cn.Answered {
		res.note("the call overran its timeout of %s: Direktiv sent DELETE / (%s) and the function answered %s later; Direktiv takes that answer", k.opts.Timeout, k.deleteText(cn), cn.After.Round(time.Millisecond))
	} else {
		res.note("the call overran its timeout of %s: Direktiv sent DELETE / (%s) and abandoned the call %s later: the instance crashes (uncatchable)", k.opts.Timeout, k.deleteText(cn), k.opts.CancelGrace)
	}
	return ans
}

// sendDelete sends DELETE / with only the action id, as Direktiv's
// sidecar does, and returns the answer's status or error.
func (k *knative) sendDelete(aid string) Cancel {
	req, err := http.NewRequest(http.MethodDelete, k.base+"/", nil)
	if err != nil {
		return Cancel{Error: err.Error()}
	}
	req.Header.Set(headerActionID, aid)
	resp, err := k.client.Do(req)
	if err != nil {
		return Cancel{Error: k.direktivText(err.Error())}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return Cancel{Status: resp.StatusCode}
}

// deleteText describes the answer to DELETE /.
func (k *knative) deleteText(cn *Cancel) string {
	if cn.Error != "" {
		return "no answer: " + cn.Error
	}
	if cn.Status != http.StatusOK {
		return fmt.Sprintf("answered %d, not 200", cn.Status)
	}
	return "answered 200"
}

// outcome applies Direktiv's rules to the answer, and collects the
// variables of out/ when Direktiv would.
func (k *knative) outcome(res *Result, ans answer, dir string) {
	if ans.err != nil {
		// The sidecar reports a failed request as an error without a
		// code: uncatchable. It never collects out/ then.
		res.fail("", k.direktivText(ans.err.Error()))
		if n := countFiles(filepath.Join(dir, "out")); n > 0 {
			res.note("%d file(s) in out/ are not turned into variables: Direktiv collects them only when the function answers", n)
		}
		return
	}
	res.HTTPStatus = ans.status
	code, msg := ans.header.Get(headerErrorCode), ans.header.Get(headerErrorMessage)
	ok := ans.status >= 200 && ans.status < 300
	switch {
	case code != "":
		res.fail(code, msg)
		if msg == "" {
			res.note("the answer has %s but no %s: always set both", headerErrorCode, headerErrorMessage)
		}
	case !ok:
		res.fail(CodeContainerFailed, "")
		res.note("status %d without %s: Direktiv (v0.8.0 and later) reports the catchable code %q with an empty message", ans.status, headerErrorCode, CodeContainerFailed)
		if msg != "" {
			res.note("the %s header is dropped without %s", headerErrorMessage, headerErrorCode)
		}
	case msg != "":
		res.fail("", msg)
		res.note("%s without %s: the instance crashes (uncatchable); set a code to make it catchable", headerErrorMessage, headerErrorCode)
	default:
		res.Outcome = Success
		res.Return, res.ReturnBase64 = storedReturn(ans.body)
		if res.ReturnBase64 {
			res.note("the output is not JSON: Direktiv stores it base64-encoded as a string")
		}
	}
	vars, err := harvest(filepath.Join(dir, "out"), knativeScopes, knativeVarName())
	for _, v := range vars {
		k.side.set(v)
	}
	res.Variables = vars
	var bad *badNameError
	switch {
	case errors.As(err, &bad):
		res.fail("", errBadVarName)
		res.Return, res.ReturnBase64 = nil, false
		res.note("%s: %q is not a Direktiv variable name (%s): the sidecar fails to set it and the instance crashes (uncatchable), whatever the answer was; the %d variable(s) of out/ before it were set, those after it not", bad.source, path.Base(bad.source), knativeVarName(), len(vars))
	case err != nil:
		res.fail("", err.Error())
		res.Return, res.ReturnBase64 = nil, false
		res.note("collecting the variables of out/ failed: Direktiv's sidecar reports that as an uncatchable error")
	}
}

// collect returns the call's logs, its variables (the writes to /var, then
// the files of out/) and the sidecar's notes on the call.
func (k *knative) collect(call *activeCall, out []Variable) ([]LogLine, []Variable, []string) {
	logs, sets, notes := call.snapshot()
	if logs == nil {
		logs = []LogLine{}
	}
	return logs, append(sets, out...), notes
}

// direktivText rewrites an error of the local request so that it reads as
// Direktiv's sidecar's would (it calls http://localhost:8080).
func (k *knative) direktivText(s string) string {
	s = strings.ReplaceAll(s, `"`+k.base+`/"`, `"`+direktivURL+`"`)
	return strings.ReplaceAll(s, k.base+"/", direktivURL)
}

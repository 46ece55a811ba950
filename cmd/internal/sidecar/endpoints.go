package sidecar

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// errBadVarName is the sidecar's answer to POST /var with a key that is
// not a variable name (Direktiv v0.8.10): the variable API's refusal.
const errBadVarName = "failed to post variable data: API error: code request_data_invalid - message: field name has invalid string"

// endpoints is the knative sidecar's local server: /log and /var for the
// calls in flight, on a loopback port.
type endpoints struct {
	srv *http.Server
	url string

	mu    sync.Mutex
	calls map[string]*activeCall
	// vars is the variable store, by scope and name: the variables given
	// in Options, then those the calls set.
	vars map[[2]string][]byte
}

// activeCall is a call in flight, known by its action id.
type activeCall struct {
	start time.Time
	onLog func(LogLine)

	mu   sync.Mutex
	logs []LogLine
	sets []Variable
	// notes explain what the sidecar refused or changed during the call.
	notes []string
}

// newEndpoints starts the sidecar's server on a free loopback port.
func newEndpoints(vars []Variable) (*endpoints, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("starting the sidecar endpoints: %w", err)
	}
	e := &endpoints{
		url:   "http://" + ln.Addr().String(),
		calls: map[string]*activeCall{},
		vars:  map[[2]string][]byte{},
	}
	for _, v := range vars {
		e.vars[[2]string{v.Scope, v.Name}] = v.Data
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/log", e.log)
	mux.HandleFunc("/var", e.variable)
	e.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = e.srv.Serve(ln) }()
	return e, nil
}

// close stops the server.
func (e *endpoints) close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = e.srv.Shutdown(ctx)
}

// register makes the call with actionID known to /log and /var.
func (e *endpoints) register(actionID string, onLog func(LogLine)) *activeCall {
	c := &activeCall{start: time.Now(), onLog: onLog}
	e.mu.Lock()
	e.calls[actionID] = c
	e.mu.Unlock()
	return c
}

// deregister forgets the call: /log and /var answer 404 for it.
func (e *endpoints) deregister(actionID string) {
	e.mu.Lock()
	delete(e.calls, actionID)
	e.mu.Unlock()
}

// call returns the call in flight with the request's action id.
func (e *endpoints) call(w http.ResponseWriter, r *http.Request) *activeCall {
	aid := r.URL.Query().Get("aid")
	e.mu.Lock()
	c := e.calls[aid]
	e.mu.Unlock()
	if c == nil {
		http.Error(w, fmt.Sprintf("actionId %s not found", aid), http.StatusNotFound)
	}
	return c
}

// log adds a message to the call's log: the body of a POST, or the "log"
// query parameter for any other method. Empty messages are dropped.
func (e *endpoints) log(w http.ResponseWriter, r *http.Request) {
	c := e.call(w, r)
	if c == nil {
		return
	}
	var msg string
	if r.Method == http.MethodPost {
		if r.ContentLength > MaxLog {
			c.note("a log message of %d bytes was refused (413 Request Entity Too Large): the sidecar takes at most %d MiB per message; it is not in the instance log", r.ContentLength, MaxLog>>20)
			http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
			return
		}
		data, err := io.ReadAll(io.LimitReader(r.Body, MaxLog+1))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if len(data) > MaxLog {
			// Without a Content-Length the sidecar reads the first 4 MiB
			// and logs them.
			data = data[:MaxLog]
			c.note("a log message sent without Content-Length was longer than %d MiB: the sidecar logs its first %d MiB only", MaxLog>>20, MaxLog>>20)
		}
		msg = string(data)
	} else {
		msg = r.URL.Query().Get("log")
	}
	if msg == "" {
		return
	}
	line := LogLine{At: time.Since(c.start), Message: msg}
	c.mu.Lock()
	c.logs = append(c.logs, line)
	c.mu.Unlock()
	if c.onLog != nil {
		c.onLog(line)
	}
}

// variable reads (GET) or writes (POST) the variable of a scope and key.
func (e *endpoints) variable(w http.ResponseWriter, r *http.Request) {
	c := e.call(w, r)
	if c == nil {
		return
	}
	q := r.URL.Query()
	scope, key := q.Get("scope"), q.Get("key")
	switch scope {
	case "namespace", "workflow", "instance":
	default:
		http.Error(w, fmt.Sprintf("bad scope %q (choose namespace, workflow or instance)", scope), http.StatusBadRequest)
		return
	}
	id := [2]string{scope, key}
	switch r.Method {
	case http.MethodGet:
		e.mu.Lock()
		data, ok := e.vars[id]
		e.mu.Unlock()
		if !ok {
			http.Error(w, fmt.Sprintf("variable %s/%s not found", scope, key), http.StatusNotFound)
			return
		}
		_, _ = w.Write(data)
	case http.MethodPost:
		if !ValidVarName(Knative, key) {
			c.note("POST /var with the key %q (scope %s): not a Direktiv variable name (%s): the sidecar answers 400 and sets nothing", key, scope, knativeVarName())
			http.Error(w, errBadVarName, http.StatusBadRequest)
			return
		}
		data, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if len(data) > MaxBody {
			http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
			return
		}
		e.set(Variable{Scope: scope, Name: key, Data: data, Source: "/var"})
		c.mu.Lock()
		c.sets = append(c.sets, Variable{Scope: scope, Name: key, Data: data, Source: "/var"})
		c.mu.Unlock()
	default:
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
	}
}

// set stores a variable for later reads.
func (e *endpoints) set(v Variable) {
	e.mu.Lock()
	e.vars[[2]string{v.Scope, v.Name}] = v.Data
	e.mu.Unlock()
}

// note records a note for the call's result.
func (c *activeCall) note(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// snapshot returns the call's logs, variable writes and notes so far.
func (c *activeCall) snapshot() ([]LogLine, []Variable, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]LogLine(nil), c.logs...), append([]Variable(nil), c.sets...), append([]string(nil), c.notes...)
}

// errNotReady is the cause of a function that never accepted connections.
var errNotReady = errors.New("the function did not accept connections")

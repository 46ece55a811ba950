package fn

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestServerLogs(t *testing.T) {
	type logLine struct{ method, path, aid, body string }
	var (
		mu    sync.Mutex
		lines []logLine
	)
	sidecar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		lines = append(lines, logLine{r.Method, r.URL.Path, r.URL.Query().Get("aid"), string(body)})
		mu.Unlock()
	}))
	defer sidecar.Close()
	t.Setenv("DIREKTIV_SIDECAR_URL", sidecar.URL+"/")

	h := newTestServer(func(ctx context.Context, in Input) (Output, error) {
		Logf(ctx, "hello %d", 42)
		var out Output
		return out, nil
	}, settingsFromEnv().sidecarURL)
	if resp := serverTestPost(t, h, "a1", serverTestInput); resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", resp.StatusCode)
	}
	// Local runs log to stdout, not to the sidecar.
	for _, actionID := range []string{"development", ""} {
		if resp := serverTestPost(t, h, actionID, serverTestInput); resp.StatusCode != http.StatusOK {
			t.Fatalf("status = %d, want 200", resp.StatusCode)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	want := []logLine{
		{http.MethodPost, "/log", "a1", "hello 42"},
	}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Errorf("the sidecar got %q, want %q", lines, want)
	}
}

// TestServerLogLimit checks the messages sent to the sidecar: none for an
// empty message, and one over the sidecar's 4 MiB cut to fit, marked.
func TestServerLogLimit(t *testing.T) {
	var (
		mu     sync.Mutex
		bodies []string
	)
	sidecar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(body))
		mu.Unlock()
	}))
	defer sidecar.Close()

	// One byte over the limit, which falls inside a two-byte character.
	long := "a" + strings.Repeat("é", maxLogBytes/2)
	h := newTestServer(func(ctx context.Context, in Input) (Output, error) {
		Logf(ctx, "")
		Logf(ctx, "\n")
		Logf(ctx, "%s", long)
		Logf(ctx, "short")
		var out Output
		return out, nil
	}, sidecar.URL)
	if resp := serverTestPost(t, h, "a1", serverTestInput); resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", resp.StatusCode)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 2 || bodies[1] != "short" {
		t.Fatalf("the sidecar got %d messages, want the long one and short: empty messages are dropped", len(bodies))
	}
	got := bodies[0]
	marker := fmt.Sprintf(" ... [log message cut: %d bytes; the sidecar takes %d]", len(long), maxLogBytes)
	if len(got) > maxLogBytes || !utf8.ValidString(got) || !strings.HasPrefix(got, "aéé") || !strings.HasSuffix(got, marker) {
		t.Errorf("the long message has %d bytes (valid UTF-8: %v) and ends %q; want at most %d, ending %q",
			len(got), utf8.ValidString(got), got[max(0, len(got)-80):], maxLogBytes, marker)
	}
}

// serverTestSidecar is a sidecar's /log that records the messages and
// counts the connections opened to it. answer, when set, answers instead
// of 200.
type serverTestSidecar struct {
	*httptest.Server
	mu     sync.Mutex
	conns  int
	lines  map[string][]string
	answer func(w http.ResponseWriter)
}

func newServerTestSidecar(t *testing.T) *serverTestSidecar {
	sc := &serverTestSidecar{lines: map[string][]string{}}
	sc.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sc.mu.Lock()
		defer sc.mu.Unlock()
		if r.Method != http.MethodPost || r.URL.Path != "/log" {
			t.Errorf("the sidecar got %s %s", r.Method, r.URL)
		}
		aid := r.URL.Query().Get("aid")
		sc.lines[aid] = append(sc.lines[aid], string(body))
		if sc.answer != nil {
			sc.answer(w)
		}
	}))
	sc.Config.ConnState = func(c net.Conn, state http.ConnState) {
		if state == http.StateNew {
			sc.mu.Lock()
			sc.conns++
			sc.mu.Unlock()
		}
	}
	sc.Start()
	t.Cleanup(sc.Close)
	return sc
}

// serverTestLogLines is a handler that logs n numbered lines.
func serverTestLogLines(n int) handlerFunc {
	return func(ctx context.Context, in Input) (Output, error) {
		for i := range n {
			Logf(ctx, "line %d", i)
		}
		var out Output
		return out, nil
	}
}

// TestServerLogConns checks that log messages reuse their connections to
// the sidecar, and arrive in order before the call answers.
func TestServerLogConns(t *testing.T) {
	sc := newServerTestSidecar(t)
	h := newTestServer(serverTestLogLines(5), sc.URL)
	want := []string{"line 0", "line 1", "line 2", "line 3", "line 4"}
	for i := range 20 {
		aid := fmt.Sprintf("a%d", i)
		if resp := serverTestPost(t, h, aid, serverTestInput); resp.StatusCode != http.StatusOK {
			t.Fatalf("status = %d, want 200", resp.StatusCode)
		}
		// The call has answered: its lines are there.
		sc.mu.Lock()
		if got := sc.lines[aid]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("call %s: the sidecar got %q, want %q", aid, got, want)
		}
		sc.mu.Unlock()
	}
	sc.mu.Lock()
	if sc.conns != 1 {
		t.Errorf("100 messages, one at a time, opened %d connections to the sidecar, want 1", sc.conns)
	}
	sc.mu.Unlock()

	// 20 calls at once open at most sidecarConns connections.
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if resp := serverTestPost(t, h, fmt.Sprintf("b%d", i), serverTestInput); resp.StatusCode != http.StatusOK {
				t.Errorf("status = %d, want 200", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for i := range 20 {
		if got := sc.lines[fmt.Sprintf("b%d", i)]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("call b%d: the sidecar got %q, want %q", i, got, want)
		}
	}
	if sc.conns > sidecarConns {
		t.Errorf("%d connections to the sidecar, want at most %d", sc.conns, sidecarConns)
	}
}

// TestServerLogReconnect checks that a message gets through, once, when the
// sidecar closes the connection after an answer or while it is idle.
func TestServerLogReconnect(t *testing.T) {
	sc := newServerTestSidecar(t)
	sc.answer = func(w http.ResponseWriter) { w.Header().Set("Connection", "close") }
	h := newTestServer(serverTestLogLines(3), sc.URL)
	calls := []string{"a1", "a2", "a3"}
	for _, aid := range calls {
		if resp := serverTestPost(t, h, aid, serverTestInput); resp.StatusCode != http.StatusOK {
			t.Fatalf("status = %d, want 200", resp.StatusCode)
		}
		sc.mu.Lock()
		sc.answer = nil
		sc.mu.Unlock()
		if aid == "a2" {
			sc.CloseClientConnections()
		}
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	want := []string{"line 0", "line 1", "line 2"}
	for _, aid := range calls {
		if got := sc.lines[aid]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("call %s: the sidecar got %q, want %q", aid, got, want)
		}
	}
	// a1: one per message; a2: one, kept; a3: a new one for the closed one.
	if sc.conns != 5 {
		t.Errorf("%d connections to the sidecar, want 5", sc.conns)
	}
}

func TestServerLogFailure(t *testing.T) {
	sc := newServerTestSidecar(t)
	sc.answer = func(w http.ResponseWriter) { w.WriteHeader(http.StatusNotFound) }
	l := newSidecarLog(sc.URL)
	for range 2 {
		if err := l.send("a1", "hello"); err == nil || err.Error() != "the sidecar answered 404 Not Found" {
			t.Errorf("send to a sidecar answering 404: %v", err)
		}
	}
	sc.mu.Lock()
	if sc.conns != 1 {
		t.Errorf("%d connections to the sidecar, want 1: an error answer keeps the connection", sc.conns)
	}
	sc.mu.Unlock()
	for _, base := range []string{"https://127.0.0.1:8889", "localhost:8889", "http://user@localhost:8889", "http://localhost:8889?x=1", "http://%zz"} {
		if err := newSidecarLog(base).send("a1", "hello"); err == nil {
			t.Errorf("sidecar URL %q: send succeeded, want an error", base)
		}
	}
	l = newSidecarLog("http://localhost/base/")
	if l.err != nil || l.addr != "localhost:80" || l.host != "localhost" || l.target != "/base/log?aid=" {
		t.Errorf("newSidecarLog(http://localhost/base/) = %+v, want localhost:80 and /base/log?aid=", l)
	}
}

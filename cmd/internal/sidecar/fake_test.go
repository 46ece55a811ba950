package sidecar

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The test binary doubles as the function under test: with $FAKE_FN set
// it behaves as the function that variable names, and exits.
func TestMain(m *testing.M) {
	if b := os.Getenv("FAKE_FN"); b != "" {
		if strings.HasPrefix(b, "iso-") {
			fakeIsolated(b)
		} else {
			fakeKnative(b)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeKnative serves as a knative-workflow function.
func fakeKnative(behaviour string) {
	switch behaviour {
	case "exit-early":
		fmt.Fprintln(os.Stderr, "cannot start: missing config")
		os.Exit(3)
	case "never-listen":
		time.Sleep(time.Hour)
	}
	sidecar := os.Getenv("DIREKTIV_SIDECAR_URL")
	var mu sync.Mutex
	cancels := map[string]context.CancelFunc{}
	h := func(w http.ResponseWriter, r *http.Request) {
		aid := r.Header.Get("Direktiv-ActionID")
		if r.Method == http.MethodDelete {
			mu.Lock()
			if c := cancels[aid]; c != nil {
				c()
			}
			mu.Unlock()
			if len(r.Header.Values("Direktiv-TempDir")) > 0 {
				w.WriteHeader(http.StatusBadRequest)
			}
			return
		}
		ctx, cancel := context.WithCancel(r.Context())
		mu.Lock()
		cancels[aid] = cancel
		mu.Unlock()
		in, _ := io.ReadAll(r.Body)
		side := func(method, path, body string) string {
			req, _ := http.NewRequest(method, sidecar+path, strings.NewReader(body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err.Error()
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return fmt.Sprintf("%d %s", resp.StatusCode, strings.TrimSpace(string(b)))
		}
		q := "aid=" + url.QueryEscape(aid)
		switch behaviour {
		case "echo":
			side("POST", "/log?"+q, "first line")
			side("GET", "/log?"+q+"&log="+url.QueryEscape("second line"), "")
			side("POST", "/log?"+q, "")
			dir := r.Header.Get("Direktiv-TempDir")
			_ = os.WriteFile(filepath.Join(dir, "out", "instance", "x"), []byte("hello"), 0o644)
			_ = os.MkdirAll(filepath.Join(dir, "out", "workflow", "folder"), 0o755)
			_ = os.WriteFile(filepath.Join(dir, "out", "workflow", "folder", "a.txt"), []byte("a"), 0o644)
			file, _ := os.ReadFile(filepath.Join(dir, "given.txt"))
			out := map[string]any{
				"input":       json.RawMessage(in),
				"contentType": r.Header.Get("Content-Type"),
				"iterator":    r.Header.Get("Direktiv-Iterator"),
				"tempDirBase": filepath.Base(dir),
				"file":        string(file),
				"seed":        side("GET", "/var?"+q+"&scope=namespace&key=seed", ""),
				"missing":     side("GET", "/var?"+q+"&scope=instance&key=nope", ""),
				"set":         side("POST", "/var?"+q+"&scope=instance&key=y", "v"),
				"badScope":    side("POST", "/var?"+q+"&scope=system&key=y", "v"),
				"otherAid":    side("POST", "/log?aid=other", "x"),
			}
			b, _ := json.Marshal(out)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(b)
		case "coded":
			w.Header().Set("Direktiv-ErrorCode", "fn.bad")
			w.Header().Set("Direktiv-ErrorMessage", "bad input")
			_ = os.WriteFile(filepath.Join(r.Header.Get("Direktiv-TempDir"), "out", "instance", "partial"), []byte("p"), 0o644)
			w.WriteHeader(http.StatusInternalServerError)
		case "msgonly":
			w.Header().Set("Direktiv-ErrorMessage", "oops")
		case "msgonly500":
			w.Header().Set("Direktiv-ErrorMessage", "oops")
			w.WriteHeader(http.StatusInternalServerError)
		case "status":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "text":
			_, _ = w.Write([]byte("hello"))
		case "empty":
		case "slow-honour":
			side("POST", "/log?"+q, "waiting")
			<-ctx.Done()
			w.Header().Set("Direktiv-ErrorCode", "fn.cancelled")
			w.Header().Set("Direktiv-ErrorMessage", "cancelled")
			w.WriteHeader(http.StatusInternalServerError)
		case "slow-ignore":
			_ = os.WriteFile(filepath.Join(r.Header.Get("Direktiv-TempDir"), "out", "instance", "lost"), []byte("l"), 0o644)
			time.Sleep(time.Hour)
		case "die-in-call":
			os.Exit(2)
		case "bad-names":
			// A POST /var with a bad key is refused; a bad name in out/
			// crashes the instance even over an error code.
			side("POST", "/log?"+q, side("POST", "/var?"+q+"&scope=instance&key=9lives", "v"))
			dir := r.Header.Get("Direktiv-TempDir")
			_ = os.WriteFile(filepath.Join(dir, "out", "namespace", "ok"), []byte("1"), 0o644)
			_ = os.WriteFile(filepath.Join(dir, "out", "instance", "bad name.txt"), []byte("x"), 0o644)
			_ = os.WriteFile(filepath.Join(dir, "out", "instance", "z"), []byte("z"), 0o644)
			w.Header().Set("Direktiv-ErrorCode", "fn.bad")
			w.Header().Set("Direktiv-ErrorMessage", "bad input")
			w.WriteHeader(http.StatusInternalServerError)
		case "big-logs":
			// Over 4 MiB with a Content-Length: 413; without one: cut.
			big := strings.Repeat("x", MaxLog+1)
			side("POST", "/log?"+q, big)
			req, _ := http.NewRequest("POST", sidecar+"/log?"+q, io.MultiReader(strings.NewReader(big)))
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
			side("POST", "/log?"+q, "after")
			_, _ = w.Write([]byte("{}"))
		}
	}
	fmt.Println("listening")
	_ = http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), http.HandlerFunc(h))
}

// fakeIsolated behaves as an isolated function in $DIREKTIV_DATA_DIR.
func fakeIsolated(behaviour string) {
	dir := os.Getenv("DIREKTIV_DATA_DIR")
	write := func(name, content string) {
		_ = os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
	}
	if behaviour == "iso-sloppy" {
		write("output.json", "{}")
		write("done", "")
		os.Exit(2)
	}
	log, _ := os.OpenFile(filepath.Join(dir, "out.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	defer log.Close()
	in, _ := os.ReadFile(filepath.Join(dir, "input.json"))
	switch behaviour {
	case "iso-ok":
		fmt.Fprintln(log, "one")
		time.Sleep(50 * time.Millisecond)
		fmt.Fprint(log, "two ")
		time.Sleep(30 * time.Millisecond)
		fmt.Fprintln(log, "halves")
		// Time for the sidecar to send the lines before done.
		time.Sleep(50 * time.Millisecond)
		file, _ := os.ReadFile(filepath.Join(dir, "vars", "given.txt"))
		_ = os.WriteFile(filepath.Join(dir, "vars", "out", "instance", "x"), []byte("hello"), 0o644)
		write("output.json", fmt.Sprintf(`{"input":%s,"file":%q}`, in, file))
		write("done", "")
		time.Sleep(200 * time.Millisecond)
		fmt.Fprintln(log, "after done")
		fmt.Println("to stdout")
	case "iso-error":
		write("error.json", `{"code":"fn.bad","message":"bad input"}`)
		write("done", "")
	case "iso-msg":
		write("error.json", `{"code":"fn.bad","msg":"dropped"}`)
		write("done", "")
	case "iso-crash":
		write("error.json", `{"Message":"no code"}`)
		write("done", "")
	case "iso-text":
		write("output.json", "plain text")
		write("done", "")
	case "iso-nooutput":
		write("done", "")
	case "iso-nodone":
		fmt.Fprintln(log, "working")
		write("output.json", `{}`)
		_ = os.WriteFile(filepath.Join(dir, "vars", "out", "instance", "x"), []byte("hello"), 0o644)
		os.Exit(1)
	case "iso-hang":
		fmt.Fprintln(log, "hanging")
		time.Sleep(time.Hour)
	case "iso-linger":
		write("output.json", `1`)
		write("done", "")
		time.Sleep(time.Hour)
	case "iso-bad-names":
		out := filepath.Join(dir, "vars", "out")
		_ = os.WriteFile(filepath.Join(out, "namespace", "ok"), []byte("1"), 0o644)
		_ = os.WriteFile(filepath.Join(out, "instance", "my-var"), []byte("x"), 0o644)
		_ = os.WriteFile(filepath.Join(out, "instance", "z"), []byte("z"), 0o644)
		write("output.json", `{}`)
		write("done", "")
	case "iso-burst":
		// 200 lines, then done at once, as a function unaware of the
		// sidecar's pace.
		for i := 0; i < 200; i++ {
			fmt.Fprintf(log, "line %d\n", i)
		}
		write("output.json", `{}`)
		write("done", "")
	case "iso-once":
		write("output.json", `{}`)
		write("done", "")
		time.Sleep(300 * time.Millisecond)
	case "iso-again":
		write("output.json", `{}`)
		write("done", "")
		time.Sleep(300 * time.Millisecond)
		_ = os.Remove(filepath.Join(dir, "done"))
		write("done", "")
	case "iso-rename":
		write("output.json", `{}`)
		write(".done.tmp", "")
		_ = os.Rename(filepath.Join(dir, ".done.tmp"), filepath.Join(dir, "done"))
	case "iso-long-line":
		fmt.Println("a" + strings.Repeat("é", maxLineBytes/2) + "tail")
		fmt.Println("after")
		fmt.Fprintln(os.Stderr, "stderr line")
		write("output.json", `{}`)
		write("done", "")
	}
}

//go:build unix

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMCancels: SIGTERM cancels the run's context, as SIGINT does,
// instead of killing the process.
func TestSIGTERMCancels(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
		if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
			t.Errorf("%v did not cancel the context", sig)
		}
		stop()
	}
}

// TestSignalStopsNew runs the real binary on a schema that takes seconds
// to read (an enum of a million values), sends it SIGINT, then SIGTERM in
// a second run, once it has read the schema: it exits with 130 and
// "Interrupted: nothing was written." well within the bound (a generous
// liveness check on a shared machine, not a speed test), and the target
// folder does not exist.
func TestSignalStopsNew(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "direktiv-fn")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var b strings.Builder
	b.WriteString(`{"type": "object", "properties": {"e": {"type": "string", "enum": [`)
	for i := 0; i < 1000000; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `"v%d"`, i)
	}
	b.WriteString(`]}}}`)
	schemaFile := filepath.Join(dir, "big.json")
	if err := os.WriteFile(schemaFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			target := filepath.Join(dir, "fn-"+strconv.Itoa(int(sig)))
			var stderr strings.Builder
			c := exec.Command(bin, "new", "fn", "--schema", schemaFile, "--dir", target, "--no-input")
			c.Stderr = &stderr
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			waitReading(t, c.Process.Pid, int64(b.Len()))
			if err := c.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			sent := time.Now()
			exited := make(chan error, 1)
			go func() { exited <- c.Wait() }()
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
				_ = c.Process.Kill()
				<-exited
				t.Fatalf("still running 10 s after %v", sig)
			}
			t.Logf("exited %v after %v", c.ProcessState, time.Since(sent))
			if code := c.ProcessState.ExitCode(); code != 130 {
				t.Errorf("exit %d, want 130 (if 0, the schema was generated before the signal: make it larger)\nstderr:\n%s", code, stderr.String())
			}
			if !strings.Contains(stderr.String(), "Interrupted: nothing was written.") {
				t.Errorf("stderr:\n%s", stderr.String())
			}
			if _, err := os.Stat(target); !os.IsNotExist(err) {
				t.Errorf("%s exists: %v", target, err)
			}
		})
	}
}

// waitReading waits until the process pid has read at least n bytes, as
// Linux shows in /proc/PID/io: it has read the schema, so its signal
// handler is installed (a signal before that would kill it) and it is
// parsing. Elsewhere it waits two seconds.
func waitReading(t *testing.T, pid int, n int64) {
	t.Helper()
	io := filepath.Join("/proc", strconv.Itoa(pid), "io")
	if _, err := os.Stat(io); err != nil {
		time.Sleep(2 * time.Second)
		return
	}
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(5 * time.Millisecond) {
		data, err := os.ReadFile(io)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "rchar:"); ok {
				if r, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && r >= n {
					return
				}
			}
		}
	}
	t.Fatalf("the process has not read %d bytes after 30 s", n)
}

// TestTuneGC: the collector's target is raised unless GOGC is set.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	debug.SetGCPercent(100)
	tuneGC(func(string) (string, bool) { return "50", true })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, the target changed to %d", got)
	}
	tuneGC(func(string) (string, bool) { return "", false })
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("without GOGC, the target is %d, want %d", got, gcPercent)
	}
}

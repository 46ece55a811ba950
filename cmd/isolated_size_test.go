package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// minimalIsolated is the yardstick of the isolated glue: the smallest Go
// program that does an isolated call's file I/O (read input.json, create
// out.log, write output.json through a rename, create done), with the same
// JSON encoding.
const minimalIsolated = `package main

import (
	"encoding/json"
	"os"
	"path/filepath"
)

func main() {
	dir := os.Getenv("DIREKTIV_DATA_DIR")
	log, err := os.Create(filepath.Join(dir, "out.log"))
	if err != nil {
		os.Exit(1)
	}
	defer log.Close()
	in, err := os.ReadFile(filepath.Join(dir, "input.json"))
	if err != nil {
		os.Exit(1)
	}
	var v any
	if err := json.Unmarshal(in, &v); err != nil {
		os.Exit(1)
	}
	out, _ := json.Marshal(map[string]any{"input": v})
	tmp := filepath.Join(dir, ".output.json")
	if err := os.WriteFile(tmp, out, 0o644); err != nil {
		os.Exit(1)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "output.json")); err != nil {
		os.Exit(1)
	}
	if err := os.WriteFile(filepath.Join(dir, "done"), nil, 0o644); err != nil {
		os.Exit(1)
	}
}
`

// buildIsolatedPair builds, stripped and static as the Dockerfile does, the
// isolated-rich golden function and the minimal program, and returns their
// paths.
func buildIsolatedPair(tb testing.TB) (generated, minimal string) {
	tb.Helper()
	work := tb.TempDir()
	gen := filepath.Join(work, "gen")
	if err := os.CopyFS(gen, os.DirFS(filepath.Join(goldenDir, "isolated-rich", "want"))); err != nil {
		tb.Fatal(err)
	}
	minDir := filepath.Join(work, "min")
	if err := os.MkdirAll(minDir, 0o755); err != nil {
		tb.Fatal(err)
	}
	for name, text := range map[string]string{"go.mod": "module minimal\n\ngo 1.22\n", "main.go": minimalIsolated} {
		if err := os.WriteFile(filepath.Join(minDir, name), []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	build := func(dir, out string) string {
		c := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
		c.Dir = dir
		c.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off")
		if b, err := c.CombinedOutput(); err != nil {
			tb.Fatalf("go build in %s: %v\n%s", dir, err, b)
		}
		return out
	}
	return build(gen, filepath.Join(work, "fn")), build(minDir, filepath.Join(work, "minimal"))
}

// TestIsolatedBinarySize holds the isolated function's stripped binary near
// the size of the minimal program doing the same file I/O: within 1.5 times
// (the rich schema's validation brings regexp along).
func TestIsolatedBinarySize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	gen, min := buildIsolatedPair(t)
	size := func(p string) int64 {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	g, m := size(gen), size(min)
	t.Logf("stripped binaries: isolated-rich %d bytes, minimal %d bytes (%.2fx)", g, m, float64(g)/float64(m))
	if float64(g) > 1.5*float64(m) {
		t.Errorf("the isolated function is %d bytes, more than 1.5 times the minimal program's %d", g, m)
	}
}

// BenchmarkIsolatedRun times one isolated call as Direktiv makes it, from
// the start to the exit of the process (ns/op) and to the first creation of
// done (ms-to-done, when Direktiv's sidecar, if watching, reports), of the
// isolated-rich golden function (its handler logs one line), with its
// defaults and with $DIREKTIV_FN_DONE_WINDOW=0, and of the minimal program,
// side by side: go test ./cmd -run '^$' -bench IsolatedRun -count 5.
func BenchmarkIsolatedRun(b *testing.B) {
	gen, min := buildIsolatedPair(b)
	sample := []byte(`{"name": "nightly-backup", "files": [{"path": "a.txt"}]}`)
	for _, bin := range []struct {
		name, path string
		env        []string
	}{
		{"generated", gen, nil},
		{"generated-window-0", gen, []string{"DIREKTIV_FN_DONE_WINDOW=0"}},
		{"minimal", min, nil},
	} {
		b.Run(bin.name, func(b *testing.B) {
			root := b.TempDir()
			i := 0
			var toDone time.Duration
			for b.Loop() {
				i++
				dir := filepath.Join(root, strconv.Itoa(i))
				b.StopTimer()
				if err := os.MkdirAll(dir, 0o755); err != nil {
					b.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "input.json"), sample, 0o644); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				c := exec.Command(bin.path)
				c.Env = append([]string{"DIREKTIV_DATA_DIR=" + dir}, bin.env...)
				if err := c.Start(); err != nil {
					b.Fatal(err)
				}
				exited := make(chan error, 1)
				go func() { exited <- c.Wait() }()
				// Look for done as a watching sidecar would see it, until
				// the process has ended (or 30 s have passed: a sidecar
				// would have given up).
				done := filepath.Join(dir, "done")
				waitErr, ended := error(nil), false
				for deadline := start.Add(30 * time.Second); ; {
					if _, err := os.Stat(done); err == nil {
						toDone += time.Since(start)
						break
					}
					if ended {
						entries, _ := os.ReadDir(dir)
						b.Fatalf("the process ended (%v) without done; the data folder holds %v", waitErr, entries)
					}
					if time.Now().After(deadline) {
						c.Process.Kill()
						b.Fatal("no done after 30 s")
					}
					select {
					case waitErr = <-exited:
						ended = true // look for done once more
					case <-time.After(100 * time.Microsecond):
					}
				}
				if !ended {
					waitErr = <-exited
				}
				if waitErr != nil {
					b.Fatal(waitErr)
				}
			}
			b.ReportMetric(float64(toDone.Microseconds())/1000/float64(i), "ms-to-done")
		})
	}
}

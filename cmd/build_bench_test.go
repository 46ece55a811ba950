package cmd

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkBuildVsGoBuild times "direktiv-fn build --oci-layout" of the
// knative-rich golden function (a git repository, as a user's is) as a
// whole process, side by side with a plain "go build" of the same function
// and with "go build" with the Dockerfile's flags, interleaved in every
// iteration so that the machine's noise hits all three alike. It reports
// each in ms, wall and CPU (user and system, the go command's included),
// and the ratios; the target is build/go-build <= 1.2.
//
//	go test ./cmd -run '^$' -bench BuildVsGoBuild -benchtime 10x
func BenchmarkBuildVsGoBuild(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "direktiv-fn")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	dir := b.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(goldenDir, "knative-rich", "want"))); err != nil {
		b.Fatal(err)
	}
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off",
		"GIT_AUTHOR_NAME=b", "GIT_AUTHOR_EMAIL=b@example.com", "GIT_COMMITTER_NAME=b", "GIT_COMMITTER_EMAIL=b@example.com")
	// runIn runs a command in dir and returns its wall time and its CPU
	// time (user and system, its children's included).
	runIn := func(name string, args ...string) times {
		b.Helper()
		c := exec.Command(name, args...)
		c.Dir, c.Env = dir, env
		start := time.Now()
		if out, err := c.CombinedOutput(); err != nil {
			b.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return times{time.Since(start), c.ProcessState.UserTime() + c.ProcessState.SystemTime()}
	}
	runIn("git", "init", "-q")
	runIn("git", "add", ".")
	runIn("git", "commit", "-q", "-m", "function")
	// Each command builds the function after an edit of handler.go, as
	// after a change of its code: the go command compiles the package and
	// links (it skips both when nothing changed and the output exists).
	out := b.TempDir()
	edits := 0
	edit := func() {
		edits++
		f, err := os.OpenFile(filepath.Join(dir, "handler.go"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(f, "\n// edit %d\n", edits)
		f.Close()
	}
	plain := func() times {
		edit()
		return runIn("go", "build", "-o", filepath.Join(out, "plain"), ".")
	}
	flags := func() times {
		edit()
		return runIn("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(out, "flags"), ".")
	}
	image := func() times {
		edit()
		return runIn(bin, "build", "--oci-layout", filepath.Join(out, "layout"))
	}
	// Warm the build cache for all three.
	plain()
	flags()
	image()
	var tPlain, tFlags, tImage times
	b.ResetTimer()
	for b.Loop() {
		tPlain = tPlain.add(plain())
		tFlags = tFlags.add(flags())
		tImage = tImage.add(image())
	}
	n := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / n }
	b.ReportMetric(ms(tPlain.wall), "go-build-ms")
	b.ReportMetric(ms(tFlags.wall), "go-build-flags-ms")
	b.ReportMetric(ms(tImage.wall), "build-ms")
	b.ReportMetric(ms(tPlain.cpu), "go-build-cpu-ms")
	b.ReportMetric(ms(tImage.cpu), "build-cpu-ms")
	b.ReportMetric(float64(tImage.wall)/float64(tPlain.wall), "build/go-build")
	b.ReportMetric(float64(tImage.wall)/float64(tFlags.wall), "build/go-build-flags")
	b.ReportMetric(float64(tImage.cpu)/float64(tPlain.cpu), "build/go-build-cpu")
}

// times is a command's wall and CPU time.
type times struct{ wall, cpu time.Duration }

// add sums two times.
func (t times) add(u times) times { return times{t.wall + u.wall, t.cpu + u.cpu} }

// Command clibench measures direktiv-fn's own commands as whole processes,
// as a user runs them, and prints a table comparing two builds side by side.
//
//	go run ./cmd/internal/clibench [-old DIR] [-runs 40]
//
// It builds the direktiv-fn of the working tree ("new") and, when -old names
// another source tree (e.g. a worktree of origin/main), that one too
// ("old"), and times each of them on:
//
//   - version: start-up alone (package initialisation, the command line);
//   - new rich: "new" of the knative-rich golden schema into a fresh folder;
//   - generate no-op: "generate" in an up-to-date project of that schema;
//   - new flat-300: "new" of an object of 300 string properties.
//
// The runs interleave the builds and the cases, so that a busy moment of a
// shared machine hits all alike, and the table shows medians: the wall time,
// and the CPU time (user and system) that the load of others inflates less.
// The load average is printed beside it.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "clibench:", err)
		os.Exit(1)
	}
}

// build is one direktiv-fn binary under test.
type build struct {
	name string
	bin  string
	// project is an up-to-date project of the rich schema that this
	// build generated, for the no-op generate.
	project string
}

// bench is one case: args builds the command line for a build, given a
// fresh folder path to write into; fresh says the folder must not exist.
type bench struct {
	name   string
	target string // the target, for the table
	args   func(b build, dir string) []string
}

// sample is one timed run.
type sample struct{ wall, cpu time.Duration }

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("clibench", flag.ContinueOnError)
	old := fs.String("old", "", "another direktiv-fn source tree to build and compare with (e.g. a worktree of origin/main)")
	runs := fs.Int("runs", 40, "runs of each case and build")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	root, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return fmt.Errorf("go list -m: %w", err)
	}
	repo := strings.TrimSpace(string(root))
	tmp, err := os.MkdirTemp("", "clibench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	rich, err := filepath.Abs(filepath.Join(repo, "golden", "knative-rich", "input.schema.json"))
	if err != nil {
		return err
	}
	flat := filepath.Join(tmp, "flat.schema.json")
	if err := os.WriteFile(flat, flatSchema(300), 0o644); err != nil {
		return err
	}
	richNew := func(b build, dir string) []string {
		return []string{"new", "archive", "--mode", "knative-workflow", "--schema", rich, "--image", "registry.example.com/archive:v1", "--module", "example.com/archive", "--dir", dir, "--no-input"}
	}

	var builds []build
	trees := []struct{ name, dir string }{{"new", repo}}
	if *old != "" {
		trees = append([]struct{ name, dir string }{{"old", *old}}, trees...)
	}
	for _, t := range trees {
		b := build{name: t.name, bin: filepath.Join(tmp, t.name, "direktiv-fn"), project: filepath.Join(tmp, t.name, "project")}
		cmd := exec.Command("go", "build", "-o", b.bin, ".")
		cmd.Dir = t.dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building %s: %w\n%s", t.dir, err, out)
		}
		if out, err := exec.Command(b.bin, richNew(b, b.project)...).CombinedOutput(); err != nil {
			return fmt.Errorf("%s new: %w\n%s", t.name, err, out)
		}
		builds = append(builds, b)
	}

	benches := []bench{
		{"version", "", func(build, string) []string { return []string{"version"} }},
		{"new rich", "≤ 12 ms median", richNew},
		{"generate no-op", "≤ new rich", func(b build, _ string) []string { return []string{"generate", "--dir", b.project} }},
		{"new flat-300", "≤ 60 ms", func(_ build, dir string) []string {
			return []string{"new", "flat", "--schema", flat, "--dir", dir, "--no-input"}
		}},
	}
	loadBefore := loadAverage()
	samples := map[[2]int][]sample{}
	for i := 0; i < *runs; i++ {
		for bi := range benches {
			for j := range builds {
				k := (j + i) % len(builds) // alternate which build goes first
				dir := filepath.Join(tmp, "out", strconv.Itoa(i)+"-"+strconv.Itoa(bi)+"-"+strconv.Itoa(k))
				s, err := timeRun(builds[k].bin, benches[bi].args(builds[k], dir))
				if err != nil {
					return fmt.Errorf("%s, %s: %w", benches[bi].name, builds[k].name, err)
				}
				if err := os.RemoveAll(dir); err != nil {
					return err
				}
				samples[[2]int{bi, k}] = append(samples[[2]int{bi, k}], s)
			}
		}
	}

	fmt.Fprintf(stdout, "%d runs of each case and build, interleaved; load average (1, 5, 15 min) before: %s, after: %s; medians:\n", *runs, loadBefore, loadAverage())
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "case\t"
	for _, b := range builds {
		head += b.name + " wall\t" + b.name + " CPU\t"
	}
	if len(builds) == 2 {
		head += "new/old wall\tnew/old CPU\t"
	}
	fmt.Fprintln(w, head+"target\t")
	for bi, be := range benches {
		line := be.name + "\t"
		var walls, cpus []time.Duration
		for k := range builds {
			wall, cpu := medians(samples[[2]int{bi, k}])
			walls, cpus = append(walls, wall), append(cpus, cpu)
			line += ms(wall) + "\t" + ms(cpu) + "\t"
		}
		if len(builds) == 2 {
			line += fmt.Sprintf("%.2f×\t%.2f×\t", float64(walls[1])/float64(walls[0]), float64(cpus[1])/float64(cpus[0]))
		}
		fmt.Fprintln(w, line+be.target+"\t")
	}
	return w.Flush()
}

// loadAverage returns the machine's load averages over 1, 5 and 15
// minutes, or "?" where /proc/loadavg cannot be read.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

// timeRun runs bin with args and returns its wall and CPU time.
func timeRun(bin string, args []string) (sample, error) {
	cmd := exec.Command(bin, args...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return sample{}, fmt.Errorf("%w\n%s", err, out.String())
	}
	wall := time.Since(start)
	return sample{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}, nil
}

// medians returns the median wall and CPU times of s.
func medians(s []sample) (wall, cpu time.Duration) {
	walls := make([]time.Duration, len(s))
	cpus := make([]time.Duration, len(s))
	for i, x := range s {
		walls[i], cpus[i] = x.wall, x.cpu
	}
	return median(walls), median(cpus)
}

// median returns the median of d (the mean of the middle two for an even
// count); d must not be empty.
func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	if len(d)%2 == 1 {
		return d[len(d)/2]
	}
	return (d[len(d)/2-1] + d[len(d)/2]) / 2
}

// ms formats d in milliseconds.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

// flatSchema is an object schema of n optional string properties.
func flatSchema(n int) []byte {
	props := map[string]any{}
	for i := 0; i < n; i++ {
		props["p"+strconv.Itoa(i)] = map[string]any{"type": "string"}
	}
	b, _ := json.Marshal(map[string]any{"type": "object", "properties": props})
	return b
}

// Command bench runs the decoding benchmarks of package bench side by
// side and prints one table: for each instance (valid and invalid inputs
// of about 300 B, a large valid input of about 100 KB) and each decoder
// (generated, encoding/json, github.com/goccy/go-json, santhosh v6), the
// median time per operation, B/op and allocs/op, and the ratios the
// targets are about.
//
// Time is CPU time: each benchmark runs a fixed number of operations in a
// process of its own, whose user and system CPU time, less that of a
// process that runs no benchmark, is divided by the operations. Unlike
// the wall-clock ns/op of go test, it does not count the time the process
// waits for a core, so that the ratios hold on a loaded, shared machine.
// The benchmarks also run interleaved, one of each per round, so that a
// slow moment hits every decoder alike:
//
//	go run ./generator/internal/bench/cmd [-count 5] [-ops 20000]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

const pkg = "github.com/direktiv-fn/direktiv-fn/generator/internal/bench"

var (
	decoders  = []string{"generated", "unmarshal", "gojson", "santhosh"}
	instances = []string{"valid", "invalid", "large"}
)

// result is one benchmark run's measures: CPU ns per operation, wall ns
// per operation (go test's), bytes per operation (the input's size, for
// MB/s), B/op and allocs/op.
type result struct{ cpu, ns, size, bytes, allocs float64 }

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	count := fs.Int("count", 5, "rounds; the table shows the median time")
	ops := fs.Int("ops", 20000, "operations per benchmark run on the small inputs (a fiftieth of them on the large one)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}", pkg).Output()
	if err != nil {
		return fmt.Errorf("go list %s: %w", pkg, err)
	}
	dir := strings.TrimSpace(string(out))
	tmp, err := os.MkdirTemp("", "bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "bench.test")
	build := exec.Command("go", "test", "-c", "-o", bin, pkg)
	build.Stderr = stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go test -c: %w", err)
	}
	results := map[string][]result{}
	for round := 1; round <= *count; round++ {
		fmt.Fprintf(stderr, "round %d/%d\n", round, *count)
		base, err := startup(bin, dir)
		if err != nil {
			return err
		}
		for _, in := range instances {
			n := *ops
			if in == "large" {
				n = max(1, n/50)
			}
			for _, dec := range decoders {
				r, err := measure(bin, dir, dec, in, n, base)
				if err != nil {
					return err
				}
				results[in+"/"+dec] = append(results[in+"/"+dec], r)
			}
		}
	}
	fmt.Fprintf(stdout, "BenchmarkDecode, median of %d interleaved rounds, CPU time per operation (%s)\n\n", *count, goVersion())
	return table(stdout, results)
}

var measures = regexp.MustCompile(`([0-9.]+) ns/op\s+([0-9.]+) MB/s\s+([0-9.]+) B/op\s+([0-9.]+) allocs/op`)

// cpuTime runs c and returns the user and system CPU time it took.
func cpuTime(c *exec.Cmd) (time.Duration, []byte, error) {
	out, err := c.CombinedOutput()
	if err != nil {
		return 0, out, err
	}
	return c.ProcessState.UserTime() + c.ProcessState.SystemTime(), out, nil
}

// startup returns the CPU time of the test binary when it runs no
// benchmark: its start-up, which measure subtracts.
func startup(bin, dir string) (time.Duration, error) {
	c := exec.Command(bin, "-test.run", "^$", "-test.bench", "^$")
	c.Dir = dir
	t, out, err := cpuTime(c)
	if err != nil {
		return 0, fmt.Errorf("start-up: %v\n%s", err, out)
	}
	return t, nil
}

// measure runs one benchmark once, for n operations.
func measure(bin, dir, dec, in string, n int, base time.Duration) (result, error) {
	c := exec.Command(bin, "-test.run", "^$", "-test.bench", "^BenchmarkDecode$/^"+dec+"$/^"+in+"$",
		"-test.benchmem", "-test.benchtime", strconv.Itoa(n)+"x", "-test.count", "1")
	c.Dir = dir
	t, out, err := cpuTime(c)
	if err != nil {
		return result{}, fmt.Errorf("%s/%s: %v\n%s", dec, in, err, out)
	}
	m := measures.FindSubmatch(out)
	if m == nil {
		return result{}, fmt.Errorf("%s/%s: no measures in\n%s", dec, in, out)
	}
	var r result
	var mbps float64
	for i, p := range []*float64{&r.ns, &mbps, &r.bytes, &r.allocs} {
		*p, _ = strconv.ParseFloat(string(m[i+1]), 64)
	}
	r.size = mbps * r.ns / 1e3 // MB/s = size / ns * 1e3
	r.cpu = float64(max(t-base, 0).Nanoseconds()) / float64(n)
	return r, nil
}

// median returns the median measure of rs, field by field.
func median(rs []result) result {
	pick := func(f func(result) float64) float64 {
		xs := make([]float64, len(rs))
		for i, r := range rs {
			xs[i] = f(r)
		}
		slices.Sort(xs)
		if len(xs)%2 == 1 {
			return xs[len(xs)/2]
		}
		return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
	}
	return result{
		cpu:    pick(func(r result) float64 { return r.cpu }),
		size:   pick(func(r result) float64 { return r.size }),
		ns:     pick(func(r result) float64 { return r.ns }),
		bytes:  pick(func(r result) float64 { return r.bytes }),
		allocs: pick(func(r result) float64 { return r.allocs }),
	}
}

// table prints the medians and the ratios, with the targets each
// instance is held to.
func table(w io.Writer, results map[string][]result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "instance\tdecoder\tCPU ns/op\twall ns/op\tMB/s (CPU)\tB/op\tallocs/op\tsanthosh / this\tunmarshal / this\tgojson / this\t")
	for _, in := range instances {
		san := median(results[in+"/santhosh"])
		unm := median(results[in+"/unmarshal"])
		goj := median(results[in+"/gojson"])
		for _, dec := range decoders {
			r := median(results[in+"/"+dec])
			fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.0f\t%.1f\t%.0f\t%.0f\t%.2fx\t%.2fx\t%.2fx\t\n", in, dec, r.cpu, r.ns,
				r.size/r.cpu*1e3, r.bytes, r.allocs, san.cpu/r.cpu, unm.cpu/r.cpu, goj.cpu/r.cpu)
		}
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t\t\t")
	fmt.Fprintln(tw, "targets (generated)\tvalid\t\t\t\t\t\t>= 5x\t>= 2x\t\t")
	fmt.Fprintln(tw, "\tinvalid\t\t\t\t\t\t>= 5x\t>= 1.2x\t\t")
	fmt.Fprintln(tw, "\tlarge\t\t\t\t\t\t\t\t>= 1x\t")
	return tw.Flush()
}

// goVersion names the toolchain and the machine.
func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION", "GOOS", "GOARCH").Output()
	if err != nil {
		return "go"
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

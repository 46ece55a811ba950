// Command bench runs the decoding benchmarks of package bench side by
// side and prints one table: for each instance (valid, invalid) and each
// decoder (generated, unmarshal, santhosh), the median ns/op, B/op and
// allocs/op, and the ratios against santhosh and against encoding/json.
//
// The benchmarks run interleaved, one of each per round, so that a slow
// moment of the machine hits every decoder alike:
//
//	go run ./generator/internal/bench/cmd [-count 7] [-benchtime 500ms]
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
)

const pkg = "github.com/direktiv-fn/direktiv-fn/generator/internal/bench"

var (
	decoders  = []string{"generated", "unmarshal", "santhosh"}
	instances = []string{"valid", "invalid"}
)

// result is one benchmark run's measures.
type result struct{ ns, bytes, allocs float64 }

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	count := fs.Int("count", 7, "rounds; the table shows the median time")
	benchtime := fs.String("benchtime", "500ms", "time per benchmark run (go test -benchtime)")
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
		for _, in := range instances {
			for _, dec := range decoders {
				r, err := measure(bin, dir, dec, in, *benchtime)
				if err != nil {
					return err
				}
				results[in+"/"+dec] = append(results[in+"/"+dec], r)
			}
		}
	}
	fmt.Fprintf(stdout, "BenchmarkDecode, %d interleaved rounds of %s each (%s)\n\n", *count, *benchtime, goVersion())
	return table(stdout, results)
}

var measures = regexp.MustCompile(`([0-9.]+) ns/op.*?([0-9.]+) B/op\s+([0-9.]+) allocs/op`)

// measure runs one benchmark once.
func measure(bin, dir, dec, in, benchtime string) (result, error) {
	c := exec.Command(bin, "-test.run", "^$", "-test.bench", "^BenchmarkDecode$/^"+dec+"$/^"+in+"$",
		"-test.benchmem", "-test.benchtime", benchtime, "-test.count", "1")
	c.Dir = dir
	out, err := c.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("%s/%s: %v\n%s", dec, in, err, out)
	}
	m := measures.FindSubmatch(out)
	if m == nil {
		return result{}, fmt.Errorf("%s/%s: no measures in\n%s", dec, in, out)
	}
	var r result
	for i, p := range []*float64{&r.ns, &r.bytes, &r.allocs} {
		*p, _ = strconv.ParseFloat(string(m[i+1]), 64)
	}
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
		ns:     pick(func(r result) float64 { return r.ns }),
		bytes:  pick(func(r result) float64 { return r.bytes }),
		allocs: pick(func(r result) float64 { return r.allocs }),
	}
}

// table prints the medians and the ratios.
func table(w io.Writer, results map[string][]result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "instance\tdecoder\tns/op\tB/op\tallocs/op\tsanthosh time / this\tthis allocs / santhosh\tthis time / unmarshal\t")
	for _, in := range instances {
		san := median(results[in+"/santhosh"])
		unm := median(results[in+"/unmarshal"])
		for _, dec := range decoders {
			r := median(results[in+"/"+dec])
			fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.0f\t%.0f\t%.2fx\t%.3f\t%.2fx\t\n", in, dec, r.ns, r.bytes, r.allocs,
				san.ns/r.ns, r.allocs/san.allocs, r.ns/unm.ns)
		}
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t")
	fmt.Fprintln(tw, "targets (generated)\t\t\t\t\t>= 3x\t<= 0.200\t<= 1.30x\t")
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

// Command serverbench measures a generated knative-workflow server as a
// process, the way Direktiv runs it, and prints a table.
//
//	go run ./cmd/internal/serverbench memory [-calls 10] [-size 127000000]
//	go run ./cmd/internal/serverbench logs [-rounds 3] [-duration 10s]
//
// memory sends -calls inputs of -size bytes at once (a JSON object with one
// string of that size) to a generated server whose handler keeps only the
// string's length, and reports the server's peak RSS (VmHWM) once all are
// answered, beside the RSS of the idle server.
//
// logs needs wrk (Debian: apt-get install wrk) and taskset. It runs the
// starter function (one log line per call) on core 0, with its logs sent to
// stdout (/dev/null) or, with a real action id, to a fake sidecar that shares
// core 0, and wrk with 10 connections (the sidecar's concurrency) on core 1.
// It reports the requests per second of each, their ratio, and the sockets
// in TIME-WAIT towards the sidecar after each sidecar run. Since on a
// shared machine the requests per second vary with the load of others, it
// also reports the CPU time the function and the sidecar spent per call,
// and the ratio that gives: the throughput ratio of a core they had to
// themselves. The rounds alternate stdout and sidecar so that a busy moment
// of the machine hits both alike; the table shows the medians.
//
// Each subcommand builds the direktiv-fn of the working tree (or of the
// tree -repo names, e.g. a worktree of another commit, to compare them) and
// generates its function into a temporary folder.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "serverbench:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: serverbench memory|logs|sidecar [flags]")
	}
	switch args[0] {
	case "memory":
		return runMemory(args[1:], stdout)
	case "logs":
		return runLogs(args[1:], stdout)
	case "sidecar":
		return runSidecar(args[1:])
	}
	return fmt.Errorf("unknown subcommand %q: want memory, logs or sidecar", args[0])
}

// memorySchema is the input of the memory benchmark: one string.
const memorySchema = `{"type":"object","required":["data"],"properties":{"data":{"type":"string","examples":["x"]}}}`

// memoryHandler keeps only the input's length, so that the figures are
// those of reading and decoding the input.
const memoryHandler = `package main

import "context"

// Output is the length of the input's string.
type Output struct {
	Length int ` + "`json:\"length\"`" + `
}

// Handle returns the length of the input's string.
func Handle(ctx context.Context, in Input) (Output, error) {
	return Output{Length: len(in.Data)}, nil
}
`

func runMemory(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("memory", flag.ContinueOnError)
	calls := fs.Int("calls", 10, "inputs sent at once")
	size := fs.Int("size", 127_000_000, "bytes of each input")
	repo := fs.String("repo", "", "the direktiv-fn source tree to build (default: the working tree)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "serverbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, err := buildFunction(*repo, tmp, memorySchema, memoryHandler)
	if err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	srv := exec.Command(bin)
	srv.Env = append(os.Environ(), "PORT="+port)
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	url := "http://127.0.0.1:" + port + "/"
	if err := waitListening("127.0.0.1:" + port); err != nil {
		return err
	}
	idle, err := procStatus(srv.Process.Pid, "VmRSS")
	if err != nil {
		return err
	}

	body := make([]byte, *size)
	copy(body, `{"data":"`)
	for i := len(`{"data":"`); i < len(body)-2; i++ {
		body[i] = 'a'
	}
	copy(body[len(body)-2:], `"}`)
	want := fmt.Sprintf(`{"length":%d}`, *size-len(`{"data":""}`))
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, *calls)
	for i := range *calls {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
			if err != nil {
				errs <- err
				return
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Direktiv-ActionID", "development")
			req.Header.Set("Direktiv-Iterator", strconv.Itoa(i))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs <- err
				return
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(got)) != want {
				errs <- fmt.Errorf("call %d: status %d, body %.200q, error %q", i, resp.StatusCode, got, resp.Header.Get("Direktiv-ErrorMessage"))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	for err := range errs {
		return err
	}
	peak, err := procStatus(srv.Process.Pid, "VmHWM")
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "calls\tinput MB\tidle RSS MB\tpeak RSS MB\tpeak per call MB\tall answered in\t")
	fmt.Fprintf(tw, "%d\t%.1f\t%.1f\t%.1f\t%.1f\t%s\t\n", *calls, float64(*size)/1e6, idle/1e6, peak/1e6,
		(peak-idle)/float64(*calls)/1e6, elapsed.Round(10*time.Millisecond))
	return tw.Flush()
}

// logsRequest is the wrk script of the logs benchmark: the starter
// function's sample input, with the action id given in its environment.
const logsRequest = `wrk.method = "POST"
wrk.body = '{"name":"World"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Direktiv-ActionID"] = os.getenv("ACTION_ID")
`

func runLogs(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("logs", flag.ContinueOnError)
	rounds := fs.Int("rounds", 3, "runs of each kind, alternated")
	duration := fs.Duration("duration", 10*time.Second, "length of each run")
	repo := fs.String("repo", "", "the direktiv-fn source tree to build (default: the working tree)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, tool := range []string{"wrk", "taskset", "ss"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is needed (Debian: apt-get install wrk util-linux iproute2): %w", tool, err)
		}
	}
	tmp, err := os.MkdirTemp("", "serverbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, err := buildFunction(*repo, tmp, "", "")
	if err != nil {
		return err
	}
	script := filepath.Join(tmp, "post.lua")
	if err := os.WriteFile(script, []byte(logsRequest), 0o644); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}

	var rates, cpus, sidecarCPUs [2][]float64
	var timeWaits []float64
	for round := range *rounds {
		for i, toSidecar := range []bool{false, true} {
			r, err := logsRun(bin, self, script, *duration, toSidecar)
			if err != nil {
				return fmt.Errorf("round %d: %w", round+1, err)
			}
			rates[i] = append(rates[i], r.rate)
			cpus[i] = append(cpus[i], r.cpuPerCall)
			sidecarCPUs[i] = append(sidecarCPUs[i], r.sidecarPerCall)
			if toSidecar {
				timeWaits = append(timeWaits, float64(r.timeWait))
			}
		}
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "logs to\treq/s (median)\treq/s (runs)\tratio\tCPU µs/call (median)\tof which sidecar\tCPU ratio\tTIME-WAIT to sidecar\t")
	for i, name := range []string{"stdout", "sidecar"} {
		tws := "-"
		if i == 1 {
			tws = join(timeWaits)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%.2f\t%.1f\t%.1f\t%.2f\t%s\t\n", name, median(rates[i]), join(rates[i]),
			median(rates[i])/median(rates[0]), median(cpus[i]), median(sidecarCPUs[i]), median(cpus[0])/median(cpus[i]), tws)
	}
	return tw.Flush()
}

// logsResult is what one run of the logs benchmark measured.
type logsResult struct {
	// rate is wrk's requests per second.
	rate float64
	// cpuPerCall is the CPU time of the function and the sidecar per call,
	// in microseconds, and sidecarPerCall the sidecar's part of it.
	cpuPerCall, sidecarPerCall float64
	// timeWait counts the sockets in TIME-WAIT towards the sidecar.
	timeWait int
}

// logsRun runs the function and wrk once.
func logsRun(bin, self, script string, d time.Duration, toSidecar bool) (logsResult, error) {
	var res logsResult
	port, err := freePort()
	if err != nil {
		return res, err
	}
	// pids are the processes whose CPU time counts: the sidecar first.
	var pids []int
	env := append(os.Environ(), "PORT="+port)
	actionID := "development"
	sidecarPort := ""
	if toSidecar {
		actionID = "bench-action"
		if sidecarPort, err = freePort(); err != nil {
			return res, err
		}
		sc := exec.Command("taskset", "-c", "0", self, "sidecar", "-addr", "127.0.0.1:"+sidecarPort)
		sc.Stderr = os.Stderr
		if err := sc.Start(); err != nil {
			return res, err
		}
		defer func() { _ = sc.Process.Kill(); _ = sc.Wait() }()
		pids = append(pids, sc.Process.Pid)
		if err := waitListening("127.0.0.1:" + sidecarPort); err != nil {
			return res, err
		}
		env = append(env, "DIREKTIV_SIDECAR_URL=http://127.0.0.1:"+sidecarPort)
	}
	srv := exec.Command("taskset", "-c", "0", bin)
	srv.Env = env
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		return res, err
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	pids = append(pids, srv.Process.Pid)
	if err := waitListening("127.0.0.1:" + port); err != nil {
		return res, err
	}

	wrk := exec.Command("taskset", "-c", "1", "wrk", "-t1", "-c10", "-d"+d.String(), "-s", script, "http://127.0.0.1:"+port+"/")
	wrk.Env = append(os.Environ(), "ACTION_ID="+actionID)
	out, err := wrk.CombinedOutput()
	if err != nil {
		return res, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	if bytes.Contains(out, []byte("Non-2xx")) {
		return res, fmt.Errorf("wrk saw failed calls:\n%s", out)
	}
	m := regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		return res, fmt.Errorf("no Requests/sec in wrk's output:\n%s", out)
	}
	if res.rate, err = strconv.ParseFloat(string(m[1]), 64); err != nil {
		return res, err
	}
	n := regexp.MustCompile(`(\d+) requests in`).FindSubmatch(out)
	if n == nil {
		return res, fmt.Errorf("no request count in wrk's output:\n%s", out)
	}
	calls, err := strconv.ParseFloat(string(n[1]), 64)
	if err != nil {
		return res, err
	}
	var cpu float64
	for i, pid := range pids {
		c, err := cpuTime(pid)
		if err != nil {
			return res, err
		}
		cpu += c
		if toSidecar && i == 0 {
			res.sidecarPerCall = c / calls * 1e6
		}
	}
	res.cpuPerCall = cpu / calls * 1e6
	if toSidecar {
		res.timeWait, err = timeWait(sidecarPort)
	}
	return res, err
}

// cpuTime returns the user and system CPU time of process pid, in seconds.
func cpuTime(pid int) (float64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command's name, which ends with ")": state is
	// the first, utime and stime the 12th and 13th.
	f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	utime, err1 := strconv.ParseFloat(f[11], 64)
	stime, err2 := strconv.ParseFloat(f[12], 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	// Linux counts in clock ticks of 1/100 s (USER_HZ).
	return (utime + stime) / 100, nil
}

// timeWait counts the TCP sockets in TIME-WAIT from or to port.
func timeWait(port string) (int, error) {
	out, err := exec.Command("ss", "-tanH", "state", "time-wait").Output()
	if err != nil {
		return 0, fmt.Errorf("ss: %w", err)
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		for _, f := range strings.Fields(sc.Text()) {
			if strings.HasSuffix(f, ":"+port) {
				n++
				break
			}
		}
	}
	return n, nil
}

// runSidecar serves a fake sidecar's /log: it reads the message and
// answers 200, as the sidecar does for a call in flight.
func runSidecar(args []string) error {
	fs := flag.NewFlagSet("sidecar", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8889", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /log", func(w http.ResponseWriter, r *http.Request) {
		msg, err := io.ReadAll(r.Body)
		if err != nil || r.URL.Query().Get("aid") == "" || len(msg) == 0 {
			http.Error(w, "bad log request", http.StatusBadRequest)
			return
		}
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return srv.ListenAndServe()
}

// buildFunction builds the direktiv-fn in repo (the current module when
// empty), generates a knative-workflow function with it into dir/fn (the
// starter schema and handler when schema is empty; else schema, and handler
// as handler.go) and builds it. It returns the binary's path.
func buildFunction(repo, dir, schema, handler string) (string, error) {
	if repo == "" {
		root, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
		if err != nil {
			return "", fmt.Errorf("go list -m: %w", err)
		}
		repo = strings.TrimSpace(string(root))
	}
	cli := filepath.Join(dir, "direktiv-fn")
	if out, err := goCommand(repo, "build", "-o", cli, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("building direktiv-fn: %w\n%s", err, out)
	}
	fn := filepath.Join(dir, "fn")
	newArgs := []string{"new", "bench", "--dir", fn, "--no-input"}
	if schema != "" {
		path := filepath.Join(dir, "input.schema.json")
		if err := os.WriteFile(path, []byte(schema), 0o644); err != nil {
			return "", err
		}
		newArgs = append(newArgs, "--schema", path)
	}
	if out, err := exec.Command(cli, newArgs...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("direktiv-fn new: %w\n%s", err, out)
	}
	if handler != "" {
		if err := os.WriteFile(filepath.Join(fn, "handler.go"), []byte(handler), 0o644); err != nil {
			return "", err
		}
	}
	bin := filepath.Join(dir, "fn.bin")
	if out, err := goCommand(fn, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the function: %w\n%s", err, out)
	}
	return bin, nil
}

// goCommand returns the go command with args, run in dir.
func goCommand(dir string, args ...string) *exec.Cmd {
	c := exec.Command("go", args...)
	c.Dir = dir
	return c
}

// freePort returns a TCP port free on 127.0.0.1.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	return port, err
}

// waitListening waits until addr accepts connections, for up to 30 s.
func waitListening(addr string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			return c.Close()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("nothing listens on %s: %w", addr, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// procStatus returns a field of /proc/pid/status given in kB, in bytes.
func procStatus(pid int, field string) (float64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	m := regexp.MustCompile(`(?m)^` + field + `:\s+(\d+) kB`).FindSubmatch(data)
	if m == nil {
		return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
	}
	kb, err := strconv.ParseFloat(string(m[1]), 64)
	return kb * 1024, err
}

// median returns the median of xs.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// join formats xs for the table.
func join(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strings.Join(s, " ")
}

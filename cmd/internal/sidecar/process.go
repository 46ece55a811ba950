package sidecar

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stopGrace is how long a process may take to exit after SIGTERM before
// it is killed.
const stopGrace = 5 * time.Second

// maxOutputLines bounds the stdout and stderr lines kept per process.
const maxOutputLines = 10000

// process is a running function process whose stdout and stderr are
// collected line by line.
type process struct {
	cmd      *exec.Cmd
	onOutput func(stream, line string)

	mu     sync.Mutex
	output []OutputLine
	// dropped counts the lines beyond maxOutputLines.
	dropped int

	// exited is closed when the process has ended and its output has been
	// read; err is then Wait's error.
	exited chan struct{}
	err    error
}

// startProcess runs command in dir with env.
func startProcess(command []string, dir string, env []string, onOutput func(stream, line string)) (*process, error) {
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdin = nil
	p := &process{cmd: cmd, onOutput: onOutput, exited: make(chan struct{})}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", command[0], err)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go p.read(&wg, "stdout", stdout)
	go p.read(&wg, "stderr", stderr)
	go func() {
		// The pipes must be drained before Wait closes them.
		wg.Wait()
		p.err = cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

// read collects the lines of one stream.
func (p *process) read(wg *sync.WaitGroup, stream string, r io.Reader) {
	defer wg.Done()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Text()
		p.mu.Lock()
		if len(p.output) < maxOutputLines {
			p.output = append(p.output, OutputLine{Stream: stream, Text: line})
		} else {
			p.dropped++
		}
		p.mu.Unlock()
		if p.onOutput != nil {
			p.onOutput(stream, line)
		}
	}
	// A line too long for the scanner ends the scan; drain the rest so
	// that the process never blocks on a full pipe.
	_, _ = io.Copy(io.Discard, r)
}

// mark returns the number of output lines so far, for since.
func (p *process) mark() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.output)
}

// since returns the output lines from mark on.
func (p *process) since(mark int) []OutputLine {
	p.mu.Lock()
	defer p.mu.Unlock()
	if mark >= len(p.output) {
		return nil
	}
	return append([]OutputLine(nil), p.output[mark:]...)
}

// tail returns the last n output lines as text, for an error message.
func (p *process) tail(n int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	lines := p.output
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%s: %s\n", l.Stream, l.Text)
	}
	return b.String()
}

// running reports whether the process has not exited yet.
func (p *process) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// status describes how the process ended; call it after exited is closed.
func (p *process) status() string {
	if p.err == nil {
		return "exit status 0"
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ProcessState.String()
	}
	return p.err.Error()
}

// stop ends the process: SIGTERM, then a kill after grace. It returns an
// error when the process had to be killed.
func (p *process) stop(grace time.Duration) error {
	if !p.running() {
		return nil
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		// No SIGTERM on this platform, or the process is gone.
		_ = p.cmd.Process.Kill()
		<-p.exited
		return nil
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("the process did not exit within %s of SIGTERM and was killed", grace)
	}
}

// kill ends the process at once.
func (p *process) kill() {
	if p.running() {
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// environ returns base (os.Environ() when nil) with the variables of set
// replacing any of the same name.
func environ(base []string, set map[string]string) []string {
	if base == nil {
		base = os.Environ()
	}
	out := make([]string, 0, len(base)+len(set))
	for _, kv := range base {
		name, _, _ := strings.Cut(kv, "=")
		if _, ok := set[name]; ok {
			continue
		}
		out = append(out, kv)
	}
	for _, name := range sortedNames(set) {
		out = append(out, name+"="+set[name])
	}
	return out
}

func sortedNames(m map[string]string) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

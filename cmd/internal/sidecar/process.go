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
	"unicode/utf8"
)

// stopGrace is how long a process may take to exit after SIGTERM before
// it is killed.
const stopGrace = 5 * time.Second

// maxOutputLines bounds the stdout and stderr lines kept per process.
const maxOutputLines = 10000

// maxLineBytes bounds the length of a stdout or stderr line kept: a longer
// line is cut and marked.
const maxLineBytes = 4 << 20

// process is a running function process whose stdout and stderr are
// collected line by line.
type process struct {
	cmd      *exec.Cmd
	onOutput func(stream, line string)

	mu     sync.Mutex
	output []OutputLine
	// dropped counts the lines beyond maxOutputLines.
	dropped int
	// cut holds the indexes in output of the lines longer than
	// maxLineBytes, which were cut.
	cut []int

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

// read collects the lines of one stream until it ends. A line longer than
// maxLineBytes is cut, marked, and counted; the lines after it are read as
// usual.
func (p *process) read(wg *sync.WaitGroup, stream string, r io.Reader) {
	defer wg.Done()
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		text, size, err := readLine(br, maxLineBytes)
		if size == 0 && err != nil {
			// The stream ended (or failed) between lines; drain the rest
			// so that the process never blocks on a full pipe.
			_, _ = io.Copy(io.Discard, r)
			return
		}
		cut := size > maxLineBytes
		if cut {
			text = cutMarked(text, size)
		}
		p.mu.Lock()
		if len(p.output) < maxOutputLines {
			if cut {
				p.cut = append(p.cut, len(p.output))
			}
			p.output = append(p.output, OutputLine{Stream: stream, Text: text})
		} else {
			p.dropped++
		}
		p.mu.Unlock()
		if p.onOutput != nil {
			p.onOutput(stream, text)
		}
		if err != nil {
			_, _ = io.Copy(io.Discard, r)
			return
		}
	}
}

// readLine reads one line of r without its end ("\n" or "\r\n"), keeping at
// most limit bytes of it; size is the line's whole length. err is non-nil
// when r ends: text is then the unterminated last line, if size > 0.
func readLine(r *bufio.Reader, limit int) (text string, size int, err error) {
	var line []byte
	var last byte
	for {
		frag, err := r.ReadSlice('\n')
		ended := err == nil
		if ended {
			frag = frag[:len(frag)-1]
		}
		if len(frag) > 0 {
			last = frag[len(frag)-1]
		}
		size += len(frag)
		if room := limit - len(line); room > 0 {
			line = append(line, frag[:min(room, len(frag))]...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case !ended && size == 0:
			return "", 0, err
		}
		if last == '\r' {
			size--
			line = line[:min(len(line), size)]
		}
		if ended {
			err = nil
		}
		return string(line), size, err
	}
}

// cutMarked ends the first bytes of a line of size bytes with a marker,
// at a rune boundary.
func cutMarked(text string, size int) string {
	for i := len(text) - 1; i >= 0 && i >= len(text)-utf8.UTFMax; i-- {
		if utf8.RuneStart(text[i]) {
			if !utf8.FullRuneInString(text[i:]) {
				text = text[:i]
			}
			break
		}
	}
	return text + fmt.Sprintf(" ... [line cut: %d bytes, over the %d MiB kept per line]", size, maxLineBytes>>20)
}

// cutLines counts the lines from mark on that were cut.
func (p *process) cutLines(mark int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, i := range p.cut {
		if i >= mark {
			n++
		}
	}
	return n
}

// droppedLines returns how many lines were not kept beyond maxOutputLines.
func (p *process) droppedLines() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dropped
}

// noteOutput notes on res what of the output from mark on is not kept in
// full: the lines that were cut, and the lines beyond maxOutputLines.
func (p *process) noteOutput(res *Result, mark int) {
	if n := p.cutLines(mark); n > 0 {
		res.note("%d line(s) of the process's stdout or stderr were longer than %d MiB: each is cut there and marked \"[line cut: ...]\"; the lines after them are kept", n, maxLineBytes>>20)
	}
	if n := p.droppedLines(); n > 0 {
		res.note("the process wrote more than %d lines to stdout and stderr: the %d line(s) after them are not kept", maxOutputLines, n)
	}
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

// tail returns the last n output lines.
func (p *process) tail(n int) []OutputLine {
	p.mu.Lock()
	defer p.mu.Unlock()
	lines := p.output
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return append([]OutputLine(nil), lines...)
}

// startError is a *StartError for err with the last lines of the output.
func (p *process) startError(err error) *StartError {
	lines := p.tail(20)
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%s: %s\n", l.Stream, l.Text)
	}
	return &StartError{Err: err, Output: b.String(), Lines: lines}
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

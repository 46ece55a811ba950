package sidecar

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"time"
)

// tailPoll is how often the log tail looks for new lines in out.log.
const tailPoll = 5 * time.Millisecond

// logShipper models how Direktiv v0.6.0's sidecar sends out.log to
// Direktiv: it tails the file from its beginning (waiting for it to
// exist), and sends each whole line, one at a time, in a call that takes
// cost. An unterminated last line is never sent. It stops the moment it is
// told to, whatever is still waiting.
type logShipper struct {
	path  string
	cost  time.Duration
	start time.Time
	onLog func(LogLine)

	quit, done chan struct{}
	stopOnce   sync.Once

	mu    sync.Mutex
	lines []LogLine
	// flush is set by finish: send what is there at once, then stop.
	flush bool
	// cut counts the lines longer than MaxLog, sent cut.
	cut int
	// due is when the last line sent is due, by the schedule.
	due time.Time
}

// startShipper starts tailing path.
func startShipper(path string, cost time.Duration, start time.Time, onLog func(LogLine)) *logShipper {
	s := &logShipper{path: path, cost: cost, start: start, onLog: onLog, quit: make(chan struct{}), done: make(chan struct{})}
	go s.run()
	return s
}

// run tails the file until quit, or until finish and the end of the file.
// A line longer than MaxLog is sent cut there (and counted): the rest of
// it is skipped, so that memory stays bounded.
func (s *logShipper) run() {
	defer close(s.done)
	var f *os.File
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	var pending []byte
	skipping := false
	buf := make([]byte, 64<<10)
	for {
		if f == nil {
			f, _ = os.Open(s.path)
		}
		n := 0
		if f != nil {
			n, _ = f.Read(buf)
			pending = append(pending, buf[:n]...)
		}
		read := time.Now()
		for {
			i := bytes.IndexByte(pending, '\n')
			if i < 0 && len(pending) > MaxLog && !skipping {
				s.mu.Lock()
				s.cut++
				s.mu.Unlock()
				if !s.send(string(pending[:MaxLog]), read) {
					return
				}
				pending, skipping = pending[:0], true
			}
			if i < 0 {
				if skipping {
					pending = pending[:0]
				}
				break
			}
			line := strings.TrimSuffix(string(pending[:i]), "\r")
			pending = pending[i+1:]
			if skipping {
				skipping = false
				continue
			}
			if !s.send(line, read) {
				return
			}
		}
		if n > 0 {
			continue
		}
		s.mu.Lock()
		flush := s.flush
		s.mu.Unlock()
		if flush {
			return
		}
		select {
		case <-s.quit:
			return
		case <-time.After(tailPoll):
		}
	}
}

// send sends one line, read at read, after its cost, unless the shipper
// is stopped first. The lines are sent on a schedule, each cost after the
// later of the previous one and its reading, so that a late timer does not
// slow the pace.
func (s *logShipper) send(msg string, read time.Time) bool {
	s.mu.Lock()
	flush := s.flush
	s.mu.Unlock()
	if read.After(s.due) {
		s.due = read
	}
	s.due = s.due.Add(s.cost)
	if wait := time.Until(s.due); !flush && wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-s.quit:
			t.Stop()
			return false
		case <-t.C:
		}
	}
	select {
	case <-s.quit:
		return false
	default:
	}
	line := LogLine{At: time.Since(s.start), Message: msg}
	s.mu.Lock()
	s.lines = append(s.lines, line)
	s.mu.Unlock()
	if s.onLog != nil {
		s.onLog(line)
	}
	return true
}

// stop stops the shipper at once, as the sidecar does when it has
// reported the result, and returns the lines sent.
func (s *logShipper) stop() []LogLine {
	s.stopOnce.Do(func() { close(s.quit) })
	<-s.done
	return s.sent()
}

// finish sends the whole lines written so far without their cost, then
// stops: the sidecar of a call that never reports goes on sending until
// Direktiv ends the pod at the timeout.
func (s *logShipper) finish() []LogLine {
	s.mu.Lock()
	s.flush = true
	s.mu.Unlock()
	<-s.done
	return s.sent()
}

// cutLines returns how many lines were longer than MaxLog.
func (s *logShipper) cutLines() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cut
}

// sent returns the lines sent so far.
func (s *logShipper) sent() []LogLine {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]LogLine{}, s.lines...)
}

// countLines counts the lines of the file at path, an unterminated last
// one included.
func countLines(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n, last := 0, byte('\n')
	buf := make([]byte, 64<<10)
	for {
		k, err := f.Read(buf)
		if k > 0 {
			n += bytes.Count(buf[:k], []byte{'\n'})
			last = buf[k-1]
		}
		if err != nil {
			break
		}
	}
	if last != '\n' {
		n++
	}
	return n
}

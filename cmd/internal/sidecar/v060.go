package sidecar

import (
	"path/filepath"
	"time"
)

// v060 models Direktiv v0.6.0's sidecar beside one isolated call: once it
// has started it tails out.log (a logShipper) and watches the data folder
// for the creation of done. It is used from one goroutine.
type v060 struct {
	data  string
	opts  Options
	start time.Time
	// seen receives a value at the first creation of done seen.
	seen chan struct{}

	// from is when it started watching, since the start; watching says
	// whether it did.
	from     time.Duration
	watching bool
	unwatch  func()
	ship     *logShipper
}

// watch starts the sidecar: the log tail, then the watch for done.
func (s *v060) watch() error {
	s.from, s.watching = time.Since(s.start), true
	s.ship = startShipper(filepath.Join(s.data, logFile), s.opts.LineCost, s.start, s.opts.OnLog)
	stop, err := watchCreates(s.data, doneFile, func() {
		select {
		case s.seen <- struct{}{}:
		default:
		}
	})
	if err != nil {
		return err
	}
	s.unwatch = stop
	return nil
}

// stopWatch stops watching, after the creations already queued, and
// reports whether one was seen.
func (s *v060) stopWatch() bool {
	if s.unwatch != nil {
		s.unwatch()
		s.unwatch = nil
	}
	select {
	case <-s.seen:
		return true
	default:
		return false
	}
}

// stopTail stops the log tail at once, as the sidecar does once it has
// reported, and returns the lines sent.
func (s *v060) stopTail() []LogLine {
	if s.ship == nil {
		return []LogLine{}
	}
	return s.ship.stop()
}

// finishTail sends the rest of the log, as the sidecar of a call that
// never reports does until the action's timeout, and returns the lines
// sent. A sidecar that had not started yet starts now.
func (s *v060) finishTail() []LogLine {
	if s.ship == nil {
		s.ship = startShipper(filepath.Join(s.data, logFile), s.opts.LineCost, s.start, s.opts.OnLog)
	}
	return s.ship.finish()
}

// noteLate explains a result reported at a creation of done other than the
// first: the sidecar started watching after it.
func (s *v060) noteLate(res *Result, creations []time.Duration) {
	if len(creations) > 0 && s.watching && creations[0] < s.from {
		res.note("the sidecar started watching %s after the process: it missed the first creation of done (at %s) and reported at a later one", s.opts.WatchDelay, round(creations[0]))
	}
}

// cutLines returns how many out.log lines were longer than MaxLog.
func (s *v060) cutLines() int {
	if s.ship == nil {
		return 0
	}
	return s.ship.cutLines()
}

// stop ends the watch and the tail, if they still run.
func (s *v060) stop() {
	s.stopWatch()
	if s.ship != nil {
		s.ship.stop()
	}
}

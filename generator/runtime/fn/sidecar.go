package fn

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// sidecarLogMessage keeps msg within maxLogBytes: a longer message is cut,
// at a character boundary, and ends with a marker saying so.
func sidecarLogMessage(msg string) string {
	if len(msg) <= maxLogBytes {
		return msg
	}
	marker := fmt.Sprintf(" ... [log message cut: %d bytes; the sidecar takes %d]", len(msg), maxLogBytes)
	cut := maxLogBytes - len(marker)
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + marker
}

// sidecarLog delivers log messages to the sidecar's /log, one HTTP/1.1
// request per message, over connections kept open for the next message:
// at most sidecarConns at once. Each message is answered before send
// returns, so a call's messages arrive in order and before the call
// answers (the sidecar forgets an action id once its call has answered).
// It is safe for concurrent use.
type sidecarLog struct {
	// err is why the sidecar's URL cannot be used; nil when it can.
	err error
	// addr is the sidecar's host:port and host its Host header.
	addr, host string
	// target is the request target up to the action id.
	target string
	// idle holds the open connections not in use; open holds a token per
	// open connection.
	idle chan *sidecarConn
	open chan struct{}
}

// sidecarConn is one open connection to the sidecar.
type sidecarConn struct {
	net.Conn
	r *bufio.Reader
	w *bufio.Writer
}

// newSidecarLog returns the log client of the sidecar at base, an http://
// URL. A base that is not one makes every message fail with err.
func newSidecarLog(base string) *sidecarLog {
	l := &sidecarLog{idle: make(chan *sidecarConn, sidecarConns), open: make(chan struct{}, sidecarConns)}
	u, err := url.Parse(base)
	switch {
	case err != nil:
		l.err = err
	case u.Scheme != "http" || u.Host == "" || u.User != nil || u.RawQuery != "":
		l.err = fmt.Errorf("the sidecar URL %q is not of the form http://host:port", base)
	}
	if l.err != nil {
		return l
	}
	l.host, l.addr = u.Host, u.Host
	if u.Port() == "" {
		l.addr = net.JoinHostPort(u.Hostname(), "80")
	}
	l.target = strings.TrimRight(u.EscapedPath(), "/") + "/log?aid="
	return l
}

// send posts msg to the log of the call with actionID and waits for the
// sidecar's answer, for up to logTimeout.
func (l *sidecarLog) send(actionID, msg string) error {
	if l.err != nil {
		return l.err
	}
	deadline := time.Now().Add(logTimeout)
	c, reused, err := l.conn(deadline)
	if err != nil {
		return err
	}
	retry, err := l.post(c, deadline, actionID, msg)
	if retry && reused && !errors.Is(err, os.ErrDeadlineExceeded) {
		// The sidecar closed the idle connection before reading the
		// message: send it again on a new one.
		if c, _, err = l.conn(deadline); err != nil {
			return err
		}
		_, err = l.post(c, deadline, actionID, msg)
	}
	return err
}

// conn returns an idle connection, or a new one when there are fewer than
// sidecarConns, waiting for one until deadline. reused tells which.
func (l *sidecarLog) conn(deadline time.Time) (c *sidecarConn, reused bool, err error) {
	select {
	case c := <-l.idle:
		return c, true, nil
	default:
	}
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case c := <-l.idle:
		return c, true, nil
	case l.open <- struct{}{}:
		nc, err := (&net.Dialer{Deadline: deadline}).Dial("tcp", l.addr)
		if err != nil {
			<-l.open
			return nil, false, err
		}
		return &sidecarConn{Conn: nc, r: bufio.NewReader(nc), w: bufio.NewWriter(nc)}, false, nil
	case <-timer.C:
		return nil, false, fmt.Errorf("no connection to the sidecar free within %s", logTimeout)
	}
}

// post sends msg on c and reads the answer. c goes back to l.idle when it
// can carry another message, and is closed otherwise. retry reports a
// failure before any byte of the answer: the message may not have been
// read.
func (l *sidecarLog) post(c *sidecarConn, deadline time.Time, actionID, msg string) (retry bool, err error) {
	keep := false
	defer func() {
		if keep {
			l.idle <- c
			return
		}
		_ = c.Close()
		<-l.open
	}()
	_ = c.SetDeadline(deadline)
	c.w.WriteString("POST ")
	c.w.WriteString(l.target)
	c.w.WriteString(url.QueryEscape(actionID))
	c.w.WriteString(" HTTP/1.1\r\nHost: ")
	c.w.WriteString(l.host)
	c.w.WriteString("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ")
	c.w.WriteString(strconv.Itoa(len(msg)))
	c.w.WriteString("\r\n\r\n")
	c.w.WriteString(msg)
	if err := c.w.Flush(); err != nil {
		return true, err
	}
	if _, err := c.r.Peek(1); err != nil {
		return true, err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return false, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	keep = err == nil && !resp.Close
	if resp.StatusCode/100 != 2 {
		return false, fmt.Errorf("the sidecar answered %s", resp.Status)
	}
	return false, err
}

package sidecar

import (
	"encoding/binary"
	"os"
	"syscall"
	"time"
)

// watchCreates calls onCreate for each event Direktiv v0.6.0's sidecar
// takes for the creation of dir/name: inotify's IN_CREATE, and IN_MOVED_TO
// (a rename onto it), which its fsnotify reports as Create too. Only what
// happens after the call is seen. stop reads the events already queued,
// then stops: onCreate is not called after it returns.
func watchCreates(dir, name string, onCreate func()) (stop func(), err error) {
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	if err != nil {
		return nil, os.NewSyscallError("inotify_init1", err)
	}
	if _, err := syscall.InotifyAddWatch(fd, dir, syscall.IN_CREATE|syscall.IN_MOVED_TO); err != nil {
		syscall.Close(fd)
		return nil, os.NewSyscallError("inotify_add_watch", err)
	}
	// A non-blocking descriptor joins the runtime's poller: Read waits
	// without holding a thread, and a deadline ends it.
	f := os.NewFile(uintptr(fd), "inotify")
	buf := make([]byte, 64<<10)
	parse := func(b []byte) {
		for len(b) >= syscall.SizeofInotifyEvent {
			mask := binary.NativeEndian.Uint32(b[4:])
			size := int(binary.NativeEndian.Uint32(b[12:]))
			end := min(syscall.SizeofInotifyEvent+size, len(b))
			ev := string(trimNUL(b[syscall.SizeofInotifyEvent:end]))
			if ev == name && mask&(syscall.IN_CREATE|syscall.IN_MOVED_TO) != 0 {
				onCreate()
			}
			b = b[end:]
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			n, err := f.Read(buf)
			if err != nil {
				return
			}
			parse(buf[:n])
		}
	}()
	return func() {
		_ = f.SetReadDeadline(time.Now())
		<-done
		// What the kernel queued before the deadline and the reader did
		// not get to.
		rc, err := f.SyscallConn()
		if err == nil {
			_ = rc.Control(func(fd uintptr) {
				for {
					n, err := syscall.Read(int(fd), buf)
					if n <= 0 || err != nil {
						return
					}
					parse(buf[:n])
				}
			})
		}
		f.Close()
	}, nil
}

// trimNUL drops the NUL padding after an inotify event's name.
func trimNUL(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return b
}

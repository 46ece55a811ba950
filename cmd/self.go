package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// invocation is how the user runs direktiv-fn, so that the commands it
// prints (the next steps, the command without questions) run as they are.
type invocation struct {
	// command runs direktiv-fn: its name when the shell found it on PATH,
	// else its absolute path. Empty means "direktiv-fn".
	command string
	// install, when not empty, installs direktiv-fn first: it ran with
	// "go run", which leaves no binary behind.
	install string
}

// name returns the command that runs direktiv-fn.
func (i invocation) name() string {
	if i.command == "" {
		return "direktiv-fn"
	}
	return i.command
}

// detectInvocation tells how this process was started: args0 is os.Args[0],
// exe os.Executable's result, src the folder of this package's source
// (where "go run" compiled it from), path $PATH, and gobin where "go
// install" puts binaries ("" when it cannot be told).
func detectInvocation(args0, exe, src, path string, gobin func() string) invocation {
	if ranWithGoRun(exe) && src != "" {
		root := filepath.Dir(src)
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			inv := invocation{install: "go -C " + shellQuote(root) + " install ."}
			dir := gobin()
			switch {
			case dir == "":
			case onPath(dir, path):
			default:
				inv.command = filepath.Join(dir, "direktiv-fn")
			}
			return inv
		}
	}
	if !strings.ContainsRune(args0, filepath.Separator) && !strings.ContainsRune(args0, '/') {
		return invocation{command: args0} // found on PATH by the shell
	}
	if abs, err := filepath.Abs(args0); err == nil {
		return invocation{command: abs}
	}
	return invocation{}
}

// ranWithGoRun reports whether exe is a binary "go run" built: either in
// its executable cache (Go 1.24 and later:
// $GOCACHE/5c/5c5e...bd81-d/direktiv-fn) or in an "exe" folder below a
// go-build temporary folder ($TMPDIR/go-build123/b001/exe/direktiv-fn).
func ranWithGoRun(exe string) bool {
	dir := filepath.Dir(exe)
	if isGoCacheEntry(filepath.Base(filepath.Dir(dir)), filepath.Base(dir)) {
		return true
	}
	if filepath.Base(dir) != "exe" {
		return false
	}
	for range 3 {
		dir = filepath.Dir(dir)
		if strings.HasPrefix(filepath.Base(dir), "go-build") {
			return true
		}
	}
	return false
}

// isGoCacheEntry reports whether parent and dir, the last two folders of
// an executable, are those of the Go build cache: the hash's first byte in
// hex, then the hash (at least 32 hex digits) and "-d". It runs on every
// start, so it does without a regular expression to compile.
func isGoCacheEntry(parent, dir string) bool {
	hash, ok := strings.CutSuffix(dir, "-d")
	return ok && len(parent) == 2 && isLowerHex(parent) && len(hash) >= 32 && isLowerHex(hash)
}

// isLowerHex reports whether s is made of the digits 0-9 and a-f only.
func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// onPath reports whether dir is one of path's folders.
func onPath(dir, path string) bool {
	for _, p := range filepath.SplitList(path) {
		if p != "" && filepath.Clean(p) == filepath.Clean(dir) {
			return true
		}
	}
	return false
}

// thisInvocation is detectInvocation for the running process. Inside a
// test binary (x.test), the commands print as "direktiv-fn", so that
// golden outputs do not depend on where the test ran.
func thisInvocation() invocation {
	exe, _ := os.Executable()
	if strings.HasSuffix(exe, ".test") || strings.HasSuffix(exe, ".test.exe") {
		return invocation{}
	}
	_, file, _, _ := runtime.Caller(0)
	src := ""
	if filepath.IsAbs(file) { // not with -trimpath
		src = filepath.Dir(file)
	}
	return detectInvocation(os.Args[0], exe, src, os.Getenv("PATH"), goBin)
}

// goBin returns the folder "go install" writes to, or "".
func goBin() string {
	out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) >= 1 && lines[0] != "" {
		return lines[0]
	}
	if len(lines) >= 2 && lines[1] != "" {
		return filepath.Join(filepath.SplitList(lines[1])[0], "bin")
	}
	return ""
}

package cmd

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDetectInvocation: the printed commands run direktiv-fn the way the
// user did: by name from PATH, by its absolute path, or, after "go run",
// installed first and then by name (or by path when GOBIN is not on PATH).
func TestDetectInvocation(t *testing.T) {
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "go.mod"), []byte("module github.com/direktiv-fn/direktiv-fn\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmdDir := filepath.Join(src, "cmd")
	goRunExe := filepath.Join(os.TempDir(), "go-build123", "b001", "exe", "direktiv-fn")
	wd, _ := os.Getwd()
	gobin := func() string { return "/home/u/go/bin" }
	tests := []struct {
		name, args0, exe, path string
		want                   invocation
	}{
		{"on PATH", "direktiv-fn", "/usr/local/bin/direktiv-fn", "/usr/local/bin", invocation{command: "direktiv-fn"}},
		{"by path", "./bin/direktiv-fn", filepath.Join(wd, "bin/direktiv-fn"), "/usr/bin", invocation{command: filepath.Join(wd, "bin/direktiv-fn")}},
		{"go run, GOBIN on PATH", goRunExe, goRunExe, "/usr/bin:/home/u/go/bin", invocation{install: "go -C " + shellQuote(src) + " install ."}},
		{"go run from the cache", "direktiv-fn", "/root/.cache/go-build/5c/5c5e3038c68e8603fe4c4cc217c1b5f419096e8b9cc746b550200ddb4f34bd81-d/direktiv-fn", "/home/u/go/bin", invocation{install: "go -C " + shellQuote(src) + " install ."}},
		{"go run, GOBIN not on PATH", goRunExe, goRunExe, "/usr/bin", invocation{install: "go -C " + shellQuote(src) + " install .", command: "/home/u/go/bin/direktiv-fn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detectInvocation(tt.args0, tt.exe, cmdDir, tt.path, gobin); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if got := (invocation{}).name(); got != "direktiv-fn" {
		t.Errorf("the zero invocation runs %q", got)
	}
}

// TestIsGoCacheEntry: the last two folders of an executable in the Go build
// cache, and near misses.
func TestIsGoCacheEntry(t *testing.T) {
	hash := "5c5e3038c68e8603fe4c4cc217c1b5f419096e8b9cc746b550200ddb4f34bd81"
	for _, tt := range []struct {
		parent, dir string
		want        bool
	}{
		{"5c", hash + "-d", true},
		{"5c", hash[:32] + "-d", true},
		{"5c", hash[:31] + "-d", false},
		{"5c", hash, false},
		{"5c", hash + "-a", false},
		{"5C", hash + "-d", false},
		{"5c", "5C" + hash[2:] + "-d", false},
		{"5", hash + "-d", false},
		{"5cc", hash + "-d", false},
		{"5g", hash + "-d", false},
		{"5c", "-d", false},
	} {
		if got := isGoCacheEntry(tt.parent, tt.dir); got != tt.want {
			t.Errorf("isGoCacheEntry(%q, %q) = %v, want %v", tt.parent, tt.dir, got, tt.want)
		}
	}
}

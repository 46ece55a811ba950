package sidecar

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Build compiles the function repository in dir into outDir and returns
// the binary's path: "go build -o <outDir>/fn ." with CGO_ENABLED=0, as the
// generated Dockerfile builds it. env is the build's environment before
// CGO_ENABLED is set; nil means os.Environ(). A failed build is a
// *StartError holding the compiler's output.
func Build(ctx context.Context, dir, outDir string, env []string) (string, error) {
	bin := filepath.Join(outDir, "fn")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = environ(env, map[string]string{"CGO_ENABLED": "0"})
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		var lines []OutputLine
		for _, l := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
			if l != "" {
				lines = append(lines, OutputLine{Stream: "build", Text: l})
			}
		}
		return "", &StartError{Err: fmt.Errorf("go build failed in %s: %w", dir, err), Output: out.String(), Lines: lines}
	}
	return bin, nil
}

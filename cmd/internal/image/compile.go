package image

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// DefaultPlatform is the platform built when none is asked for.
const DefaultPlatform = "linux/amd64"

// ParsePlatforms reads a comma-separated list of platforms, such as
// "linux/amd64,linux/arm64,linux/arm/v7". Direktiv runs Linux containers:
// another OS is refused, and so is a platform given twice.
func ParsePlatforms(s string) ([]v1.Platform, error) {
	var out []v1.Platform
	seen := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			return nil, fmt.Errorf("platform list %q has an empty entry: write os/arch[/variant], such as linux/amd64,linux/arm64", s)
		}
		p, err := v1.ParsePlatform(f)
		if err != nil || p.OS == "" || p.Architecture == "" || strings.Contains(f, ":") {
			return nil, fmt.Errorf("platform %q: write os/arch[/variant], such as linux/amd64 or linux/arm/v7", f)
		}
		if p.OS != "linux" {
			return nil, fmt.Errorf("platform %q: Direktiv runs Linux containers; write linux/%s", f, p.Architecture)
		}
		if _, err := goEnv(*p); err != nil {
			return nil, err
		}
		if seen[p.String()] {
			return nil, fmt.Errorf("platform %q is given twice", f)
		}
		seen[p.String()] = true
		out = append(out, *p)
	}
	return out, nil
}

// goEnv returns the variables that make the go command build for p: GOOS,
// GOARCH, and the variant as GOARM or GOAMD64.
func goEnv(p v1.Platform) ([]string, error) {
	env := []string{"GOOS=" + p.OS, "GOARCH=" + p.Architecture}
	v := p.Variant
	switch {
	case v == "":
	case p.Architecture == "arm" && (v == "v5" || v == "v6" || v == "v7"):
		env = append(env, "GOARM="+strings.TrimPrefix(v, "v"))
	case p.Architecture == "arm64" && v == "v8":
		// arm64 is v8: Go's only level.
	case p.Architecture == "amd64" && (v == "v1" || v == "v2" || v == "v3" || v == "v4"):
		env = append(env, "GOAMD64="+v)
	default:
		return nil, fmt.Errorf("platform %q: variant %q is not one Go builds for (linux/arm/v5, v6, v7; linux/arm64/v8; linux/amd64/v1 to v4)", p.String(), v)
	}
	return env, nil
}

// compile builds the function in dir for p into outDir and returns the
// binary's content: a static binary (CGO_ENABLED=0) without the build
// machine's paths (-trimpath), symbol tables or DWARF (-ldflags=-s -w), or
// version control stamp (-buildvcs=false: the image's labels carry the
// revision, and the binary stays the same whether the tree is clean or
// not). env is the environment before these are set; the variables of
// another target (GOARM, GOAMD64, GO386) are dropped.
func compile(ctx context.Context, dir, outDir string, p v1.Platform, env []string) ([]byte, error) {
	target, err := goEnv(p)
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(outDir, "fn-"+strings.ReplaceAll(p.String(), "/", "-"))
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(withoutVars(env, "CGO_ENABLED", "GOOS", "GOARCH", "GOARM", "GOAMD64", "GO386", "GOARM64"), "CGO_ENABLED=0")
	cmd.Env = append(cmd.Env, target...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("go build for %s failed in %s: %w\n%s", p.String(), dir, err, strings.TrimRight(out.String(), "\n"))
	}
	return os.ReadFile(bin)
}

// withoutVars returns env without the variables names.
func withoutVars(env []string, names ...string) []string {
	var out []string
next:
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

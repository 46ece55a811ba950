package generator

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/internal/fixture"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// dockerStage is one stage of a parsed Dockerfile.
type dockerStage struct {
	// from holds FROM's arguments: the base image, then "AS" and the name.
	from []string
	// instructions are the stage's other instructions, in order.
	instructions []*parser.Node
}

// dockerArgs returns the arguments of an instruction node.
func dockerArgs(n *parser.Node) []string {
	var out []string
	for a := n.Next; a != nil; a = a.Next {
		out = append(out, a.Value)
	}
	return out
}

// find returns the stage's instructions named name ("run", "user", ...).
func (s dockerStage) find(name string) []*parser.Node {
	var out []*parser.Node
	for _, n := range s.instructions {
		if strings.EqualFold(n.Value, name) {
			out = append(out, n)
		}
	}
	return out
}

// parseDockerfile parses src with BuildKit's parser, the one docker build
// uses, and splits it into stages.
func parseDockerfile(t *testing.T, src []byte) []dockerStage {
	t.Helper()
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatalf("BuildKit cannot parse the Dockerfile: %v\n%s", err, src)
	}
	for _, w := range res.Warnings {
		t.Errorf("BuildKit warns: line %d: %s", w.Location.Start.Line, w.Short)
	}
	var stages []dockerStage
	for _, n := range res.AST.Children {
		if strings.EqualFold(n.Value, "from") {
			stages = append(stages, dockerStage{from: dockerArgs(n)})
			continue
		}
		if len(stages) == 0 {
			t.Fatalf("line %d: %s before the first FROM", n.StartLine, n.Original)
		}
		stages[len(stages)-1].instructions = append(stages[len(stages)-1].instructions, n)
	}
	return stages
}

// TestDockerfile parses the Dockerfile of each mode as docker build would,
// checks what Direktiv needs of the image, and runs the build stage's
// commands in a copy of the generated repository.
func TestDockerfile(t *testing.T) {
	for _, mode := range config.Modes {
		t.Run(string(mode), func(t *testing.T) {
			cfg := fixture.RichConfig(t, mode)
			files, err := Generate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			var src []byte
			for _, f := range files {
				if f.Path == "Dockerfile" {
					src = f.Content
				}
			}
			stages := parseDockerfile(t, src)
			if len(stages) != 2 {
				t.Fatalf("%d stages, want 2 (build, final)", len(stages))
			}
			build, final := stages[0], stages[1]

			if want := []string{BuildImage, "AS", "build"}; strings.Join(build.from, " ") != strings.Join(want, " ") {
				t.Errorf("build stage: FROM %q, want %q", build.from, want)
			}
			workdir := ""
			if w := build.find("workdir"); len(w) == 1 {
				workdir = dockerArgs(w[0])[0]
			} else {
				t.Errorf("build stage: %d WORKDIR, want 1", len(w))
			}
			// The dependency layer: go.mod and go.sum (optional) alone, then
			// go mod download, then the sources.
			var order []string
			for _, n := range build.instructions {
				if v := strings.ToLower(n.Value); v == "copy" || v == "run" {
					order = append(order, v+" "+strings.Join(dockerArgs(n), " "))
				}
			}
			runs := build.find("run")
			if len(order) != 4 || order[0] != "copy go.mod go.sum* ./" || order[1] != "run go mod download" || order[2] != "copy . ." || !strings.HasPrefix(order[3], "run ") {
				t.Errorf("build stage: COPY and RUN are %q, want COPY go.mod go.sum* ./, RUN go mod download, COPY . ., RUN go build", order)
			}
			buildCmd := strings.Join(dockerArgs(runs[len(runs)-1]), " ")
			for _, want := range []string{"CGO_ENABLED=0", "go build", "-trimpath", `-ldflags="-s -w"`} {
				if !strings.Contains(buildCmd, want) {
					t.Errorf("build command %q lacks %s", buildCmd, want)
				}
			}
			fields := strings.Fields(buildCmd)
			binary := ""
			for i, f := range fields {
				if f == "-o" && i+1 < len(fields) {
					binary = path.Join(workdir, fields[i+1])
				}
			}

			if len(final.from) != 1 || final.from[0] != "gcr.io/distroless/static-debian12:nonroot" {
				t.Errorf("final stage: FROM %q, want gcr.io/distroless/static-debian12:nonroot", final.from)
			}
			copies := final.find("copy")
			if len(copies) != 1 || strings.Join(copies[0].Flags, " ") != "--from=build" || len(dockerArgs(copies[0])) != 2 || dockerArgs(copies[0])[0] != binary {
				t.Fatalf("final stage: want exactly COPY --from=build %s <dest>", binary)
			}
			dest := dockerArgs(copies[0])[1]
			users := final.find("user")
			if len(users) != 1 {
				t.Fatalf("final stage: %d USER, want 1", len(users))
			}
			for _, id := range strings.Split(dockerArgs(users[0])[0], ":") {
				if n, err := strconv.Atoi(id); err != nil || n == 0 {
					t.Errorf("USER %s: want numeric non-root ids (Kubernetes' runAsNonRoot)", dockerArgs(users[0])[0])
				}
			}
			entry := final.find("entrypoint")
			if len(entry) != 1 || !entry[0].Attributes["json"] || strings.Join(dockerArgs(entry[0]), " ") != dest {
				t.Errorf("final stage: want ENTRYPOINT [%q] in JSON form", dest)
			}
			expose := final.find("expose")
			switch {
			case mode == config.ModeKnative && (len(expose) != 1 || strings.Join(dockerArgs(expose[0]), " ") != "8080"):
				t.Errorf("final stage: want EXPOSE 8080")
			case mode == config.ModeIsolated && len(expose) != 0:
				t.Errorf("final stage: isolated functions expose no port")
			}

			if testing.Short() {
				return
			}
			if _, err := exec.LookPath("go"); err != nil {
				t.Skip("no go command to run the build stage")
			}
			// Run the build stage's commands where COPY . . would have put
			// the repository.
			dir := t.TempDir()
			for _, f := range files {
				p := filepath.Join(dir, filepath.FromSlash(f.Path))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, run := range runs {
				cmd := exec.Command("sh", "-c", strings.Join(dockerArgs(run), " "))
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("RUN %s: %v\n%s", strings.Join(dockerArgs(run), " "), err, out)
				}
			}
			if runtime.GOOS != "linux" {
				return // the checks below read ELF
			}
			bin, err := elf.Open(filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(binary, workdir+"/"))))
			if err != nil {
				t.Fatalf("the build command made no binary at %s: %v", binary, err)
			}
			defer bin.Close()
			for _, p := range bin.Progs {
				if p.Type == elf.PT_INTERP {
					t.Error("the binary is dynamically linked")
				}
			}
			if bin.Section(".symtab") != nil {
				t.Error("the binary keeps its symbol table: -s -w did not apply")
			}
		})
	}
}

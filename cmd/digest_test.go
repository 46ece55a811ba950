package cmd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNewDigestImage: an image pinned by digest is built, run and pushed
// under its tag (docker build -t refuses a digest), in the next steps, the
// README and the Dockerfile, while the workflow references the digest.
func TestNewDigestImage(t *testing.T) {
	const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := []struct{ image, tag string }{
		{"registry.example.com/team/fn:v2@" + digest, "registry.example.com/team/fn:v2"},
		{"localhost:5000/fn@" + digest, "localhost:5000/fn:latest"},
	}
	for _, tt := range tests {
		for _, mode := range []string{"knative-workflow", "isolated"} {
			t.Run(mode+"/"+tt.tag, func(t *testing.T) {
				root := inTempDir(t)
				code, out, errOut := runMain(t, "new", "fn", "--mode", mode, "--image", tt.image, "--no-input")
				if code != 0 {
					t.Fatalf("exit %d\n%s", code, errOut)
				}
				docker := regexp.MustCompile(`(?m)docker (?:build -t|run --rm)[^\n]*|docker push \S+$`)
				read := func(name string) string {
					b, err := os.ReadFile(filepath.Join(root, "fn", name))
					if err != nil {
						t.Fatal(err)
					}
					return string(b)
				}
				for where, text := range map[string]string{"next steps": out, "README.md": read("README.md"), "Dockerfile": read("Dockerfile")} {
					lines := docker.FindAllString(text, -1)
					if len(lines) == 0 {
						t.Errorf("%s: no docker line", where)
					}
					for _, l := range lines {
						if strings.Contains(l, "@sha256") || !strings.Contains(l, tt.tag) {
							t.Errorf("%s: %q does not use the tag %s", where, l, tt.tag)
						}
					}
				}
				if !strings.Contains(out, "workflow.yaml references the digest "+tt.image) {
					t.Errorf("the next steps do not say what to do with the digest:\n%s", out)
				}
				if wf := read("workflow.yaml"); !strings.Contains(wf, `image: "`+tt.image+`"`) {
					t.Errorf("workflow.yaml does not reference the digest:\n%s", wf)
				}
				if code, out, _ := runMain(t, "lint", "--dir", "fn"); code != 0 {
					t.Errorf("lint: exit %d\n%s", code, out)
				}
			})
		}
	}
	// Without a digest nothing changes: the image is the tag.
	inTempDir(t)
	if _, out, _ := runMain(t, "new", "fn", "--image", "r.example.com/fn:v1", "--no-input"); !strings.Contains(out, "docker build -t r.example.com/fn:v1 .") || strings.Contains(out, "digest") {
		t.Errorf("next steps:\n%s", out)
	}
}

package cmd

import (
	"io"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/image"
)

// buildEpoch is the SOURCE_DATE_EPOCH of the build tests: 2024-05-06T07:08:09Z.
const buildEpoch = "1714979289"

// newBuildProject creates a knative-workflow function with the image ref
// in a temporary folder, made the working folder.
func newBuildProject(t *testing.T, ref string, more ...[]string) string {
	t.Helper()
	dir := inTempDir(t)
	if res := (run{args: []string{"new", "hello", "--dir", ".", "--force", "--image", ref, "--no-input"}}).exec(t); res.code != 0 {
		t.Fatalf("new: %d\n%s", res.code, res.stderr)
	}
	for _, args := range more {
		if res := (run{args: args}).exec(t); res.code != 0 {
			t.Fatalf("%v: %d\n%s", args, res.code, res.stderr)
		}
	}
	return dir
}

// digestLine finds the printed digest.
var digestLine = regexp.MustCompile(`(?m)^Digest: (sha256:[0-9a-f]{64})$`)

// TestBuildCommand builds into an OCI layout, a tarball and a digest
// file, and prints what it built; a second build prints the same digest.
func TestBuildCommand(t *testing.T) {
	dir := newBuildProject(t, "registry.example.com/team/hello:v1")
	env := map[string]string{"SOURCE_DATE_EPOCH": buildEpoch}
	res := (run{args: []string{"build", "--oci-layout", "out", "--tarball", "hello.tar", "--digest-file", "digest.txt"}, env: env}).exec(t)
	if res.code != 0 {
		t.Fatalf("build: %d\n%s", res.code, res.stderr)
	}
	m := digestLine.FindStringSubmatch(res.stdout)
	if m == nil {
		t.Fatalf("no digest printed:\n%s", res.stdout)
	}
	digest := m[1]
	sizes := regexp.MustCompile(`linux/amd64 +[0-9.]+ MB to pull \(the binary: [0-9.]+ MB\)`)
	want := "Built the image registry.example.com/team/hello:v1 of hello (knative-workflow):\n" +
		"  " + sizes.FindString(res.stdout) + "\n" +
		"  created 2024-05-06T07:08:09Z ($SOURCE_DATE_EPOCH)\n" +
		"  CA certificates from "
	if !strings.HasPrefix(res.stdout, want) || !strings.Contains(res.stdout, "\nWrote the OCI layout out (tag v1).\n"+
		"Wrote hello.tar: load it with \"docker load -i hello.tar\" or \"podman load -i hello.tar\".\n"+
		"Wrote registry.example.com/team/hello@"+digest+" to digest.txt.\n"+
		"Digest: "+digest+"\n") {
		t.Errorf("stdout:\n%s\nwant it to start with:\n%s", res.stdout, want)
	}
	if !strings.Contains(res.stderr, "direktiv-fn: compiling hello for linux/amd64\n") {
		t.Errorf("stderr: %s", res.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "digest.txt")); string(b) != "registry.example.com/team/hello@"+digest+"\n" {
		t.Errorf("digest.txt = %q", b)
	}
	lp, err := layout.FromPath(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := lp.Image(mustHash(t, digest))
	if err != nil {
		t.Fatalf("the layout has no image %s: %v", digest, err)
	}
	cf, _ := img.ConfigFile()
	if cf.Config.Labels[image.LabelID] != "hello" || cf.Config.Labels[image.LabelCreated] != "2024-05-06T07:08:09Z" {
		t.Errorf("labels %v", cf.Config.Labels)
	}
	if _, err := os.Stat(filepath.Join(dir, "hello.tar")); err != nil {
		t.Error(err)
	}

	// Again, named by a digest alone: built as its :latest, as the
	// Dockerfile does; the name is not in the image, the digest is the same.
	res = (run{args: []string{"build", "--image", "registry.example.com/other@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}, env: env}).exec(t)
	if m := digestLine.FindStringSubmatch(res.stdout); res.code != 0 || m == nil || m[1] != digest {
		t.Errorf("a second build: %d, %q; want the digest %s\n%s", res.code, res.stdout, digest, res.stderr)
	}
	if !strings.HasPrefix(res.stdout, "Built the image registry.example.com/other:latest of hello") {
		t.Errorf("a second build by digest:\n%s", res.stdout)
	}
	if !strings.Contains(res.stderr, "Nothing was written: give --oci-layout, --tarball or --push to keep the image.") {
		t.Errorf("a build without outputs says nothing of it: %s", res.stderr)
	}
}

// TestBuildPushPin pushes to a registry on loopback and pins the manifest
// and workflow.yaml to the pushed digest; the repository is then up to
// date, and the image pulled back carries the function's error codes.
func TestBuildPushPin(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	ref := strings.TrimPrefix(srv.URL, "http://") + "/hello:v1"
	t.Setenv("DOCKER_CONFIG", t.TempDir()) // no credentials, whatever the machine has
	dir := newBuildProject(t, ref, []string{"add-error", "badInput", "--description", "The input cannot be used."})
	env := map[string]string{"SOURCE_DATE_EPOCH": buildEpoch}

	res := (run{args: []string{"build", "--push", "--pin"}, env: env}).exec(t)
	if res.code != 0 {
		t.Fatalf("build --push --pin: %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	digest := digestLine.FindStringSubmatch(res.stdout)[1]
	pinned := ref + "@" + digest
	for _, want := range []string{"Pushed " + ref + ".\n", "Pinning direktiv-fn.yaml to " + pinned + ":\n", "workflow.yaml"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, res.stdout)
		}
	}
	if !strings.Contains(res.stderr, "direktiv-fn: pushing "+ref+"\n") || !strings.Contains(res.stderr, "(100%)\n") {
		t.Errorf("no push progress on stderr:\n%s", res.stderr)
	}
	manifest, _ := os.ReadFile(filepath.Join(dir, "direktiv-fn.yaml"))
	workflow, _ := os.ReadFile(filepath.Join(dir, "workflow.yaml"))
	if !strings.Contains(string(manifest), "image: "+pinned+"\n") {
		t.Errorf("the manifest's image is not pinned:\n%s", manifest)
	}
	if !strings.Contains(string(workflow), pinned) {
		t.Errorf("workflow.yaml's image is not pinned:\n%s", workflow)
	}
	if res := (run{args: []string{"generate", "--check"}}).exec(t); res.code != 0 {
		t.Errorf("after pinning, generate --check: %d\n%s", res.code, res.stderr)
	}
	if res := (run{args: []string{"lint"}}).exec(t); res.code != 0 {
		t.Errorf("after pinning, lint: %d\n%s%s", res.code, res.stdout, res.stderr)
	}

	tag, _ := name.NewTag(ref, name.Insecure)
	img, err := remote.Image(tag, remote.WithAuthFromKeychain(authn.NewMultiKeychain()))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := img.Digest(); d.String() != digest {
		t.Errorf("the registry's %s is %s, want %s", ref, d, digest)
	}
	cf, _ := img.ConfigFile()
	if !strings.Contains(cf.Config.Labels[image.LabelErrors], `{"code":"hello.badInput","description":"The input cannot be used."}`) {
		t.Errorf("errors label: %s", cf.Config.Labels[image.LabelErrors])
	}

	// Built again from the pinned manifest: the same tag, the same
	// digest, nothing to pin.
	res = (run{args: []string{"build", "--push", "--pin"}, env: env}).exec(t)
	if res.code != 0 || digestLine.FindStringSubmatch(res.stdout)[1] != digest || strings.Contains(res.stdout, "Pinning") {
		t.Errorf("a second build --push --pin: %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
}

// TestBuildRefusals: flags that cannot work are usage errors, found before
// anything is compiled; a stale repository is refused.
func TestBuildRefusals(t *testing.T) {
	newBuildProject(t, "registry.example.com/hello:v1")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"build", "--pin"}, ExitUsage, "Error: --pin writes the pushed digest into the manifest: add --push\n"},
		{[]string{"build", "--platform", "darwin/arm64"}, ExitUsage, `Error: --platform: platform "darwin/arm64": Direktiv runs Linux containers; write linux/arm64`},
		{[]string{"build", "--platform", "linux/amd64,linux/arm64", "--tarball", "x.tar"}, ExitUsage, "Error: --tarball holds one image, for docker load, and --platform names 2: give one platform, or use --oci-layout or --push for an image index\n"},
		{[]string{"build", "--user", "nonroot"}, ExitUsage, `Error: --user "nonroot": give a numeric uid or uid:gid`},
		{[]string{"build", "--base", "gcr.io/distroless/static", "--ca-certs", "x.pem"}, ExitUsage, "Error: --ca-certs is for images without a base: --base gcr.io/distroless/static brings its own certificates\n"},
		{[]string{"build", "--image", "Bad/Name"}, ExitUsage, `Error: --image: "Bad/Name" is not an image reference`},
		{[]string{"build", "--ca-certs", "missing.pem"}, ExitFailure, "Error: CA certificates: stat missing.pem: no such file or directory\n"},
	} {
		res := (run{args: tc.args}).exec(t)
		if res.code != tc.code || !strings.Contains(res.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit %d and %q", tc.args, res.code, res.stderr, tc.code, tc.want)
		}
		if strings.Contains(res.stderr, "compiling") {
			t.Errorf("%v compiled before refusing", tc.args)
		}
	}

	// The schema edited and not regenerated: the generated decoder would
	// not match it (and the decode runtime copy would gain the optional
	// string's allocator).
	schema, _ := os.ReadFile("input.schema.json")
	os.WriteFile("input.schema.json", []byte(strings.Replace(string(schema), `"properties": {`, `"properties": {"extra": {"type": "string"},`, 1)), 0o644)
	res := (run{args: []string{"build"}}).exec(t)
	if res.code != ExitFailure || !strings.Contains(res.stderr, "Error: the generated code in . is out of date: a generation would change input.gen.go, internal/decode/alloc.gen.go, so the image would not match input.schema.json and direktiv-fn.yaml") || !strings.Contains(res.stderr, `run "direktiv-fn generate" first`) {
		t.Errorf("a stale repository: exit %d\n%s", res.code, res.stderr)
	}
}

// mustHash parses a digest.
func mustHash(t *testing.T, s string) v1.Hash {
	t.Helper()
	h, err := v1.NewHash(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestBuildGit builds a git repository: the image carries the commit's
// time and hash and --source; uncommitted changes get a warning; --user
// sets the config's user; a generated Go file edited by hand is refused.
func TestBuildGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := newBuildProject(t, "registry.example.com/hello:v1")
	gitEnv := append(os.Environ(), "GIT_AUTHOR_DATE=2024-05-06T07:08:09Z", "GIT_COMMITTER_DATE=2024-05-06T07:08:09Z",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	git := func(args ...string) string {
		t.Helper()
		c := exec.Command("git", args...)
		c.Dir, c.Env = dir, gitEnv
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "hello")
	rev := git("rev-parse", "HEAD")

	res := (run{args: []string{"build", "--oci-layout", "out", "--user", "0:0", "--source", "https://example.com/hello"}}).exec(t)
	if res.code != 0 {
		t.Fatalf("build: %d\n%s", res.code, res.stderr)
	}
	if !strings.Contains(res.stdout, "  created 2024-05-06T07:08:09Z (the commit's time), revision "+rev[:12]+"\n") || strings.Contains(res.stderr, "Warning") {
		t.Errorf("a clean commit:\n%s\n%s", res.stdout, res.stderr)
	}
	lp, err := layout.FromPath(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := lp.Image(mustHash(t, digestLine.FindStringSubmatch(res.stdout)[1]))
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := img.ConfigFile()
	if cf.Config.User != "0:0" || cf.Config.Labels[image.LabelRevision] != rev || cf.Config.Labels[image.LabelSource] != "https://example.com/hello" {
		t.Errorf("user %q, labels %v", cf.Config.User, cf.Config.Labels)
	}

	os.WriteFile(filepath.Join(dir, "handler.go"), append(readFile(t, filepath.Join(dir, "handler.go")), "\n// an edit\n"...), 0o644)
	res = (run{args: []string{"build"}}).exec(t)
	if res.code != 0 || !strings.Contains(res.stderr, "Warning: . has uncommitted changes: the image is built from the working tree, but its revision label names the commit "+rev[:12]+".\n") {
		t.Errorf("a dirty tree: %d\n%s", res.code, res.stderr)
	}

	os.WriteFile(filepath.Join(dir, "errors.gen.go"), append(readFile(t, filepath.Join(dir, "errors.gen.go")), "\n// an edit\n"...), 0o644)
	res = (run{args: []string{"build"}}).exec(t)
	if res.code != ExitFailure || !strings.Contains(res.stderr, "a generation would change errors.gen.go (edited by hand)") {
		t.Errorf("a hand-edited generated file: %d\n%s", res.code, res.stderr)
	}
}

// readFile reads a file or fails the test.
func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

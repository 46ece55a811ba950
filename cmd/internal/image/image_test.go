package image

import (
	"context"
	"debug/elf"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/sidecar"
	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// sampleInput is the schema's sample input, as direktiv-fn invoke sends it.
func sampleInput(t *testing.T, dir string) []byte {
	t.Helper()
	name := filepath.Join(dir, "input.schema.json")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := schema.Parse(name, data)
	if err != nil {
		t.Fatal(err)
	}
	in, err := generator.SampleInputJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// run calls the function unpacked in u per the contract, with the
// emulated sidecar: a POST to the server on $PORT (knative), or a run with
// $DIREKTIV_DATA_DIR (isolated).
func run(t *testing.T, u *unpacked, fn Function, input []byte) *sidecar.Result {
	t.Helper()
	res, err := sidecar.Run(context.Background(), sidecar.Options{
		Mode:          sidecar.Mode(fn.Mode),
		Command:       []string{filepath.Join(u.root, fn.ID)},
		Dir:           u.root,
		Env:           []string{"PATH=" + os.Getenv("PATH")},
		Timeout:       20 * time.Second,
		CancelGrace:   time.Second,
		ReadyTimeout:  20 * time.Second,
		ReadyInterval: 10 * time.Millisecond,
		StopGrace:     2 * time.Second,
	}, sidecar.Call{Input: input})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestImageRuns builds each golden function, unpacks its layers and runs
// the binary from them per the contract, without a container runtime: a
// valid input succeeds, an invalid one fails with the catchable
// invalidInput code.
func TestImageRuns(t *testing.T) {
	p := hostPlatform(t)
	for _, name := range []string{"knative-rich", "isolated-rich"} {
		t.Run(name, func(t *testing.T) {
			dir, fn := golden(t, name)
			r := build(t, fn, p)
			if r.Image == nil || r.Index != nil {
				t.Fatalf("one platform built an index")
			}
			u := unpack(t, r.Image)

			res := run(t, u, fn, sampleInput(t, dir))
			if res.Outcome != sidecar.Success {
				t.Fatalf("the sample input: outcome %s, error %+v, notes %q, output %+v", res.Outcome, res.Error, res.Notes, res.Output)
			}
			var out map[string]any
			if err := json.Unmarshal(res.Return, &out); err != nil || len(out) == 0 {
				t.Errorf(".return = %s (%v), want the handler's JSON object", res.Return, err)
			}
			res = run(t, u, fn, []byte(`{"name": 5}`))
			if res.Outcome != sidecar.Catchable || res.Error == nil || res.Error.Code != fn.ID+".invalidInput" {
				t.Errorf("an invalid input: outcome %s, error %+v; want the catchable %s.invalidInput", res.Outcome, res.Error, fn.ID)
			}
		})
	}
}

// TestImageFiles checks the file system: the binary, the users, the CA
// certificates, /tmp, and for isolated mode the data folder, with their
// modes, owners and the fixed times.
func TestImageFiles(t *testing.T) {
	p := hostPlatform(t)
	for _, name := range []string{"knative-rich", "isolated-rich"} {
		t.Run(name, func(t *testing.T) {
			_, fn := golden(t, name)
			r := build(t, fn, p)
			u := unpack(t, r.Image)
			type want struct {
				mode     int64
				uid, gid int
				mtime    time.Time
			}
			wants := map[string]want{
				"etc/passwd":                        {0o644, 0, 0, rootFSTime},
				"etc/group":                         {0o644, 0, 0, rootFSTime},
				"etc/ssl/certs/ca-certificates.crt": {0o644, 0, 0, rootFSTime},
				"tmp":                               {0o1777, 0, 0, rootFSTime},
				"home/nonroot":                      {0o700, 65532, 65532, rootFSTime},
				fn.ID:                               {0o755, 0, 0, testStamp.Created},
			}
			if fn.Mode == ModeIsolated {
				wants["direktiv-data"] = want{0o755, 65532, 65532, testStamp.Created}
			} else if _, ok := u.headers["direktiv-data"]; ok {
				t.Errorf("a knative-workflow image has /direktiv-data")
			}
			for path, w := range wants {
				h, ok := u.headers[path]
				if !ok {
					t.Errorf("/%s is missing", path)
					continue
				}
				if h.Mode != w.mode || h.Uid != w.uid || h.Gid != w.gid || !h.ModTime.Equal(w.mtime) {
					t.Errorf("/%s: mode %o uid %d gid %d mtime %s; want %o %d %d %s", path, h.Mode, h.Uid, h.Gid, h.ModTime.UTC(), w.mode, w.uid, w.gid, w.mtime)
				}
			}
			passwd, _ := os.ReadFile(filepath.Join(u.root, "etc", "passwd"))
			if !strings.Contains(string(passwd), "nonroot:x:65532:65532:") {
				t.Errorf("/etc/passwd has no nonroot 65532:\n%s", passwd)
			}
			group, _ := os.ReadFile(filepath.Join(u.root, "etc", "group"))
			if !strings.Contains(string(group), "nonroot:x:65532:") {
				t.Errorf("/etc/group has no nonroot 65532:\n%s", group)
			}
			certs, _ := os.ReadFile(filepath.Join(u.root, "etc", "ssl", "certs", "ca-certificates.crt"))
			if string(certs) != string(testCA()) {
				t.Errorf("the CA certificates are not the bundle given")
			}
			f, err := elf.Open(filepath.Join(u.root, fn.ID))
			if err != nil {
				t.Fatalf("/%s is not an ELF binary: %v", fn.ID, err)
			}
			defer f.Close()
			if s := f.Section(".symtab"); s != nil {
				t.Errorf("/%s has a symbol table: it was not linked with -s", fn.ID)
			}
			if s := f.Section(".interp"); s != nil {
				t.Errorf("/%s has an ELF interpreter: it is not static (CGO_ENABLED=0)", fn.ID)
			}
		})
	}
}

// TestImageConfig checks the config and the annotations: the entrypoint,
// the user, the port, the OCI labels and the function's own.
func TestImageConfig(t *testing.T) {
	p := hostPlatform(t)
	_, fn := golden(t, "knative-rich")
	fn.Errors = append(fn.Errors, ErrorCode{Code: "archive.badInput", Description: "The archive cannot be built."})
	r := build(t, fn, p)
	// Every digest, diff id and size the manifest and config record
	// matches the content.
	if err := validate.Image(r.Image); err != nil {
		t.Fatal(err)
	}
	cf, err := r.Image.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if !slices.Equal(c.Entrypoint, []string{"/archive"}) || c.Cmd != nil || c.User != "65532:65532" || c.WorkingDir != "/" {
		t.Errorf("entrypoint %q cmd %q user %q workdir %q; want [/archive] [] 65532:65532 /", c.Entrypoint, c.Cmd, c.User, c.WorkingDir)
	}
	if _, ok := c.ExposedPorts["8080/tcp"]; !ok {
		t.Errorf("port 8080/tcp is not exposed: %v", c.ExposedPorts)
	}
	if cf.OS != p.OS || cf.Architecture != p.Architecture || !cf.Created.Time.Equal(testStamp.Created) {
		t.Errorf("os %s arch %s created %s", cf.OS, cf.Architecture, cf.Created.Time)
	}
	want := map[string]string{
		LabelTitle:        "archive",
		LabelCreated:      "2024-05-06T07:08:09Z",
		LabelRevision:     testStamp.Revision,
		LabelSource:       testStamp.Source,
		LabelID:           "archive",
		LabelMode:         "knative-workflow",
		LabelSchemaDigest: fn.SchemaDigest,
		LabelErrors:       `[{"code":"archive.invalidInput","description":"The input does not match the input schema; the message lists every violation."},{"code":"archive.failed","description":"The handler returned an error without a code."},{"code":"archive.panic","description":"The handler panicked; the message holds the panic value."},{"code":"archive.badInput","description":"The archive cannot be built."}]`,
	}
	m, err := r.Image.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range want {
		if c.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, c.Labels[k], v)
		}
		if m.Annotations[k] != v {
			t.Errorf("annotation %s = %q, want %q", k, m.Annotations[k], v)
		}
	}
	if len(c.Labels) != len(want) {
		t.Errorf("labels %v, want exactly %v", c.Labels, want)
	}
	if !strings.HasPrefix(fn.SchemaDigest, "sha256:") {
		t.Errorf("schema digest %q", fn.SchemaDigest)
	}
	if len(cf.History) != 2 || len(m.Layers) != 2 {
		t.Errorf("%d history entries, %d layers; want 2 and 2", len(cf.History), len(m.Layers))
	}
	for _, l := range m.Layers {
		if l.MediaType != "application/vnd.oci.image.layer.v1.tar+gzip" {
			t.Errorf("layer media type %s", l.MediaType)
		}
	}
	if m.MediaType != "application/vnd.oci.image.manifest.v1+json" || m.Config.MediaType != "application/vnd.oci.image.config.v1+json" {
		t.Errorf("manifest %s, config %s: want OCI media types", m.MediaType, m.Config.MediaType)
	}
}

// TestReproducible builds the same function from two copies in different
// folders: the digests are the same. A different time gives another.
func TestReproducible(t *testing.T) {
	p := hostPlatform(t)
	_, fn1 := golden(t, "isolated-rich")
	_, fn2 := golden(t, "isolated-rich")
	r1 := build(t, fn1, p)
	r2 := build(t, fn2, p)
	if r1.Digest != r2.Digest {
		t.Errorf("two builds of the same source: %s and %s", r1.Digest, r2.Digest)
	}
	later := testStamp
	later.Created = later.Created.Add(time.Second)
	r3, err := Build(context.Background(), fn1, Options{Platforms: []v1.Platform{p}, CACerts: testCA(), Stamp: later, Env: buildEnv})
	if err != nil {
		t.Fatal(err)
	}
	if r3.Digest == r1.Digest {
		t.Errorf("a build at another time has the same digest %s", r1.Digest)
	}
	// The root file system layer does not depend on the function or the
	// time: a registry stores it once.
	_, kn := golden(t, "knative-rich")
	r4 := build(t, kn, p)
	l1, _ := r3.Image.Layers()
	l4, _ := r4.Image.Layers()
	d1, _ := l1[0].Digest()
	d4, _ := l4[0].Digest()
	if d1 != d4 {
		t.Errorf("the root file system layers of two functions differ: %s and %s", d1, d4)
	}
}

// TestImageSize holds the size target: the image, compressed as a
// registry stores it, is at most the binary plus 300 KB.
func TestImageSize(t *testing.T) {
	p := hostPlatform(t)
	_, fn := golden(t, "knative-rich")
	certs, _, err := ReadCACerts("", CACertFiles)
	if err != nil {
		t.Skipf("no CA bundle on this machine: %v", err)
	}
	r, err := Build(context.Background(), fn, Options{Platforms: []v1.Platform{p}, CACerts: certs, Stamp: testStamp, Env: buildEnv})
	if err != nil {
		t.Fatal(err)
	}
	pi := r.Platforms[0]
	t.Logf("binary %d bytes, image %d bytes (CA bundle %d bytes)", pi.BinarySize, pi.Size, len(certs))
	if pi.Size > pi.BinarySize+300_000 {
		t.Errorf("image %d bytes > binary %d + 300 KB", pi.Size, pi.BinarySize)
	}
}

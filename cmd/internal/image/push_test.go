package image

import (
	"context"
	"debug/elf"
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

// testRegistry starts go-containerregistry's registry on loopback. wrap,
// when set, wraps its handler (to ask for credentials).
func testRegistry(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	var h http.Handler = registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// noRetry makes a refused push fail at once.
var noRetry = remote.WithRetryBackoff(remote.Backoff{Steps: 1})

// anonymous is a keychain without credentials, so that the tests do not
// read the machine's Docker config.
var anonymous = authn.NewMultiKeychain()

// TestPushAndPull pushes an image to a registry on loopback, over plain
// HTTP, and pulls it back: the same digest, the same layers; the progress
// reaches the total.
func TestPushAndPull(t *testing.T) {
	p := hostPlatform(t)
	_, fn := golden(t, "knative-rich")
	r := build(t, fn, p)
	reg := testRegistry(t, nil)
	tag, err := PushTarget(reg + "/fn/archive:v1")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var last, total int64
	d, err := Push(context.Background(), r, tag, PushOptions{Keychain: anonymous, Progress: func(c, tot int64) {
		mu.Lock()
		defer mu.Unlock()
		last, total = c, tot
	}})
	if err != nil {
		t.Fatal(err)
	}
	if d.DigestStr() != r.Digest.String() || d.Context().String() != reg+"/fn/archive" {
		t.Errorf("pushed %s, want %s@%s", d, reg+"/fn/archive", r.Digest)
	}
	if total == 0 || last != total {
		t.Errorf("progress ended at %d of %d", last, total)
	}
	pulled, err := remote.Image(tag, remote.WithAuthFromKeychain(anonymous))
	if err != nil {
		t.Fatal(err)
	}
	pd, _ := pulled.Digest()
	if pd != r.Digest {
		t.Errorf("pulled %s, pushed %s", pd, r.Digest)
	}
	// Pulled back, it still runs.
	u := unpack(t, pulled)
	if res := run(t, u, fn, []byte(`{"name": 5}`)); res.Error == nil || res.Error.Code != "archive.invalidInput" {
		t.Errorf("the pulled image's function: %+v", res)
	}
}

// TestMultiPlatform builds two platforms into an index, pushes it and
// pulls it back: each platform's image holds a binary for its machine.
func TestMultiPlatform(t *testing.T) {
	_, fn := golden(t, "isolated-rich")
	platforms, err := ParsePlatforms("linux/amd64,linux/arm64")
	if err != nil {
		t.Fatal(err)
	}
	r := build(t, fn, platforms...)
	if r.Index == nil || r.Image != nil {
		t.Fatalf("two platforms did not give an index")
	}
	reg := testRegistry(t, nil)
	tag, _ := PushTarget(reg + "/archive:v1")
	if _, err := Push(context.Background(), r, tag, PushOptions{Keychain: anonymous}); err != nil {
		t.Fatal(err)
	}
	idx, err := remote.Index(tag, remote.WithAuthFromKeychain(anonymous))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := idx.Digest(); d != r.Digest {
		t.Errorf("pulled index %s, pushed %s", d, r.Digest)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if im.MediaType != "application/vnd.oci.image.index.v1+json" || len(im.Manifests) != 2 {
		t.Fatalf("index %s with %d manifests", im.MediaType, len(im.Manifests))
	}
	if im.Annotations[LabelID] != "archive" {
		t.Errorf("index annotations %v", im.Annotations)
	}
	machines := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}
	for i, desc := range im.Manifests {
		want := platforms[i]
		if desc.Platform == nil || desc.Platform.String() != want.String() {
			t.Errorf("manifest %d is for %v, want %s", i, desc.Platform, want.String())
			continue
		}
		img, err := remote.Image(tag.Context().Digest(desc.Digest.String()), remote.WithAuthFromKeychain(anonymous))
		if err != nil {
			t.Fatal(err)
		}
		cf, _ := img.ConfigFile()
		if cf.Architecture != want.Architecture || cf.OS != "linux" {
			t.Errorf("%s: config says %s/%s", want.String(), cf.OS, cf.Architecture)
		}
		u := unpack(t, img)
		f, err := elf.Open(filepath.Join(u.root, "archive"))
		if err != nil {
			t.Fatal(err)
		}
		if f.Machine != machines[want.Architecture] {
			t.Errorf("%s: the binary is for %s", want.String(), f.Machine)
		}
		f.Close()
	}
}

// basicAuth asks for user:secret.
func basicAuth(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "user" || p != "secret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// TestPushCredentials pushes to a registry that wants credentials: without
// them the error says to log in; with them in the Docker config
// ($DOCKER_CONFIG), authn.DefaultKeychain finds them.
func TestPushCredentials(t *testing.T) {
	p := hostPlatform(t)
	_, fn := golden(t, "isolated-rich")
	r := build(t, fn, p)
	reg := testRegistry(t, basicAuth)
	tag, _ := PushTarget(reg + "/archive:v1")

	_, err := Push(context.Background(), r, tag, PushOptions{Keychain: anonymous, Remote: []remote.Option{noRetry}})
	if err == nil || !strings.Contains(err.Error(), "401 Unauthorized") || !strings.Contains(err.Error(), `log in with "docker login `+reg+`"`) {
		t.Fatalf("push without credentials: %v", err)
	}

	cfg := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte("user:secret"))
	if err := os.WriteFile(filepath.Join(cfg, "config.json"), fmt.Appendf(nil, `{"auths": {%q: {"auth": %q}}}`, reg, auth), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", cfg)
	d, err := Push(context.Background(), r, tag, PushOptions{})
	if err != nil {
		t.Fatalf("push with the Docker config's credentials: %v", err)
	}
	if d.DigestStr() != r.Digest.String() {
		t.Errorf("pushed %s, built %s", d.DigestStr(), r.Digest)
	}
}

// TestPushRefused: a registry that denies the repository, one that does
// not know the name, and one that is not there each get their own error.
func TestPushRefused(t *testing.T) {
	p := hostPlatform(t)
	_, fn := golden(t, "isolated-rich")
	r := build(t, fn, p)
	refuse := func(status int, code string) func(http.Handler) http.Handler {
		return func(http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/v2/" {
					return // the ping succeeds
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				fmt.Fprintf(w, `{"errors":[{"code":%q,"message":"refused by the test"}]}`, code)
			})
		}
	}
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := closed.Addr().String()
	closed.Close()
	for _, tc := range []struct {
		name, registry, want string
	}{
		{"denied", testRegistry(t, refuse(http.StatusForbidden, "DENIED")), "denies you the right to push archive (403 Forbidden)"},
		{"name unknown", testRegistry(t, refuse(http.StatusNotFound, "NAME_UNKNOWN")), "has no repository archive: create it"},
		{"unreachable", gone, "cannot reach the registry " + gone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tag, _ := PushTarget(tc.registry + "/archive:v1")
			_, err := Push(context.Background(), r, tag, PushOptions{Keychain: anonymous, Remote: []remote.Option{noRetry}})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "cannot push to "+tc.registry+"/archive:v1: ") {
				t.Errorf("got %v\nwant %q", err, tc.want)
			}
		})
	}
}

// TestBase builds on a base image pulled from a registry: the base's
// layers come first, its environment stays, the function's layer is
// appended, and the annotations name the base. A base of another
// platform is refused.
func TestBase(t *testing.T) {
	p := hostPlatform(t)
	_, fn := golden(t, "knative-rich")
	reg := testRegistry(t, nil)
	// The base: this package's own image of another function, with an
	// environment variable of its own.
	_, other := golden(t, "isolated-rich")
	base := build(t, other, p)
	baseCfg, _ := base.Image.ConfigFile()
	baseCfg = baseCfg.DeepCopy()
	baseCfg.Config.Env = append(baseCfg.Config.Env, "FROM_BASE=1")
	baseImg, err := mutate.ConfigFile(base.Image, baseCfg)
	if err != nil {
		t.Fatal(err)
	}
	baseImg = mutate.Annotations(baseImg, map[string]string{"org.opencontainers.image.url": "https://base.example.com"}).(v1.Image)
	baseRef, _ := PushTarget(reg + "/base:v1")
	if err := remote.Write(baseRef, baseImg, remote.WithAuthFromKeychain(anonymous)); err != nil {
		t.Fatal(err)
	}
	baseDigest, _ := baseImg.Digest()

	r, err := Build(context.Background(), fn, Options{
		Platforms: []v1.Platform{p}, Base: baseRef, Remote: []remote.Option{remote.WithAuthFromKeychain(anonymous)},
		Stamp: testStamp, Env: buildEnv,
	})
	if err != nil {
		t.Fatal(err)
	}
	bl, _ := baseImg.Layers()
	l, _ := r.Image.Layers()
	if len(l) != len(bl)+1 {
		t.Fatalf("%d layers on a base of %d; want one more", len(l), len(bl))
	}
	m, _ := r.Image.Manifest()
	if m.Annotations[LabelBaseName] != baseRef.Name() || m.Annotations[LabelBaseDigest] != baseDigest.String() {
		t.Errorf("base annotations %q %q; want %q %q", m.Annotations[LabelBaseName], m.Annotations[LabelBaseDigest], baseRef.Name(), baseDigest)
	}
	if _, ok := m.Annotations["org.opencontainers.image.url"]; ok {
		t.Errorf("the base's own annotations were kept: %v", m.Annotations)
	}
	cf, _ := r.Image.ConfigFile()
	if !strings.Contains(strings.Join(cf.Config.Env, " "), "FROM_BASE=1") || cf.Config.Entrypoint[0] != "/archive" || cf.Config.Labels[LabelMode] != ModeKnative {
		t.Errorf("config on the base: env %q entrypoint %q labels %v", cf.Config.Env, cf.Config.Entrypoint, cf.Config.Labels)
	}
	u := unpack(t, r.Image)
	if res := run(t, u, fn, []byte(`{"name": 5}`)); res.Error == nil || res.Error.Code != "archive.invalidInput" {
		t.Errorf("the function on the base: %+v", res)
	}

	// A base in Docker's format gets Docker layers, and no annotations,
	// which that format does not have.
	dockerBase := mutate.ConfigMediaType(mutate.MediaType(baseImg, types.DockerManifestSchema2), types.DockerConfigJSON)
	dockerRef, _ := PushTarget(reg + "/docker-base:v1")
	if err := remote.Write(dockerRef, dockerBase, remote.WithAuthFromKeychain(anonymous)); err != nil {
		t.Fatal(err)
	}
	r, err = Build(context.Background(), fn, Options{
		Platforms: []v1.Platform{p}, Base: dockerRef, Remote: []remote.Option{remote.WithAuthFromKeychain(anonymous)},
		Stamp: testStamp, Env: buildEnv,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Image(r.Image); err != nil {
		t.Error(err)
	}
	m, _ = r.Image.Manifest()
	last := m.Layers[len(m.Layers)-1]
	if m.MediaType != types.DockerManifestSchema2 || last.MediaType != types.DockerLayer || m.Annotations != nil {
		t.Errorf("on a Docker base: manifest %s, layer %s, annotations %v", m.MediaType, last.MediaType, m.Annotations)
	}
	if cf, _ := r.Image.ConfigFile(); cf.Config.Labels[LabelID] != "archive" {
		t.Errorf("on a Docker base, labels %v", cf.Config.Labels)
	}

	other2 := v1.Platform{OS: "linux", Architecture: "s390x"}
	if p.Architecture == other2.Architecture {
		other2.Architecture = "ppc64le"
	}
	_, err = Build(context.Background(), fn, Options{
		Platforms: []v1.Platform{other2}, Base: baseRef, Remote: []remote.Option{remote.WithAuthFromKeychain(anonymous)},
		Stamp: testStamp, Env: buildEnv,
	})
	want := fmt.Sprintf("--base %s is an image for %s, not %s", baseRef.Name(), p.String(), other2.String())
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a base of another platform: %v\nwant %q", err, want)
	}

	missing, _ := name.ParseReference(reg+"/nothing:v1", name.Insecure)
	_, err = Build(context.Background(), fn, Options{
		Platforms: []v1.Platform{p}, Base: missing, Remote: []remote.Option{remote.WithAuthFromKeychain(anonymous), noRetry},
		Stamp: testStamp, Env: buildEnv,
	})
	if err == nil || !strings.Contains(err.Error(), "--base "+missing.Name()) {
		t.Errorf("a missing base: %v", err)
	}
}

// TestRefs checks how references are read: a pinned reference pushes to
// its tag, a digest alone is refused, and registries on this machine are
// reached over HTTP.
func TestRefs(t *testing.T) {
	for _, tc := range []struct {
		in, tag, scheme, err string
	}{
		{in: "registry.example.com/fn:v1", tag: "registry.example.com/fn:v1", scheme: "https"},
		{in: "registry.example.com/fn:v1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", tag: "registry.example.com/fn:v1", scheme: "https"},
		{in: "localhost:5000/fn:v1", tag: "localhost:5000/fn:v1", scheme: "http"},
		{in: "localhost/fn:v1", tag: "localhost/fn:v1", scheme: "http"},
		{in: "127.0.0.1:5000/fn", tag: "127.0.0.1:5000/fn:latest", scheme: "http"},
		{in: "[::1]:5000/fn:v2", tag: "[::1]:5000/fn:v2", scheme: "http"},
		// go-containerregistry's own rule: private addresses too.
		{in: "192.168.1.10:5000/fn:v1", tag: "192.168.1.10:5000/fn:v1", scheme: "http"},
		{in: "registry.example.com:5000/fn@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", err: "names an image by its digest (sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef) alone"},
		{in: "Registry.example.com/FN:v1", err: `"Registry.example.com/FN:v1" is not an image reference: write [registry/]name[:tag], the name in lower case`},
	} {
		tag, err := PushTarget(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("PushTarget(%q) = %v, %v; want error %q", tc.in, tag, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("PushTarget(%q): %v", tc.in, err)
			continue
		}
		if tag.Name() != tc.tag || tag.Scheme() != tc.scheme {
			t.Errorf("PushTarget(%q) = %s over %s; want %s over %s", tc.in, tag.Name(), tag.Scheme(), tc.tag, tc.scheme)
		}
	}
}

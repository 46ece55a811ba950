package image

import (
	"archive/tar"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
)

// buildEnv is the environment golden projects are built in: their own
// module, whatever go.work surrounds them.
var buildEnv = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")

// testStamp is a fixed source stamp.
var testStamp = Stamp{
	Created:     time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
	CreatedFrom: "SOURCE_DATE_EPOCH",
	Revision:    "0123456789abcdef0123456789abcdef01234567",
	Source:      "https://example.com/archive",
}

// testCA returns a PEM bundle holding one self-signed certificate, made
// once per test binary.
var testCA = sync.OnceValue(func() []byte {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "direktiv-fn test CA"},
		NotBefore:             time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2044, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
})

// golden copies the golden project name (e.g. "knative-rich") to a
// temporary folder and returns it with its Function.
func golden(t *testing.T, name string) (string, Function) {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "..", "golden", name, "want"))); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, config.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	m, err := generator.LoadManifest(config.ManifestFile, data)
	if err != nil {
		t.Fatal(err)
	}
	schemaData, err := os.ReadFile(filepath.Join(dir, m.Schema))
	if err != nil {
		t.Fatal(err)
	}
	fn := Function{Dir: dir, ID: m.ID, Mode: string(m.Mode), SchemaDigest: manifest.Hash(schemaData)}
	for _, e := range config.BuiltinErrors {
		fn.Errors = append(fn.Errors, ErrorCode{Code: m.ID + "." + e.Name, Description: e.Description})
	}
	return dir, fn
}

// hostPlatform is the platform the tests run on: the image built for it
// can be run here.
func hostPlatform(t *testing.T) v1.Platform {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skipf("the image's binary runs on linux only; this is %s", runtime.GOOS)
	}
	return v1.Platform{OS: "linux", Architecture: runtime.GOARCH}
}

// build builds fn for platforms with the test stamp and CA.
func build(t *testing.T, fn Function, platforms ...v1.Platform) *Result {
	t.Helper()
	r, err := Build(context.Background(), fn, Options{Platforms: platforms, CACerts: testCA(), Stamp: testStamp, Env: buildEnv})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// unpacked is an image's file system, extracted.
type unpacked struct {
	root    string
	headers map[string]*tar.Header // by path, "etc/passwd"
}

// unpack extracts img's layers in order into a temporary folder, as a
// container runtime would (the layers here have no whiteouts).
func unpack(t *testing.T, img v1.Image) *unpacked {
	t.Helper()
	u := &unpacked{root: t.TempDir(), headers: map[string]*tar.Header{}}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range layers {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimSuffix(h.Name, "/")
			if strings.Contains(name, "..") || strings.HasPrefix(name, "/") {
				t.Fatalf("unsafe path %q in a layer", h.Name)
			}
			u.headers[name] = h
			dst := filepath.Join(u.root, filepath.FromSlash(name))
			switch h.Typeflag {
			case tar.TypeDir:
				if err := os.MkdirAll(dst, 0o755); err != nil {
					t.Fatal(err)
				}
			case tar.TypeReg:
				f, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode).Perm())
				if err != nil {
					t.Fatal(err)
				}
				if _, err := io.Copy(f, tr); err != nil {
					t.Fatal(err)
				}
				if err := f.Close(); err != nil {
					t.Fatal(err)
				}
			default:
				t.Fatalf("unexpected entry type %c for %s", h.Typeflag, h.Name)
			}
		}
		rc.Close()
	}
	return u
}

package image

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// TestWriteLayout writes an OCI layout, reads it back by its ref name,
// replaces it with a new build, and refuses a folder that holds something
// else.
func TestWriteLayout(t *testing.T) {
	p := hostPlatform(t)
	_, fn := golden(t, "knative-rich")
	r := build(t, fn, p)
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteLayout(dir, r, "v1"); err != nil {
		t.Fatal(err)
	}
	lp, err := layout.FromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := lp.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	im, _ := idx.IndexManifest()
	if len(im.Manifests) != 1 || im.Manifests[0].Digest != r.Digest || im.Manifests[0].Annotations[refNameAnnotation] != "v1" {
		t.Fatalf("index.json: %+v; want the image %s named v1", im.Manifests, r.Digest)
	}
	img, err := lp.Image(r.Digest)
	if err != nil {
		t.Fatal(err)
	}
	if err := validateLayers(img); err != nil {
		t.Error(err)
	}

	// A second build replaces the layout as a whole.
	r2 := build(t, fn, p)
	r2.Image, _ = mutate.CreatedAt(r2.Image, v1.Time{Time: testStamp.Created.Add(time.Second)})
	r2.Digest, _ = r2.Image.Digest()
	if err := WriteLayout(dir, r2, "v2"); err != nil {
		t.Fatal(err)
	}
	lp, _ = layout.FromPath(dir)
	idx, _ = lp.ImageIndex()
	im, _ = idx.IndexManifest()
	if len(im.Manifests) != 1 || im.Manifests[0].Digest != r2.Digest {
		t.Errorf("after a second write, index.json holds %+v; want only %s", im.Manifests, r2.Digest)
	}
	assertNoLeftovers(t, filepath.Dir(dir), "out")

	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	err = WriteLayout(other, r, "")
	if err == nil || !strings.Contains(err.Error(), "is a folder that is not empty and holds no OCI layout") {
		t.Errorf("a folder of other files: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(other, "notes.txt")); string(b) != "mine" {
		t.Errorf("the refused folder was changed")
	}
}

// failingLayer is a layer whose content cannot be read: writing it fails
// half-way through a layout.
type failingLayer struct{ v1.Layer }

func (failingLayer) Compressed() (io.ReadCloser, error) { return nil, errors.New("disk on fire") }

// TestWriteLayoutFails: a write that fails half-way leaves the old layout
// as it was, and no temporary folder.
func TestWriteLayoutFails(t *testing.T) {
	p := hostPlatform(t)
	_, fn := golden(t, "knative-rich")
	r := build(t, fn, p)
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteLayout(dir, r, "v1"); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "index.json"))

	good, _ := r.Image.Layers()
	bad, err := mutate.Append(mutate.MediaType(empty.Image, types.OCIManifestSchema1), mutate.Addendum{Layer: good[0]}, mutate.Addendum{Layer: failingLayer{good[1]}})
	if err != nil {
		t.Fatal(err)
	}
	err = WriteLayout(dir, &Result{Image: bad}, "v2")
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("a failing write: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "index.json"))
	if string(after) != string(before) {
		t.Errorf("the old layout changed:\n%s\n%s", before, after)
	}
	assertNoLeftovers(t, filepath.Dir(dir), "out")
}

// assertNoLeftovers checks that parent holds only want.
func assertNoLeftovers(t *testing.T, parent, want string) {
	t.Helper()
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if e.Name() != want {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// validateLayers reads every layer of img through.
func validateLayers(img v1.Image) error {
	ls, err := img.Layers()
	if err != nil {
		return err
	}
	for _, l := range ls {
		rc, err := l.Uncompressed()
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// TestWriteTarball writes a docker-loadable tarball: manifest.json names
// the tag, and the image read back has the same config and layers. An
// index is refused.
func TestWriteTarball(t *testing.T) {
	p := hostPlatform(t)
	_, fn := golden(t, "isolated-rich")
	r := build(t, fn, p)
	file := filepath.Join(t.TempDir(), "archive.tar")
	tag, _ := name.NewTag("registry.example.com/archive:v1")
	if err := WriteTarball(file, r, tag); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	var manifest []struct{ RepoTags []string }
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		if h.Name == "manifest.json" {
			if err := json.NewDecoder(tr).Decode(&manifest); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(manifest) != 1 || len(manifest[0].RepoTags) != 1 || manifest[0].RepoTags[0] != "registry.example.com/archive:v1" {
		t.Errorf("manifest.json: %+v", manifest)
	}
	img, err := tarball.ImageFromPath(file, &tag)
	if err != nil {
		t.Fatal(err)
	}
	gotCfg, _ := img.ConfigName()
	wantCfg, _ := r.Image.ConfigName()
	if gotCfg != wantCfg {
		t.Errorf("config %s, want %s", gotCfg, wantCfg)
	}
	if err := validateLayers(img); err != nil {
		t.Error(err)
	}
	assertNoLeftovers(t, filepath.Dir(file), "archive.tar")

	r.Image, r.Index = nil, empty.Index
	r.Platforms = make([]PlatformImage, 2)
	err = WriteTarball(filepath.Join(t.TempDir(), "x.tar"), r, tag)
	if err == nil || !strings.Contains(err.Error(), "--tarball holds one image") {
		t.Errorf("an index to a tarball: %v", err)
	}
}

package image

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// refNameAnnotation names an image in an OCI layout's index.json, so that
// "skopeo copy oci:DIR:v1" finds it.
const refNameAnnotation = "org.opencontainers.image.ref.name"

// WriteLayout writes the image (or the index) to an OCI image layout in
// dir, named tag in its index.json when tag is not empty. The layout is
// written in a temporary folder beside dir and renamed into place, so an
// interrupted write never leaves half a layout: dir holds the old layout
// or the new one. An existing dir must be an OCI layout, or empty.
func WriteLayout(dir string, r *Result, tag string) error {
	if err := replaceableLayout(dir); err != nil {
		return err
	}
	parent := filepath.Dir(filepath.Clean(dir))
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return fmt.Errorf("--oci-layout: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes it 0700
		return fmt.Errorf("--oci-layout: %w", err)
	}
	lp, err := layout.Write(tmp, empty.Index)
	if err != nil {
		return fmt.Errorf("--oci-layout: %w", err)
	}
	var opts []layout.Option
	if tag != "" {
		opts = append(opts, layout.WithAnnotations(map[string]string{refNameAnnotation: tag}))
	}
	if r.Index != nil {
		err = lp.AppendIndex(r.Index, opts...)
	} else {
		err = lp.AppendImage(r.Image, opts...)
	}
	if err != nil {
		return fmt.Errorf("--oci-layout: %w", err)
	}
	return swapInto(tmp, dir)
}

// replaceableLayout refuses a dir that holds something else than an OCI
// layout: it would be replaced as a whole.
func replaceableLayout(dir string) error {
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("--oci-layout: %w", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("--oci-layout %s is a file, not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("--oci-layout: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "oci-layout")); err != nil {
		return fmt.Errorf("--oci-layout %s is a folder that is not empty and holds no OCI layout (no oci-layout file): it would be replaced as a whole; give a new or empty folder", dir)
	}
	return nil
}

// swapInto renames the folder tmp to dir, replacing dir's old content:
// the old dir is moved aside, the new one renamed in, then the old one
// removed.
func swapInto(tmp, dir string) error {
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("--oci-layout: cannot move the old layout aside: %w", err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			_ = os.Rename(old, dir)
		}
		return fmt.Errorf("--oci-layout: %w", err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("--oci-layout: the new layout is in place, but the old one was left in %s: %w", old, err)
		}
	}
	return nil
}

// WriteTarball writes the image as a tarball that "docker load" and
// "podman load" read, tagged ref. It holds one image: an index of several
// platforms is refused. The file is written under a temporary name and
// renamed into place.
func WriteTarball(file string, r *Result, ref name.Tag) error {
	if r.Image == nil {
		return fmt.Errorf("--tarball holds one image, for docker load, and this build has %d platforms: give one --platform, or use --oci-layout or --push for an index", len(r.Platforms))
	}
	f, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".tmp-")
	if err != nil {
		return fmt.Errorf("--tarball: %w", err)
	}
	defer os.Remove(f.Name())
	if err := tarball.Write(ref, r.Image, f); err != nil {
		f.Close()
		return fmt.Errorf("--tarball: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--tarball: %w", err)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("--tarball: %w", err)
	}
	if err := os.Rename(f.Name(), file); err != nil {
		return fmt.Errorf("--tarball: %w", err)
	}
	return nil
}

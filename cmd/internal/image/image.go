// Package image builds a Direktiv function's repository into an OCI image
// without a container runtime: it cross-compiles the function, lays the
// binary, the CA certificates, the users and /tmp into reproducible layers,
// and writes the image to an OCI layout, a docker-loadable tarball or a
// registry. It uses github.com/google/go-containerregistry, the library of
// ko, crane and knative func.
package image

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The modes of a function, as its manifest names them.
const (
	ModeKnative  = "knative-workflow"
	ModeIsolated = "isolated"
)

// The labels and annotations an image carries. The OCI ones are defined by
// the image spec; the function's own are under the reverse domain of
// direktiv-fn's home, direktiv-fn.github.io, so that a catalogue can read a
// function's contract from its image.
const (
	LabelTitle      = "org.opencontainers.image.title"
	LabelCreated    = "org.opencontainers.image.created"
	LabelRevision   = "org.opencontainers.image.revision"
	LabelSource     = "org.opencontainers.image.source"
	LabelBaseName   = "org.opencontainers.image.base.name"
	LabelBaseDigest = "org.opencontainers.image.base.digest"

	LabelID           = "io.github.direktiv-fn.id"
	LabelMode         = "io.github.direktiv-fn.mode"
	LabelErrors       = "io.github.direktiv-fn.errors"
	LabelSchemaDigest = "io.github.direktiv-fn.input-schema.digest"
)

// KnativePort is the port a knative-workflow function listens on.
const KnativePort = "8080/tcp"

// Function is what the image is built from: the repository, and what its
// manifest says.
type Function struct {
	// Dir is the repository's folder.
	Dir string
	// ID is the function id: the binary is /<ID>.
	ID string
	// Mode is ModeKnative or ModeIsolated.
	Mode string
	// Errors are the codes the function can return, as Direktiv sees them
	// ("<id>.<name>"), built-in ones first.
	Errors []ErrorCode
	// SchemaDigest is the digest of the input schema file, "sha256:<hex>".
	SchemaDigest string
}

// ErrorCode is one error code of the function.
type ErrorCode struct {
	Code        string `json:"code"`
	Description string `json:"description,omitempty"`
}

// Options says how to build.
type Options struct {
	// Platforms are the platforms to build; several make an image index.
	Platforms []v1.Platform
	// Base is the image to build on; nil builds from nothing, with the
	// root file system layer (users, CA certificates, /tmp), and pulls
	// nothing.
	Base name.Reference
	// Remote are the options of the base image's pull (authentication,
	// context, transport).
	Remote []remote.Option
	// CACerts is the CA bundle written to CACertsPath when Base is nil.
	CACerts []byte
	// User is the config's User; empty means NonRootUser.
	User string
	// Stamp is the source's time, revision and URL.
	Stamp Stamp
	// Env is the go command's environment; nil means os.Environ().
	Env []string
	// Progress, when set, is told what the build is doing.
	Progress func(msg string)
}

// Result is a built image, in memory.
type Result struct {
	// Image is the image when one platform was built, else nil.
	Image v1.Image
	// Index is the image index when several platforms were built, else nil.
	Index v1.ImageIndex
	// Digest is the digest of Image or Index: what a workflow pins.
	Digest v1.Hash
	// Platforms describes each platform's image, in the order built.
	Platforms []PlatformImage
}

// PlatformImage is the image of one platform and its sizes.
type PlatformImage struct {
	Platform v1.Platform
	Image    v1.Image
	// BinarySize is the size of the function's binary.
	BinarySize int64
	// Size is what a pull transfers: the manifest, the config and the
	// compressed layers, the base's included.
	Size int64
}

// Build compiles the function for each platform and assembles its image.
func Build(ctx context.Context, fn Function, opts Options) (*Result, error) {
	if len(opts.Platforms) == 0 {
		return nil, fmt.Errorf("no platform to build")
	}
	if opts.Base == nil && len(opts.CACerts) == 0 {
		return nil, fmt.Errorf("an image without a base needs the CA certificates")
	}
	env := opts.Env
	if env == nil {
		env = os.Environ()
	}
	tmp, err := os.MkdirTemp("", "direktiv-fn-build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	labels, err := fn.labels(opts.Stamp)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	for _, p := range opts.Platforms {
		if opts.Progress != nil {
			opts.Progress(fmt.Sprintf("compiling %s for %s", fn.ID, p.String()))
		}
		bin, err := compile(ctx, fn.Dir, tmp, p, env)
		if err != nil {
			return nil, err
		}
		img, baseDigest, err := assemble(ctx, fn, opts, p, bin, labels)
		if err != nil {
			return nil, err
		}
		// Docker's manifest format has no annotations: on a base of that
		// format, the config's labels alone say it.
		if mt, err := img.MediaType(); err == nil && mt == types.OCIManifestSchema1 {
			img = mutate.Annotations(img, annotations(labels, opts.Base, baseDigest)).(v1.Image)
		}
		size, err := imageSize(img)
		if err != nil {
			return nil, err
		}
		res.Platforms = append(res.Platforms, PlatformImage{Platform: p, Image: img, BinarySize: int64(len(bin)), Size: size})
	}
	if len(res.Platforms) == 1 {
		res.Image = res.Platforms[0].Image
		res.Digest, err = res.Image.Digest()
		return res, err
	}
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, pi := range res.Platforms {
		p := pi.Platform
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: pi.Image, Descriptor: v1.Descriptor{Platform: &p}})
	}
	res.Index = mutate.Annotations(idx, annotations(labels, opts.Base, "")).(v1.ImageIndex)
	res.Digest, err = res.Index.Digest()
	return res, err
}

// labels returns the labels of the function's image.
func (fn Function) labels(s Stamp) (map[string]string, error) {
	codes, err := json.Marshal(fn.Errors)
	if err != nil {
		return nil, err
	}
	l := map[string]string{
		LabelTitle:        fn.ID,
		LabelCreated:      s.Created.UTC().Format(time.RFC3339),
		LabelID:           fn.ID,
		LabelMode:         fn.Mode,
		LabelErrors:       string(codes),
		LabelSchemaDigest: fn.SchemaDigest,
	}
	if s.Revision != "" {
		l[LabelRevision] = s.Revision
	}
	if s.Source != "" {
		l[LabelSource] = s.Source
	}
	return l, nil
}

// annotations returns the manifest's annotations: the labels, and the base
// image's name and digest as the image spec defines them.
func annotations(labels map[string]string, base name.Reference, baseDigest string) map[string]string {
	a := map[string]string{}
	for k, v := range labels {
		a[k] = v
	}
	if base != nil {
		a[LabelBaseName] = base.Name()
	}
	if baseDigest != "" {
		a[LabelBaseDigest] = baseDigest
	}
	return a
}

// assemble makes the image of one platform from its binary, and returns
// the base image's digest ("" without a base).
func assemble(ctx context.Context, fn Function, opts Options, p v1.Platform, bin []byte, labels map[string]string) (v1.Image, string, error) {
	created := opts.Stamp.Created.UTC()
	var base v1.Image
	var baseDigest string
	layerType := types.OCILayer
	var adds []mutate.Addendum
	if opts.Base == nil {
		base = mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
		l, err := layer(rootFSEntries(opts.CACerts), rootFSTime, layerType)
		if err != nil {
			return nil, "", err
		}
		adds = append(adds, mutate.Addendum{Layer: l, History: v1.History{
			Created:   v1.Time{Time: created},
			CreatedBy: "direktiv-fn build: /etc/passwd, /etc/group, " + CACertsPath + ", /tmp",
			Comment:   "users root, nonroot (65532) and nobody; the build machine's CA certificates",
		}})
	} else {
		var err error
		if base, baseDigest, err = pullBase(ctx, opts.Base, p, opts.Remote); err != nil {
			return nil, "", err
		}
		if mt, err := base.MediaType(); err == nil && mt == types.DockerManifestSchema2 {
			layerType = types.DockerLayer
		}
		base = unannotated{base}
	}
	app := appEntries(fn.ID, bin, fn.Mode == ModeIsolated)
	l, err := layer(app, created, layerType)
	if err != nil {
		return nil, "", err
	}
	what := "/" + fn.ID
	if fn.Mode == ModeIsolated {
		what += ", " + IsolatedDataDir
	}
	adds = append(adds, mutate.Addendum{Layer: l, History: v1.History{
		Created:   v1.Time{Time: created},
		CreatedBy: "direktiv-fn build: " + what,
		Comment:   "the " + fn.Mode + " function " + fn.ID + " (go build -trimpath -ldflags=\"-s -w\", CGO_ENABLED=0)",
	}})
	img, err := mutate.Append(base, adds...)
	if err != nil {
		return nil, "", err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, "", err
	}
	cf = cf.DeepCopy()
	cf.Created = v1.Time{Time: created}
	cf.OS, cf.Architecture, cf.Variant = p.OS, p.Architecture, p.Variant
	c := &cf.Config
	c.Entrypoint = []string{"/" + fn.ID}
	c.Cmd = nil
	c.WorkingDir = "/"
	c.User = opts.User
	if c.User == "" {
		c.User = NonRootUser
	}
	if opts.Base == nil {
		c.Env = []string{"SSL_CERT_FILE=" + CACertsPath}
	}
	if fn.Mode == ModeKnative {
		if c.ExposedPorts == nil {
			c.ExposedPorts = map[string]struct{}{}
		}
		c.ExposedPorts[KnativePort] = struct{}{}
	}
	if c.Labels == nil {
		c.Labels = map[string]string{}
	}
	for k, v := range labels {
		c.Labels[k] = v
	}
	img, err = mutate.ConfigFile(img, cf)
	return img, baseDigest, err
}

// pullBase fetches the base image for p: from an index, the image of p; a
// single image must be of p.
func pullBase(ctx context.Context, ref name.Reference, p v1.Platform, opts []remote.Option) (v1.Image, string, error) {
	opts = append(append([]remote.Option(nil), opts...), remote.WithContext(ctx), remote.WithPlatform(p))
	img, err := remote.Image(ref, opts...)
	if err != nil {
		return nil, "", fmt.Errorf("--base %s: %w", ref.Name(), explainRegistryError(ref, err, "pull"))
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, "", fmt.Errorf("--base %s: %w", ref.Name(), explainRegistryError(ref, err, "pull"))
	}
	got := v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant}
	if got.OS != p.OS || got.Architecture != p.Architecture || (p.Variant != "" && got.Variant != p.Variant) {
		return nil, "", fmt.Errorf("--base %s is an image for %s, not %s: give a base built for %s (or an index that has it)", ref.Name(), got.String(), p.String(), p.String())
	}
	d, err := img.Digest()
	if err != nil {
		return nil, "", err
	}
	return img, d.String(), nil
}

// imageSize is what a pull of img transfers.
func imageSize(img v1.Image) (int64, error) {
	m, err := img.RawManifest()
	if err != nil {
		return 0, err
	}
	size := int64(len(m))
	c, err := img.RawConfigFile()
	if err != nil {
		return 0, err
	}
	size += int64(len(c))
	ls, err := img.Layers()
	if err != nil {
		return 0, err
	}
	for _, l := range ls {
		s, err := l.Size()
		if err != nil {
			return 0, err
		}
		size += s
	}
	return size, nil
}

// unannotated is a base image whose manifest's annotations are dropped:
// they describe the base (its title, its source), not the function's
// image, which names its base with base.name and base.digest.
type unannotated struct{ v1.Image }

// Manifest returns the base's manifest without its annotations.
func (u unannotated) Manifest() (*v1.Manifest, error) {
	m, err := u.Image.Manifest()
	if err != nil {
		return nil, err
	}
	m = m.DeepCopy()
	m.Annotations = nil
	return m, nil
}

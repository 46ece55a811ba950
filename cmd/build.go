package cmd

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/spf13/cobra"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/image"
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
)

// The flags of build.
const (
	flagPlatform   = "platform"
	flagBase       = "base"
	flagOCILayout  = "oci-layout"
	flagTarball    = "tarball"
	flagPush       = "push"
	flagDigestFile = "digest-file"
	flagPin        = "pin"
	flagCACerts    = "ca-certs"
	flagUser       = "user"
	flagSource     = "source"
)

// buildFlags holds the flag values of one build run.
type buildFlags struct {
	dir, platforms, base, ociLayout, tarball string
	image, digestFile, caCerts, user, source string
	push, pin                                bool
}

func (a *app) buildCmd() *cobra.Command {
	f := &buildFlags{platforms: image.DefaultPlatform, user: image.NonRootUser}
	c := &cobra.Command{
		Use:   "build",
		Short: "Build the function into an OCI image, without Docker",
		Long: `Build the function into an OCI image without a Docker daemon, and write it to
an OCI layout, a tarball for docker load, or a registry.

The function is cross-compiled as the Dockerfile builds it (CGO_ENABLED=0,
-trimpath, -ldflags="-s -w"; -buildvcs=false, as the labels carry the
revision) and laid into two layers: the root file system (/etc/passwd and
/etc/group with root, nonroot 65532 and nobody; the CA certificates at
/etc/ssl/certs/ca-certificates.crt; /tmp, mode 1777), then /<id>, the
entrypoint (and /direktiv-data, owned by 65532, for isolated functions). The
image runs as 65532:65532, distroless's nonroot. Nothing is pulled, so a build
works offline. The CA certificates are the build machine's bundle (the first
of /etc/ssl/certs/ca-certificates.crt, /etc/pki/tls/certs/ca-bundle.crt,
/etc/ssl/ca-bundle.pem, /etc/ssl/cert.pem), or --ca-certs FILE. With --base,
the function's layer goes onto the pulled base image instead (which brings its
own users and certificates).

The build is reproducible: every time in the image is $SOURCE_DATE_EPOCH, else
the time of the last commit, else 1970-01-01 (the root file system's entries
always are), so two builds of a commit give the same digest (on machines with
the same Go and the same CA bundle).

Labels and manifest annotations: org.opencontainers.image.title, created,
revision and source (the remote "origin" without credentials, or --source),
base.name and base.digest with --base; and the function's own:
io.github.direktiv-fn.id, .mode, .errors (a JSON array of {code,
description}, built-in codes first) and .input-schema.digest.

The image is named --image, else the manifest's image; a reference pinned by
digest (name:tag@sha256:...) is pushed to its tag (name:latest without one). --push reads credentials as
docker does: the Docker config ($DOCKER_CONFIG or ~/.docker/config.json) and
its credential helpers. Registries on this machine (localhost, 127.0.0.1,
::1) are reached over plain HTTP. After the build the digest is printed;
--digest-file writes name@digest to a file, and --pin (with --push) writes
name:tag@digest into the manifest's image and regenerates workflow.yaml,
so that the workflow runs exactly the image just pushed.

build refuses a repository whose generated Go code is out of date (the schema
or the manifest changed since the last generation): run "direktiv-fn
generate" first.

` + exitCodesHelp,
		Example: `  direktiv-fn build --push                     # to the manifest's image
  direktiv-fn build --push --pin               # and pin workflow.yaml to the digest
  direktiv-fn build --oci-layout ./image       # skopeo, crane, podman read it
  direktiv-fn build --tarball fn.tar && docker load -i fn.tar
  direktiv-fn build --platform linux/amd64,linux/arm64 --push --image localhost:5000/fn:v1
  direktiv-fn build --base gcr.io/distroless/static-debian12:nonroot --push`,
		Args: noArgs,
		RunE: a.runE(func(c *cobra.Command, _ []string) error {
			return a.build(c, f)
		}),
	}
	fl := c.Flags()
	addDirFlag(fl, &f.dir)
	fl.StringVar(&f.platforms, flagPlatform, f.platforms, "the `platforms` to build, comma-separated (os/arch[/variant]); several make an image index")
	fl.StringVar(&f.base, flagBase, "", "build on this base `image`, pulled from its registry (default: none, nothing is pulled)")
	fl.StringVar(&f.ociLayout, flagOCILayout, "", "write the image to an OCI image layout in this `folder` (replaced as a whole)")
	fl.StringVar(&f.tarball, flagTarball, "", "write the image to this tarball `file`, for docker load and podman load (one platform)")
	fl.BoolVar(&f.push, flagPush, false, "push the image to its registry")
	fl.StringVar(&f.image, flagImage, "", "the image `reference` to name and push the image as (default: the manifest's image)")
	fl.StringVar(&f.digestFile, flagDigestFile, "", "write the image's name@digest to this `file`")
	fl.BoolVar(&f.pin, flagPin, false, "with --push: write the pushed digest into the manifest's image and regenerate workflow.yaml")
	fl.StringVar(&f.caCerts, flagCACerts, "", "the CA certificates `file` (PEM) to put in the image (default: the build machine's bundle)")
	fl.StringVar(&f.user, flagUser, f.user, "the numeric `uid[:gid]` the function runs as")
	fl.StringVar(&f.source, flagSource, "", "the source repository's `URL` for the org.opencontainers.image.source label (default: git's remote origin)")
	for _, name := range []string{flagDir, flagOCILayout} {
		c.RegisterFlagCompletionFunc(name, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		})
	}
	return c
}

// numericUser is a config User that needs no /etc/passwd entry.
var numericUser = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]+(:[0-9]+)?$`) })

// buildPlan is a build's checked flags.
type buildPlan struct {
	opts   image.Options
	target name.Tag
	// ref is the image reference as the user wrote it, without a digest.
	ref string
}

// checkBuildFlags reads the flags that need no repository.
func checkBuildFlags(f *buildFlags) (*buildPlan, error) {
	var b buildPlan
	var err error
	if b.opts.Platforms, err = image.ParsePlatforms(f.platforms); err != nil {
		return nil, usagef("--%s: %v", flagPlatform, err)
	}
	if f.tarball != "" && len(b.opts.Platforms) > 1 {
		return nil, usagef("--%s holds one image, for docker load, and --%s names %d: give one platform, or use --%s or --%s for an image index", flagTarball, flagPlatform, len(b.opts.Platforms), flagOCILayout, flagPush)
	}
	if f.pin && !f.push {
		return nil, usagef("--%s writes the pushed digest into the manifest: add --%s", flagPin, flagPush)
	}
	if f.base != "" {
		if b.opts.Base, err = image.ParseRef(f.base); err != nil {
			return nil, usagef("--%s: %v", flagBase, err)
		}
		if f.caCerts != "" {
			return nil, usagef("--%s is for images without a base: --%s %s brings its own certificates", flagCACerts, flagBase, f.base)
		}
	}
	if !numericUser().MatchString(f.user) {
		return nil, usagef("--%s %q: give a numeric uid or uid:gid, such as 65532:65532 (the image has no users to look a name up in)", flagUser, f.user)
	}
	b.opts.User = f.user
	if f.ociLayout != "" && f.tarball != "" && filepath.Clean(f.ociLayout) == filepath.Clean(f.tarball) {
		return nil, usagef("--%s and --%s name the same path %s", flagOCILayout, flagTarball, f.tarball)
	}
	return &b, nil
}

// build is the body of the build command.
func (a *app) build(c *cobra.Command, f *buildFlags) error {
	b, err := checkBuildFlags(f)
	if err != nil {
		return err
	}
	p, err := loadProject(f.dir)
	if err != nil {
		return err
	}
	m := p.manifest
	// As the Dockerfile and the README do, an image pinned by digest is
	// built under its tag (":latest" when it has none).
	b.ref = config.BuildTag(firstNonEmpty(f.image, m.Image))
	if b.target, err = image.PushTarget(b.ref); err != nil {
		if f.image != "" {
			return usagef("--%s: %v", flagImage, err)
		}
		return fmt.Errorf("%s: %v; or give --%s", m.Position("image"), err, flagImage)
	}
	schemaData, err := a.checkGenerated(p)
	if err != nil {
		return err
	}
	ctx := c.Context()
	sde, _ := a.lookupEnv("SOURCE_DATE_EPOCH")
	if b.opts.Stamp, err = image.ReadStamp(ctx, p.dir, sde); err != nil {
		return err
	}
	if f.source != "" {
		b.opts.Stamp.Source = f.source
	}
	certsFrom := ""
	if b.opts.Base == nil {
		if b.opts.CACerts, certsFrom, err = image.ReadCACerts(f.caCerts, image.CACertFiles); err != nil {
			return err
		}
	}
	b.opts.Progress = func(msg string) { fmt.Fprintf(a.stderr, "direktiv-fn: %s\n", msg) }
	fn := image.Function{Dir: p.dir, ID: m.ID, Mode: string(m.Mode), SchemaDigest: manifest.Hash(schemaData)}
	for _, e := range m.BuiltinErrors() {
		fn.Errors = append(fn.Errors, image.ErrorCode{Code: m.ID + "." + e.Name, Description: e.Description})
	}
	for _, e := range m.Errors {
		fn.Errors = append(fn.Errors, image.ErrorCode{Code: m.ID + "." + e.Name, Description: e.Description})
	}
	res, err := image.Build(ctx, fn, b.opts)
	if err != nil {
		return err
	}
	out := c.OutOrStdout()
	printBuilt(out, fn, b, res, certsFrom)
	if b.opts.Stamp.Dirty {
		fmt.Fprintf(a.stderr, "Warning: %s has uncommitted changes: the image is built from the working tree, but its revision label names the commit %s.\n", p.dir, short(b.opts.Stamp.Revision))
	}
	if f.ociLayout != "" {
		if err := image.WriteLayout(f.ociLayout, res, b.target.TagStr()); err != nil {
			return err
		}
		fmt.Fprintf(out, "Wrote the OCI layout %s (tag %s).\n", f.ociLayout, b.target.TagStr())
	}
	if f.tarball != "" {
		if err := image.WriteTarball(f.tarball, res, b.target); err != nil {
			return err
		}
		fmt.Fprintf(out, "Wrote %s: load it with \"docker load -i %s\" or \"podman load -i %s\".\n", f.tarball, f.tarball, f.tarball)
	}
	if f.push {
		fmt.Fprintf(a.stderr, "direktiv-fn: pushing %s\n", b.target.Name())
		if _, err := image.Push(ctx, res, b.target, image.PushOptions{Progress: pushProgress(a.stderr)}); err != nil {
			return err
		}
		fmt.Fprintf(out, "Pushed %s.\n", b.ref)
	}
	pinned := b.ref + "@" + res.Digest.String()
	if f.digestFile != "" {
		if err := writeFileAtomic(f.digestFile, []byte(b.target.Context().Name()+"@"+res.Digest.String()+"\n")); err != nil {
			return fmt.Errorf("--%s: %w", flagDigestFile, err)
		}
		fmt.Fprintf(out, "Wrote %s@%s to %s.\n", b.target.Context().Name(), res.Digest, f.digestFile)
	}
	fmt.Fprintf(out, "Digest: %s\n", res.Digest)
	if f.ociLayout == "" && f.tarball == "" && !f.push {
		fmt.Fprintf(a.stderr, "Nothing was written: give --%s, --%s or --%s to keep the image.\n", flagOCILayout, flagTarball, flagPush)
	}
	if f.pin && m.Image != pinned {
		fmt.Fprintf(out, "Pinning %s to %s:\n", config.ManifestFile, pinned)
		return a.regenerate(c, &regenFlags{dir: p.dir}, func(p *project) error {
			return p.manifest.SetImage(pinned)
		})
	}
	return nil
}

// firstNonEmpty returns the first of ss that is not empty.
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// short shortens a commit hash as git does.
func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// printBuilt says what was built: each platform's sizes, the time and the
// revision.
func printBuilt(out io.Writer, fn image.Function, b *buildPlan, res *image.Result, certsFrom string) {
	kind := "image"
	if res.Index != nil {
		kind = "image index"
	}
	fmt.Fprintf(out, "Built the %s %s of %s (%s):\n", kind, b.ref, fn.ID, fn.Mode)
	for _, pi := range res.Platforms {
		fmt.Fprintf(out, "  %-14s %s to pull (the binary: %s)\n", pi.Platform.String(), megabytes(pi.Size), megabytes(pi.BinarySize))
	}
	s := b.opts.Stamp
	var from string
	switch s.CreatedFrom {
	case "SOURCE_DATE_EPOCH":
		from = "$SOURCE_DATE_EPOCH"
	case "commit":
		from = "the commit's time"
	default:
		from = "no $SOURCE_DATE_EPOCH and no git commit"
	}
	fmt.Fprintf(out, "  created %s (%s)", s.Created.Format("2006-01-02T15:04:05Z"), from)
	if s.Revision != "" {
		fmt.Fprintf(out, ", revision %s", short(s.Revision))
	}
	fmt.Fprintln(out)
	if b.opts.Base != nil {
		fmt.Fprintf(out, "  on the base %s\n", b.opts.Base.Name())
	} else {
		fmt.Fprintf(out, "  CA certificates from %s\n", certsFrom)
	}
}

// megabytes formats a size in MB with one decimal.
func megabytes(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// pushProgress reports an upload's progress on w at every quarter.
func pushProgress(w io.Writer) func(complete, total int64) {
	next := int64(0)
	return func(complete, total int64) {
		if total <= 0 {
			return
		}
		pct := complete * 100 / total
		if pct < next {
			return
		}
		fmt.Fprintf(w, "direktiv-fn: pushed %s of %s (%d%%)\n", megabytes(complete), megabytes(total), pct)
		next = (pct/25 + 1) * 25
	}
}

// writeFileAtomic writes data to name through a temporary file renamed
// into place.
func writeFileAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

package image

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// ParseRef reads an image reference. A registry on this machine
// (localhost, 127.0.0.0/8, ::1) is reached over plain HTTP, as a local
// test registry serves it; every other registry over HTTPS, except those
// go-containerregistry also reaches over HTTP (private addresses, .local).
func ParseRef(s string) (name.Reference, error) {
	ref, err := name.ParseReference(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not an image reference: write [registry/]name[:tag], the name in lower case, such as registry.example.com/myfunc:v1", s)
	}
	if local(ref.Context().RegistryStr()) {
		return name.ParseReference(s, name.Insecure)
	}
	return ref, nil
}

// local reports whether registry (host[:port]) is on this machine.
func local(registry string) bool {
	host := registry
	if h, _, err := net.SplitHostPort(registry); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// PushTarget returns the reference a build is pushed to: s without the
// digest a pinned reference carries (repo:tag@sha256:...), since a new
// build has a new digest. A reference by digest alone is refused: there is
// no tag to push to.
func PushTarget(s string) (name.Tag, error) {
	base, digest, pinned := strings.Cut(s, "@")
	ref, err := ParseRef(base)
	if err != nil {
		return name.Tag{}, err
	}
	tag, ok := ref.(name.Tag)
	if !ok {
		return name.Tag{}, fmt.Errorf("%q names no tag to push to", s)
	}
	if pinned && !strings.Contains(base[strings.LastIndexByte(base, '/')+1:], ":") {
		return name.Tag{}, fmt.Errorf("%q names an image by its digest (%s) alone: a new build has another digest; give a tag to push to, such as %s:v1", s, digest, base)
	}
	return tag, nil
}

// PushOptions says how to push.
type PushOptions struct {
	// Keychain finds the registry's credentials; nil means
	// authn.DefaultKeychain: the Docker config ($DOCKER_CONFIG or
	// ~/.docker/config.json) and its credential helpers.
	Keychain authn.Keychain
	// Remote are further options (a transport, a retry backoff).
	Remote []remote.Option
	// Progress, when set, is called as the upload advances, with the bytes
	// sent and the total.
	Progress func(complete, total int64)
}

// Push uploads the image (or the index) to tag and returns the reference
// by digest that a workflow pins.
func Push(ctx context.Context, r *Result, tag name.Tag, o PushOptions) (name.Digest, error) {
	kc := o.Keychain
	if kc == nil {
		kc = authn.DefaultKeychain
	}
	opts := append([]remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(kc)}, o.Remote...)
	var done chan struct{}
	if o.Progress != nil {
		updates := make(chan v1.Update, 16)
		done = make(chan struct{})
		go func() {
			defer close(done)
			for u := range updates {
				if u.Error == nil {
					o.Progress(u.Complete, u.Total)
				}
			}
		}()
		opts = append(opts, remote.WithProgress(updates))
	}
	var err error
	if r.Index != nil {
		err = remote.WriteIndex(tag, r.Index, opts...)
	} else {
		err = remote.Write(tag, r.Image, opts...)
	}
	if done != nil {
		<-done // remote closes the updates channel when it returns
	}
	if err != nil {
		if ctx.Err() != nil {
			return name.Digest{}, ctx.Err()
		}
		return name.Digest{}, fmt.Errorf("cannot push to %s: %w", tag.Name(), explainRegistryError(tag, err, "push"))
	}
	return tag.Context().Digest(r.Digest.String()), nil
}

// explainRegistryError says what a registry's refusal means and what to
// do, keeping the registry's own message.
func explainRegistryError(ref name.Reference, err error, verb string) error {
	reg := ref.Context().RegistryStr()
	repo := ref.Context().RepositoryStr()
	var terr *transport.Error
	if errors.As(err, &terr) {
		codes := map[transport.ErrorCode]bool{}
		for _, d := range terr.Errors {
			codes[d.Code] = true
		}
		switch {
		case terr.StatusCode == http.StatusUnauthorized || codes[transport.UnauthorizedErrorCode]:
			return fmt.Errorf("the registry %s wants credentials that it accepts (401 Unauthorized): log in with \"docker login %s\" (direktiv-fn reads the Docker config, $DOCKER_CONFIG or ~/.docker/config.json, and its credential helpers): %w", reg, reg, err)
		case terr.StatusCode == http.StatusForbidden || codes[transport.DeniedErrorCode]:
			return fmt.Errorf("the registry %s denies you the right to %s %s (403 Forbidden): check the repository's permissions, or log in as another user with \"docker login %s\": %w", reg, verb, repo, reg, err)
		case codes[transport.NameUnknownErrorCode]:
			return fmt.Errorf("the registry %s has no repository %s: create it, or check the name: %w", reg, repo, err)
		case codes[transport.NameInvalidErrorCode] || codes[transport.TagInvalidErrorCode]:
			return fmt.Errorf("the registry %s refuses the name %s: %w", reg, ref.Name(), err)
		case terr.StatusCode == http.StatusNotFound && verb == "pull":
			return fmt.Errorf("the registry %s has no image %s: %w", reg, ref.Name(), err)
		case terr.StatusCode == http.StatusTooManyRequests || codes[transport.TooManyRequestsErrorCode]:
			return fmt.Errorf("the registry %s limits your requests (429 Too Many Requests): try again later, or log in: %w", reg, err)
		}
		return err
	}
	var uerr x509.UnknownAuthorityError
	var herr x509.HostnameError
	switch {
	case errors.As(err, &uerr) || errors.As(err, &herr):
		return fmt.Errorf("the registry %s's TLS certificate is not trusted by this machine: %w", reg, err)
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return fmt.Errorf("the registry %s speaks plain HTTP, and direktiv-fn uses HTTPS for every registry but those on this machine (localhost, 127.0.0.1) and private addresses: %w", reg, err)
	}
	var nerr net.Error
	var oerr *net.OpError
	var dnsErr *net.DNSError
	if errors.As(err, &oerr) || errors.As(err, &dnsErr) || errors.As(err, &nerr) {
		return fmt.Errorf("cannot reach the registry %s (is the address right, and the registry running?): %w", reg, err)
	}
	return err
}

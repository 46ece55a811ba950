package image

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The user the function runs as: distroless's "nonroot", the user of the
// generated Dockerfile's base image.
const (
	// NonRootUID is the numeric user and group id of "nonroot".
	NonRootUID = 65532
	// NonRootUser is the image config's User: numeric, as Kubernetes'
	// runAsNonRoot needs.
	NonRootUser = "65532:65532"
)

// CACertsPath is where the CA certificates go in the image: the file Go's
// crypto/x509 reads first on Linux, as in distroless.
const CACertsPath = "/etc/ssl/certs/ca-certificates.crt"

// IsolatedDataDir is the folder an isolated function reads and writes,
// Direktiv's emptyDir mount in the pod.
const IsolatedDataDir = "/direktiv-data"

// rootFSTime is the modification time of every entry of the root file
// system layer. Its content does not depend on the function, so a fixed
// time keeps its digest the same for every function and every build with
// the same CA certificates, and a registry stores it once.
var rootFSTime = time.Unix(0, 0).UTC()

// entry is one file or folder of a layer.
type entry struct {
	name     string // absolute path in the image, e.g. "/etc/passwd"
	dir      bool
	mode     int64 // permission bits, and the sticky bit for /tmp
	uid, gid int
	data     []byte
}

// passwd and group hold root, nonroot (65532, distroless's user) and
// nobody, as distroless's static image does.
const (
	passwd = "root:x:0:0:root:/root:/sbin/nologin\n" +
		"nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n" +
		"nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
	group = "root:x:0:\n" +
		"nobody:x:65534:\n" +
		"nonroot:x:65532:\n"
)

// rootFSEntries are the files every image without a base gets: the users,
// the CA certificates, /tmp and the home folders.
func rootFSEntries(caCerts []byte) []entry {
	return []entry{
		{name: "/etc", dir: true, mode: 0o755},
		{name: "/etc/passwd", mode: 0o644, data: []byte(passwd)},
		{name: "/etc/group", mode: 0o644, data: []byte(group)},
		{name: "/etc/ssl", dir: true, mode: 0o755},
		{name: "/etc/ssl/certs", dir: true, mode: 0o755},
		{name: CACertsPath, mode: 0o644, data: caCerts},
		{name: "/home", dir: true, mode: 0o755},
		{name: "/home/nonroot", dir: true, mode: 0o700, uid: NonRootUID, gid: NonRootUID},
		{name: "/root", dir: true, mode: 0o700},
		{name: "/tmp", dir: true, mode: 0o1777},
	}
}

// appEntries are the function's own files: the binary at /<id>, and for
// isolated mode the data folder, writable by nonroot so that the function
// also runs without Direktiv's mount (docker run); in the pod Direktiv's
// emptyDir is mounted over it.
func appEntries(binName string, bin []byte, isolated bool) []entry {
	es := []entry{{name: "/" + binName, mode: 0o755, data: bin}}
	if isolated {
		es = append(es, entry{name: IsolatedDataDir, dir: true, mode: 0o755, uid: NonRootUID, gid: NonRootUID})
	}
	return es
}

// layer makes a gzip-compressed layer of mediaType (OCI's, or Docker's on
// a Docker base) of entries, every one stamped with mtime and sorted by
// name, so that the same entries always give the same digest. It
// compresses once, at gzip's best speed (a Go binary shrinks to about half
// at every level; the higher ones take several times longer), and hashes
// the tar stream and the compressed bytes as they are written.
func layer(entries []entry, mtime time.Time, mediaType types.MediaType) (v1.Layer, error) {
	sorted := append([]entry(nil), entries...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	var buf bytes.Buffer
	digest, diffID := sha256.New(), sha256.New()
	zw, err := gzip.NewWriterLevel(io.MultiWriter(&buf, digest), gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(io.MultiWriter(zw, diffID))
	for _, e := range sorted {
		h := &tar.Header{
			Name:     strings.TrimPrefix(e.name, "/"),
			Mode:     e.mode,
			Uid:      e.uid,
			Gid:      e.gid,
			ModTime:  mtime,
			Typeflag: tar.TypeReg,
			Size:     int64(len(e.data)),
			Format:   tar.FormatPAX,
		}
		if e.dir {
			h.Typeflag, h.Name, h.Size = tar.TypeDir, h.Name+"/", 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("cannot write %s into a layer: %w", e.name, err)
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, fmt.Errorf("cannot write %s into a layer: %w", e.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &memLayer{
		gz:        buf.Bytes(),
		digest:    v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(digest.Sum(nil))},
		diffID:    v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(diffID.Sum(nil))},
		mediaType: mediaType,
	}, nil
}

// memLayer is a compressed layer held in memory, with the digests computed
// as it was written.
type memLayer struct {
	gz             []byte
	digest, diffID v1.Hash
	mediaType      types.MediaType
}

// Digest returns the digest of the compressed layer.
func (l *memLayer) Digest() (v1.Hash, error) { return l.digest, nil }

// DiffID returns the digest of the uncompressed layer.
func (l *memLayer) DiffID() (v1.Hash, error) { return l.diffID, nil }

// Compressed returns the gzip-compressed tar stream.
func (l *memLayer) Compressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(l.gz)), nil
}

// Uncompressed returns the tar stream.
func (l *memLayer) Uncompressed() (io.ReadCloser, error) {
	return gzip.NewReader(bytes.NewReader(l.gz))
}

// Size returns the size of the compressed layer.
func (l *memLayer) Size() (int64, error) { return int64(len(l.gz)), nil }

// MediaType returns the layer's media type.
func (l *memLayer) MediaType() (types.MediaType, error) { return l.mediaType, nil }

package image

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// CACertFiles are where Linux distributions and macOS keep the system's CA
// bundle, as Go's crypto/x509 looks for it: Debian, Ubuntu, Arch and
// Gentoo; Fedora and RHEL; openSUSE; Alpine and macOS. The Go toolchain
// ships no certificates, so an offline build takes the build machine's.
var CACertFiles = []string{
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/ca-bundle.pem",
	"/etc/ssl/cert.pem",
}

// maxCACertsSize bounds the bundle read: a system bundle is about 200 KiB.
const maxCACertsSize = 8 << 20

// ReadCACerts reads the CA bundle: file when it is given, else the first of
// candidates that exists. It refuses a file without one PEM certificate
// that parses, and names the candidates when none exists. It returns the
// bundle and the file it was read from.
func ReadCACerts(file string, candidates []string) ([]byte, string, error) {
	if file != "" {
		b, err := readBundle(file)
		return b, file, err
	}
	for _, c := range candidates {
		b, err := readBundle(c)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		return b, c, err
	}
	return nil, "", fmt.Errorf("no CA certificate bundle on this machine (looked for %s): install one (Debian and Ubuntu: apt-get install ca-certificates; Alpine: apk add ca-certificates), or give --ca-certs FILE with PEM certificates", strings.Join(candidates, ", "))
}

// readBundle reads and checks one bundle.
func readBundle(name string) ([]byte, error) {
	info, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("CA certificates: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("CA certificates: %s is not a file", name)
	}
	if info.Size() > maxCACertsSize {
		return nil, fmt.Errorf("CA certificates: %s has %d bytes, more than the %d a bundle of PEM certificates can take", name, info.Size(), maxCACertsSize)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("CA certificates: %w", err)
	}
	if countCerts(b) == 0 {
		return nil, fmt.Errorf("CA certificates: %s holds no PEM certificate (-----BEGIN CERTIFICATE-----)", name)
	}
	return b, nil
}

// countCerts counts the PEM certificates of a bundle that parse. One that
// does not is left to the function's TLS library to judge (Go refuses some
// that system bundles carry), as the system's own TLS clients do.
func countCerts(b []byte) int {
	n := 0
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			return n
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(block.Bytes); err == nil {
			n++
		}
	}
}

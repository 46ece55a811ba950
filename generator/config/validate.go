package config

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// imageRef is the grammar of a container image reference, as registries and
// docker read it: [host[:port]/]name[/name...][:tag][@digest], names in
// lower case.
var imageRef = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^` +
		`(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?/)?` +
		`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*` +
		`(?::[\w][\w.-]{0,127})?` +
		`(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`)
})

// BuildTag returns the reference to build and push image under: image
// itself, or, for an image pinned by digest ("repo:v1@sha256:…", which
// docker build -t refuses), its repository and tag, ":latest" when it has no
// tag. The workflow keeps the digest.
func BuildTag(image string) string {
	i := strings.Index(image, "@")
	if i < 0 {
		return image
	}
	repo := image[:i]
	if strings.LastIndex(repo, ":") <= strings.LastIndex(repo, "/") {
		repo += ":latest"
	}
	return repo
}

// ValidateImage reports whether ref is a valid container image reference.
func ValidateImage(ref string) error {
	if !imageRef().MatchString(ref) {
		return fmt.Errorf("invalid image %q: write [registry/]name[:tag], the name in lower case, e.g. registry.example.com/myfunc:v1", ref)
	}
	return nil
}

// modulePathElem is one element of a module path as the go command accepts it.
var modulePathElem = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_~+-][A-Za-z0-9._~+-]*$`) })

// stdRoots are the first elements of the standard library's import paths,
// and the names the go command reserves: a module path starting with one of
// them collides with the standard library.
var stdRoots = map[string]bool{
	"all": true, "archive": true, "bufio": true, "builtin": true, "bytes": true, "cmd": true,
	"cmp": true, "compress": true, "container": true, "context": true, "crypto": true,
	"database": true, "debug": true, "embed": true, "encoding": true, "errors": true,
	"expvar": true, "flag": true, "fmt": true, "go": true, "hash": true, "html": true,
	"image": true, "index": true, "internal": true, "io": true, "iter": true, "log": true,
	"main": true, "maps": true, "math": true, "mime": true, "net": true, "os": true,
	"path": true, "plugin": true, "reflect": true, "regexp": true, "runtime": true,
	"slices": true, "sort": true, "std": true, "strconv": true, "strings": true,
	"structs": true, "sync": true, "syscall": true, "testing": true, "text": true,
	"time": true, "tool": true, "unicode": true, "unique": true, "unsafe": true,
	"vendor": true, "weak": true,
}

// ValidateModule reports whether path can be the module path of a generated
// repository: valid in go.mod, and not colliding with the standard library.
func ValidateModule(path string) error {
	elems := strings.Split(path, "/")
	for _, e := range elems {
		if strings.HasPrefix(path, "-") {
			break // reported below
		}
		if !modulePathElem().MatchString(e) || strings.HasSuffix(e, ".") {
			return fmt.Errorf("invalid module path %q: use slash-separated elements of letters, digits and . _ ~ + -, e.g. github.com/you/myfunc", path)
		}
	}
	if strings.HasPrefix(path, "-") {
		return fmt.Errorf("invalid module path %q: it cannot start with '-'", path)
	}
	if first := elems[0]; !strings.Contains(first, ".") && stdRoots[first] {
		return fmt.Errorf("module path %q collides with the standard library's %q: use a path of your own, e.g. example.com/%s", path, first, path)
	}
	return nil
}

// DefaultModule is the module path used when none is given: the path the
// image reference suggests (ModuleFromImage), else the id, or
// example.com/<id> when the id collides with the standard library.
func DefaultModule(id, image string) string {
	if m := ModuleFromImage(image); m != "" {
		return m
	}
	if ValidateModule(id) != nil {
		return "example.com/" + id
	}
	return id
}

// imageHostModules maps the registries that belong to a code host to that
// host, so that ghcr.io/acme/fn suggests the module github.com/acme/fn.
var imageHostModules = map[string]string{
	"ghcr.io":             "github.com",
	"registry.gitlab.com": "gitlab.com",
}

// ModuleFromImage returns the Go module path an image reference suggests,
// or "" when it suggests none: the repository path without tag or digest,
// on a registry host that is a domain name (a dot, no port) and not Docker
// Hub, whose names are no module paths; a code host's registry maps to the
// code host. ghcr.io/acme/sms-send:v1 gives github.com/acme/sms-send,
// registry.example.com/team/fn gives registry.example.com/team/fn, and
// localhost:5000/fn or acme/fn give "".
func ModuleFromImage(image string) string {
	ref := image
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		ref = ref[:i]
	}
	host, rest, ok := strings.Cut(ref, "/")
	if !ok || !strings.Contains(host, ".") || strings.Contains(host, ":") {
		return ""
	}
	switch host {
	case "docker.io", "index.docker.io", "registry-1.docker.io":
		return ""
	}
	if code, ok := imageHostModules[host]; ok {
		host = code
	}
	m := host + "/" + rest
	if ValidateModule(m) != nil {
		return ""
	}
	return m
}

// idPattern is the function id format every Direktiv version accepts.
var idPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]([a-z0-9_-]*[a-z0-9])?$`) })

// codePattern is the format of an error code name: letters, digits, '.', '-'
// and '_', starting with a letter, so that it matches itself literally under
// Direktiv's regular-expression matching of catch patterns.
var codePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]*$`) })

// ValidateID reports whether id is a valid Direktiv function id.
func ValidateID(id string) error {
	if !idPattern().MatchString(id) {
		return fmt.Errorf("invalid function id %q: use lower-case letters, digits, '-' and '_', starting with a letter and ending with a letter or digit (pattern %s)", id, idPattern())
	}
	return nil
}

// ValidateErrorName reports whether name is a valid error code name.
func ValidateErrorName(name string) error {
	if !codePattern().MatchString(name) {
		return fmt.Errorf("invalid error code %q: use letters, digits, '.', '-' and '_', starting with a letter", name)
	}
	return nil
}

// ParseMode returns the Mode named s.
func ParseMode(s string) (Mode, error) {
	for _, m := range Modes {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("invalid mode %q: use %q or %q", s, ModeKnative, ModeIsolated)
}

package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"

	"gopkg.in/yaml.v3"
)

// ManifestVersion is the version of the manifest format this generator writes.
const ManifestVersion = 1

// manifest is the on-disk form of direktiv-fn.yaml.
type manifest struct {
	Version   int             `yaml:"version"`
	Generator string          `yaml:"generator"`
	ID        string          `yaml:"id"`
	Mode      Mode            `yaml:"mode"`
	Image     string          `yaml:"image"`
	Module    string          `yaml:"module"`
	Schema    string          `yaml:"schema"`
	Errors    []manifestError `yaml:"errors"`
	// Generated records the SHA-256 of every generated file as last written,
	// so that a later generation notices a hand edit instead of losing it.
	Generated yaml.Node `yaml:"generated"`
}

type manifestError struct {
	Code        string `yaml:"code"`
	Description string `yaml:"description,omitempty"`
}

// manifestComment heads a new manifest.
const manifestComment = `direktiv-fn manifest: everything "direktiv-fn generate" replays.
Edit it (or the schema), then run "direktiv-fn generate".`

// Manifest renders the manifest recording cfg and the generated files.
func Manifest(cfg Config, generated []File) ([]byte, error) {
	m := manifest{
		Version:   ManifestVersion,
		Generator: "direktiv-fn " + cfg.Version,
		ID:        cfg.ID,
		Mode:      cfg.Mode,
		Image:     cfg.Image,
		Module:    cfg.Module,
		Schema:    cfg.SchemaFile,
		Errors:    []manifestError{},
	}
	for _, e := range cfg.Errors {
		m.Errors = append(m.Errors, manifestError{Code: e.Name, Description: e.Description})
	}
	m.Generated = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, f := range generated {
		if f.Policy != Generated {
			continue
		}
		m.Generated.Content = append(m.Generated.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.Path},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: Hash(f.Content)})
	}
	var doc yaml.Node
	if err := doc.Encode(m); err != nil {
		return nil, err
	}
	doc.HeadComment = manifestComment
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Hash returns the digest recorded in the manifest for a file's content.
func Hash(content []byte) string {
	sum := sha256.Sum256(content)
	return "sha256:" + hex.EncodeToString(sum[:])
}

package generator

import _ "embed"

// ManifestSchema is the JSON Schema of the manifest, for editors: the
// manifest's first line points yaml-language-server at manifest.ManifestSchemaURL.
//
//go:embed manifest.schema.json
var ManifestSchema []byte

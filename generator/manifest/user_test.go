package manifest

// userManifest is a manifest as a user may have edited it (the same as
// generator's tests use).
const userManifest = `# yaml-language-server: $schema=https://example.com/x.json
# My function. Keep this comment.
version: 2
generator: direktiv-fn v0.1.0 # pinned in CI
id: archive   # the id
mode: knative-workflow
module: example.com/archive
image: registry.example.com/archive:v1
schema: input.schema.json
errors:
  # Returned when the archive is too big.
  - name: tooBig
    description: The archive exceeds the limit.
  - name: gone # deprecated
generated:
  files: {}
  input: {}
  errors: []
`

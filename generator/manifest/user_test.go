package manifest

import "github.com/direktiv-fn/direktiv-fn/generator/internal/fixture"

// userManifest is a manifest as a user may have edited it.
const userManifest = fixture.UserManifest

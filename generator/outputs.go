package generator

import (
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
)

// output is one row of the output table: which template renders which file,
// when, and under which write policy.
type output struct {
	// Template is the template's path in templates.FS.
	Template string
	// Path is the output file's path in the generated repository.
	Path string
	// Policy is the output file's write policy.
	Policy config.Policy
	// Mode restricts the row to one mode; "" means every mode.
	Mode config.Mode
	// Scope restricts the row to one scope; "" means every scope.
	Scope string
	// Output restricts the row to a function with an output schema.
	Output bool
	// Stamp rows are rendered after the manifest, with Data.Stamps set to
	// the digests of the schema and the manifest. They are not recorded in
	// the manifest (it cannot hold the digest of a file that holds its own)
	// and are rewritten without the hand-edit check.
	Stamp bool
}

// outputs is the output table. Every template in templates.FS appears here
// exactly once (a test holds this), and the rows are sorted by Path within
// each group so that the rendered set is deterministic.
var outputs = []output{
	// Generated: rewritten on every generation.
	{Template: "input/input.gen.go.tmpl", Path: "input.gen.go", Policy: config.Generated},
	{Template: "input/input.gen_test.go.tmpl", Path: "input.gen_test.go", Policy: config.Generated},
	{Template: "common/errors.gen.go.tmpl", Path: "errors.gen.go", Policy: config.Generated},
	{Template: "common/generate.gen.go.tmpl", Path: "generate.gen.go", Policy: config.Generated},
	{Template: "common/generate.gen_test.go.tmpl", Path: "generate.gen_test.go", Policy: config.Generated, Stamp: true},
	{Template: "common/workflow.yaml.tmpl", Path: "workflow.yaml", Policy: config.Generated},
	{Template: "output/output.gen.go.tmpl", Path: "output.gen.go", Policy: config.Generated, Output: true},
	{Template: "output/output.gen_test.go.tmpl", Path: "output.gen_test.go", Policy: config.Generated, Output: true},
	{Template: "knative-workflow/server.gen.go.tmpl", Path: "server.gen.go", Policy: config.Generated, Mode: config.ModeKnative},
	{Template: "knative-workflow/server.gen_test.go.tmpl", Path: "server.gen_test.go", Policy: config.Generated, Mode: config.ModeKnative},
	{Template: "knative-workflow/service.yaml.tmpl", Path: "service.yaml", Policy: config.Generated, Mode: config.ModeKnative, Scope: direktiv.ScopeNamespace},
	{Template: "isolated/isolated.gen.go.tmpl", Path: "isolated.gen.go", Policy: config.Generated, Mode: config.ModeIsolated},
	{Template: "isolated/isolated.gen_test.go.tmpl", Path: "isolated.gen_test.go", Policy: config.Generated, Mode: config.ModeIsolated},

	// Scaffold-once: the user's from the moment they are written.
	{Template: "common/go.mod.tmpl", Path: "go.mod", Policy: config.ScaffoldOnce},
	{Template: "common/handler.go.tmpl", Path: "handler.go", Policy: config.ScaffoldOnce},
	{Template: "common/handler_test.go.tmpl", Path: "handler_test.go", Policy: config.ScaffoldOnce},
	{Template: "common/Dockerfile.tmpl", Path: "Dockerfile", Policy: config.ScaffoldOnce},
	{Template: "common/README.md.tmpl", Path: "README.md", Policy: config.ScaffoldOnce},
	{Template: "common/gitattributes.tmpl", Path: ".gitattributes", Policy: config.ScaffoldOnce},
	{Template: "common/gitignore.tmpl", Path: ".gitignore", Policy: config.ScaffoldOnce},
	{Template: "common/dockerignore.tmpl", Path: ".dockerignore", Policy: config.ScaffoldOnce},
}

// UserOwned reports whether p is, in any mode, a file that generation never
// deletes: a scaffold-once file, the schema, the manifest or the stamp.
func UserOwned(p string, cfg config.Config) bool {
	if p == config.ManifestFile || p == cfg.SchemaFile {
		return true
	}
	for _, o := range outputs {
		if o.Path == p && (o.Policy != config.Generated || o.Stamp) {
			return true
		}
	}
	return false
}

// generatedPath reports whether p is a generated file of any mode.
func generatedPath(p string) bool {
	for _, o := range outputs {
		if o.Path == p && o.Policy == config.Generated {
			return true
		}
	}
	return false
}

// LoadManifest reads a manifest: see manifest.Load. The schema it names may
// not be a file that direktiv-fn writes.
func LoadManifest(file string, data []byte) (*manifest.Manifest, error) {
	return manifest.Load(file, data, generatedPath)
}

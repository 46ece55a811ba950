package generator

import "github.com/direktiv-fn/direktiv-fn/generator/direktiv"

// output is one row of the output table: which template renders which file,
// when, and under which write policy.
type output struct {
	// Template is the template's path in templates.FS.
	Template string
	// Path is the output file's path in the generated repository.
	Path string
	// Policy is the output file's write policy.
	Policy Policy
	// Mode restricts the row to one mode; "" means every mode.
	Mode Mode
	// Scope restricts the row to one scope; "" means every scope.
	Scope string
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
	{Template: "input/input.gen.go.tmpl", Path: "input.gen.go", Policy: Generated},
	{Template: "input/input.gen_test.go.tmpl", Path: "input.gen_test.go", Policy: Generated},
	{Template: "input/jsondecode.gen.go.tmpl", Path: "jsondecode.gen.go", Policy: Generated},
	{Template: "common/call.gen.go.tmpl", Path: "call.gen.go", Policy: Generated},
	{Template: "common/errors.gen.go.tmpl", Path: "errors.gen.go", Policy: Generated},
	{Template: "common/generate.gen.go.tmpl", Path: "generate.gen.go", Policy: Generated},
	{Template: "common/generate.gen_test.go.tmpl", Path: "generate.gen_test.go", Policy: Generated, Stamp: true},
	{Template: "common/workflow.yaml.tmpl", Path: "workflow.yaml", Policy: Generated},
	{Template: "knative-workflow/server.gen.go.tmpl", Path: "server.gen.go", Policy: Generated, Mode: ModeKnative},
	{Template: "knative-workflow/server.gen_test.go.tmpl", Path: "server.gen_test.go", Policy: Generated, Mode: ModeKnative},
	{Template: "knative-workflow/service.yaml.tmpl", Path: "service.yaml", Policy: Generated, Mode: ModeKnative, Scope: direktiv.ScopeNamespace},
	{Template: "isolated/isolated.gen.go.tmpl", Path: "isolated.gen.go", Policy: Generated, Mode: ModeIsolated},
	{Template: "isolated/isolated.gen_test.go.tmpl", Path: "isolated.gen_test.go", Policy: Generated, Mode: ModeIsolated},

	// Scaffold-once: the user's from the moment they are written.
	{Template: "common/go.mod.tmpl", Path: "go.mod", Policy: ScaffoldOnce},
	{Template: "common/handler.go.tmpl", Path: "handler.go", Policy: ScaffoldOnce},
	{Template: "common/handler_test.go.tmpl", Path: "handler_test.go", Policy: ScaffoldOnce},
	{Template: "common/Dockerfile.tmpl", Path: "Dockerfile", Policy: ScaffoldOnce},
	{Template: "common/README.md.tmpl", Path: "README.md", Policy: ScaffoldOnce},
	{Template: "common/gitattributes.tmpl", Path: ".gitattributes", Policy: ScaffoldOnce},
	{Template: "common/gitignore.tmpl", Path: ".gitignore", Policy: ScaffoldOnce},
	{Template: "common/dockerignore.tmpl", Path: ".dockerignore", Policy: ScaffoldOnce},
}

// Package hostile tests the generated input decoder against hostile input:
// nesting far beyond the depth limit, inputs made of violations, numbers
// that float64 cannot hold exactly, and fuzzing against encoding/json and
// math/big.
//
// input.gen.go and jsondecode.gen.go are the generator's output for
// input.schema.json, rendered as this package; TestBenchCodeFresh in the
// generator package fails when they are stale (go test ./generator -run
// TestBenchCodeFresh -update rewrites them).
package hostile

// Package hostile tests the generated input decoder against hostile input:
// nesting far beyond the depth limit, inputs made of violations, numbers
// that float64 cannot hold exactly, and fuzzing against encoding/json and
// math/big.
//
// input.gen.go is the generator's output for input.schema.json, rendered
// as this package, importing the runtime package decode from this module;
// TestBenchCodeFresh in the generator package fails when it is stale (go
// test ./generator -run TestBenchCodeFresh -update rewrites it).
package hostile

// Package bench measures the generated input decoder against the
// alternatives a function could use instead: encoding/json into the same
// generated types (no validation: the floor), and the runtime validator
// github.com/santhosh-tekuri/jsonschema/v6 (decode to any, then validate).
//
// input.gen.go is the generator's output for input.schema.json, the
// knative-rich golden's schema, rendered as this package, importing the
// runtime package decode from this module; TestBenchCodeFresh in the
// generator package fails when it is stale (go test ./generator -run
// TestBenchCodeFresh -update rewrites it).
//
// go run ./generator/internal/bench/cmd runs the benchmarks side by side
// and prints the comparison table.
package bench

// Package bench measures the generated input decoder against the
// alternatives a function could use instead: encoding/json into the same
// generated types (no validation: the floor), and the runtime validator
// github.com/santhosh-tekuri/jsonschema/v6 (decode to any, then validate).
//
// input.gen.go and jsondecode.gen.go are the generator's output for
// input.schema.json, the knative-rich golden's schema, rendered as this
// package; TestBenchCodeFresh in the generator package fails when they are
// stale (go test ./generator -run TestBenchCodeFresh -update rewrites them).
//
// go run ./generator/internal/bench/cmd runs the benchmarks side by side
// and prints the comparison table.
package bench

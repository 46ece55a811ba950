// Package large holds the generated input code of input.schema.json, a
// batch of contact records, for the decoding benchmark of a large valid
// input (about 100 KB of many small strings) in package bench.
// TestBenchCodeFresh in the generator package keeps it fresh.
package large

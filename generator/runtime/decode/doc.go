// Package decode reads a function's JSON input and checks it against the
// input schema in one pass. The generated DecodeInput drives a Decoder
// with one function per schema of the input; this package holds what does
// not depend on the schema: the JSON reader, the violations and their
// messages, exact numbers, and the checks on generic values.
//
// A decoding stops at the first syntax error (a *SyntaxError) but collects
// every violation of the schema (a *ValidationError), and reads at most a
// given depth of nested arrays and objects, so that neither time, memory
// nor the stack grow with a hostile input beyond its size.
package decode

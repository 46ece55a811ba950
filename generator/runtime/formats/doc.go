// Package formats checks the string formats of JSON Schema draft 2020-12's
// format-assertion vocabulary: date-time, date, time, duration, email,
// hostname, ipv4, ipv6, uri, uri-reference, uuid, regex and json-pointer.
//
// Each checker follows the RFC the specification names for its format and
// reports whether the whole string conforms; none trims, folds or guesses.
// The package uses the standard library only: direktiv-fn copies it, as
// source, into the function repositories whose schema asserts a format.
package formats

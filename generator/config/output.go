package config

// OutputSchemaFile is the output schema's usual path in a repository, the
// copy "direktiv-fn new --output-schema" writes (output.schema.yaml for a
// schema written in YAML).
const OutputSchemaFile = "output.schema.json"

// OutputGoFile is the generated file that declares the typed Output, for
// messages about a user's Output type that it replaces.
const OutputGoFile = "output.gen.go"

// InvalidOutput is the built-in error code of a function with an output
// schema: its handler returned an output the schema does not accept.
var InvalidOutput = ErrorCode{Name: "invalidOutput", Description: "The handler's output does not match the output schema; the message lists every violation. It is a bug in the handler."}

// Builtins returns the built-in error codes of a function: BuiltinErrors,
// and InvalidOutput when the function has an output schema.
func Builtins(output bool) []ErrorCode {
	if !output {
		return BuiltinErrors
	}
	return append(append([]ErrorCode(nil), BuiltinErrors...), InvalidOutput)
}

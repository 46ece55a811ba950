// Package fn runs a Direktiv function: it takes the calls Direktiv makes,
// decodes and validates each input, runs the handler, and answers with its
// output or with an error code a workflow can catch. Serve is the runtime
// of a knative-workflow function (an HTTP server that Direktiv's sidecar
// calls), RunIsolated that of an isolated one (one call through files in
// a data folder). Handlers use CallFromContext, Logf and NewError.
package fn

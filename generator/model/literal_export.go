package model

import "github.com/direktiv-fn/direktiv-fn/schema"

// GoLiteral returns the Go literal of value v for the schema of n, as the
// defaults are written: the scaffolded handler returns the output sample
// written so.
func GoLiteral(n *Node, v *schema.Value) (string, error) { return goLiteral(n, v) }

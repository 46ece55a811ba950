// Package model turns an input schema into the Go view the other stages work
// from: a tree of nodes (one per schema: its Go type and name, its
// properties, its checks), the named declarations (types, enum constants,
// patterns, divisors, values), Go names made unique, and the README's rows.
// Unsupported constructs are refused with positioned diagnostics.
package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// FieldDoc is one row of the README's input table.
type FieldDoc struct {
	// Pointer locates the field, "/files/*/path" for the path of every
	// element of files; "(root)" for a root that is not an object.
	Pointer string
	// Type is in JSON words: "string", "string (enum)", "array of object".
	Type string
	// Required is true for a property its object requires.
	Required bool
	// Default is the default as compact JSON, or "".
	Default string
	// Description is the schema's description, else its title.
	Description string
	// Constraints lists what the schema requires of the value, in words:
	// `one of "r", "w"; 1–64 characters; pattern ^[a-z]+$`. Empty when none.
	Constraints string
}

// GoType is a named Go type of input.gen.go: a struct for an object schema,
// a string type with constants for an enum, or the root type when the root
// is not an object.
type GoType struct {
	// Name is the type's Go name.
	Name string
	// Doc is the doc comment's text.
	Doc string
	// Struct is true for a struct type.
	Struct bool
	// Fields are the struct's fields, in property order.
	Fields []*GoField
	// Underlying is the underlying type of a non-struct type, e.g. "string".
	Underlying string
	// Consts are the enum constants of the type, in enum order.
	Consts []*GoConst
}

// GoField is one field of a generated struct.
type GoField struct {
	// Name is the field's Go name.
	Name string
	// Type is the field's Go type, e.g. "*int64" or "[]File".
	Type string
	// Tag is the field's struct tag literal, with its back quotes.
	Tag string
	// Doc is the doc comment's text.
	Doc string
}

// GoConst is one constant of an enum type.
type GoConst struct {
	// Name is the constant's Go name.
	Name string
	// Value is the constant's Go literal.
	Value string
	// Doc is the doc comment's text.
	Doc string
}

// PatternVar is a package-level compiled regular expression for "pattern".
type PatternVar struct {
	// Name is the variable's name.
	Name string
	// Pointer is the schema location the pattern checks, for its comment.
	Pointer string
	// Go is the pattern in Go regexp syntax.
	Go string
	// Source is the pattern as written in the schema.
	Source string
}

// MultipleVar is a package-level exact divisor for "multipleOf".
type MultipleVar struct {
	// Name is the variable's name.
	Name string
	// Pointer is the schema location the divisor checks, for its comment.
	Pointer string
	// Lit is the divisor as written in the schema.
	Lit string
}

// GoLit returns the pattern as a Go string literal.
func (p *PatternVar) GoLit() string { return GoString(p.Go) }

// Model is the Go view of a schema before any code is emitted: the tree of
// nodes and the named declarations it needs.
type Model struct {
	// RootName is the root type's name, "Input" or "Output".
	RootName string
	// Root is the node of the document's root schema.
	Root *Node
	// Order lists the nodes in document order (depth first).
	Order []*Node
	// Generics are the generic checks, in creation order.
	Generics []*GNode
	// Nodes are the nodes by schema.
	Nodes map[*schema.Schema]*Node
	// Types are the named Go types, the root type Input first.
	Types []*GoType
	// Patterns are the package-level regular expressions, compiled on first use.
	Patterns []*PatternVar
	// Multiples are the package-level exact divisors of "multipleOf".
	Multiples []*MultipleVar
	// Values are the package-level JSON values of "const" and "enum" on
	// generic schemas.
	Values []*ValueVar
	// Formats is true when "format" is asserted (see AssertedFormat).
	Formats bool
}

// Options change how Build reads a schema and names what it builds.
type Options struct {
	// AnnotateFormats treats "format" as an annotation only (the
	// manifest's input.formats: annotate): nothing asserts it.
	AnnotateFormats bool
	// Root names the root type: "Input" when empty; "Output" builds the
	// model of the output schema.
	Root string
	// Names holds the package-level and method names taken, shared by the
	// models of one package; nil for names of the model's own.
	Names *Names
}

// Names holds the Go names taken in a generated package by the models
// built so far, so that the input's and the output's types, variables and
// decoder methods never collide.
type Names struct {
	// pkg and methods map a name to the number Unique tries next for it.
	pkg, methods map[string]int
}

// NewNames returns the names of a package where only the reserved names,
// and extra, are taken.
func NewNames(extra ...string) *Names {
	n := &Names{pkg: map[string]int{}, methods: map[string]int{}}
	for _, r := range append(reservedNames, extra...) {
		n.pkg[r] = 1
	}
	return n
}

// Free makes the package-level name free again: the output's model takes
// "Output", which the input's may not.
func (n *Names) Free(name string) { delete(n.pkg, name) }

// Build builds the model of doc, refusing the constructs the generator
// does not support with a schema.Diagnostics error; stop ends it early.
func Build(doc *schema.Document, stop *Stopper, opts Options) (*Model, error) {
	names := opts.Names
	if names == nil {
		names = NewNames()
	}
	rootName := opts.Root
	if rootName == "" {
		rootName = "Input"
	}
	b := &inputBuilder{
		stop:     stop,
		doc:      doc,
		root:     rootName,
		formats:  !opts.AnnotateFormats,
		pkgNames: names.pkg,
		methods:  names.methods,
		nodes:    map[*schema.Schema]*Node{},
		gnodes:   map[*schema.Schema]*GNode{},
	}
	root := b.build(doc.Root, "", rootName, "")
	if err := stop.Check(); err != nil {
		return nil, err
	}
	if len(b.diags) > 0 {
		return nil, SortDiagnostics(b.diags)
	}
	return &Model{RootName: rootName, Root: root, Order: b.order, Generics: b.gorder, Nodes: b.nodes,
		Types: b.types, Patterns: b.patterns, Multiples: b.multiples, Values: b.values, Formats: b.formats}, nil
}

// reservedNames are the exported package-level names of the generated
// package that input types may not take: those of the other generated
// files and of the handler (the runtime's live in their own packages). Names starting with "Err" (the
// error code constants) or "Test" are reserved too (see pkgName).
var reservedNames = []string{
	"DecodeInput",
	"Handle", "Output", "ErrorCode",
}

// inputBuilder builds the node tree of a document.
type inputBuilder struct {
	// stop ends the build early when its context is done.
	stop *Stopper
	doc  *schema.Document
	// formats is true when "format" is asserted (see AssertedFormat).
	formats bool
	// root is the root type's name: "Input", or "Output" for the model of
	// the output schema.
	root     string
	diags    schema.Diagnostics
	pkgNames map[string]int
	methods  map[string]int
	nodes    map[*schema.Schema]*Node
	gnodes   map[*schema.Schema]*GNode
	// gorder lists the generic checks in creation order.
	gorder []*GNode
	values []*ValueVar
	// order lists the nodes in document order (depth first).
	order     []*Node
	types     []*GoType
	patterns  []*PatternVar
	multiples []*MultipleVar
}

// SortDiagnostics sorts diags by position and returns them.
func SortDiagnostics(diags schema.Diagnostics) schema.Diagnostics {
	sort.SliceStable(diags, func(i, j int) bool {
		x, y := diags[i].Pos, diags[j].Pos
		if x.Line != y.Line {
			return x.Line < y.Line
		}
		return x.Col < y.Col
	})
	return diags
}

// errorf records a diagnostic about keyword kw of s ("" for s itself).
func (b *inputBuilder) errorf(s *schema.Schema, kw, format string, args ...any) {
	d := schema.Diagnostic{File: b.doc.File, Pos: s.Pos, Pointer: s.Pointer, Message: fmt.Sprintf(format, args...)}
	if kw != "" {
		if p, ok := s.KeywordPos(kw); ok {
			d.Pos = p
		}
		d.Pointer = s.Pointer + "/" + schema.EscapeToken(kw)
	}
	b.diags = append(b.diags, d)
}

// pkgName reserves a unique package-level name starting with want. A name
// that could be an error code constant (ErrX) or a test (TestX) is
// prefixed with the root type's name ("Input").
func (b *inputBuilder) pkgName(want string) string {
	for _, prefix := range []string{"Err", "Test"} {
		if rest := strings.TrimPrefix(want, prefix); rest != want && (rest == "" || unicode.IsUpper([]rune(rest)[0])) {
			want = b.root + want
		}
	}
	return Unique(b.pkgNames, want)
}

// Unique returns want, or want with the smallest number from 2 that is not
// in names, and adds it to names. A name is in names when its value is
// positive; the value of a want that is taken is the number to try next
// (no smaller one is free, as names are never removed), so that many
// names wanting the same take linear time, not quadratic.
func Unique(names map[string]int, want string) string {
	if names[want] == 0 {
		names[want] = 1
		return want
	}
	for i := max(names[want], 2); ; i++ {
		name := want + strconv.Itoa(i)
		if names[name] == 0 {
			names[want], names[name] = i+1, 1
			return name
		}
	}
}

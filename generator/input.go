package generator

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// InputModel is the Go view of the input schema: the types, decoder and
// tests generated from it, and what the README and the sample workflow show
// of it. Everything in it is in schema document order (depth first), which
// is deterministic.
type InputModel struct {
	// Fields documents the input's fields for the README.
	Fields []FieldDoc
	// Sample is a valid instance of the schema: the root's first valid
	// example, else its default, else a minimal value built from the schema.
	Sample *schema.Value
	// Types are the named Go types of input.gen.go, the root type Input first.
	Types []*GoType
	// Patterns are the package-level compiled regular expressions.
	Patterns []*PatternVar
	// Multiples are the package-level exact divisors of "multipleOf".
	Multiples []*MultipleVar
	// Values are the package-level JSON values of "const" and "enum" on
	// generic schemas.
	Values []*ValueVar
	// Marshalers are the source of the MarshalJSON methods of the structs
	// whose properties encoding/json cannot write from struct tags alone.
	Marshalers []string
	// Decoders are the source of the decoder methods, one per schema.
	Decoders []string
	// Imports are the packages input.gen.go imports, sorted.
	Imports []string
	// Runtime says which optional parts of jsondecode.gen.go are used.
	Runtime Runtime
	// MaxDepth is the deepest nesting of arrays and objects DecodeInput
	// reads: DefaultMaxDepth unless the manifest sets input.maxDepth.
	MaxDepth int
	// Tests are the cases of input.gen_test.go.
	Tests InputTests
}

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
func (p *PatternVar) GoLit() string { return goString(p.Go) }

// Runtime lists the optional parts of jsondecode.gen.go that the
// generated decoder uses, so that the runtime holds no dead code.
type Runtime struct {
	used map[string]bool
}

// runtimeDeps lists, for each optional part of the runtime, the other
// parts and the imports it needs.
var runtimeDeps = map[string][]string{
	"readInt":           {"inputSmallInt", "inputInt"},
	"readFloat":         {"inputSmallInt"},
	"inputInt":          {"inputNumber"},
	"inputCompare":      {"inputNumber", "cmp"},
	"inputNumIn":        {"inputCompare", "num"},
	"inputMultiple":     {"math/big", "inputNumber"},
	"inputRat":          {"math/big"},
	"readAny":           {"encoding/json"},
	"failNum":           {"num"},
	"failQuote":         {"quote"},
	"failAny":           {"quote", "encoding/json"},
	"failOneOf":         {"fail"},
	"inputMember":       {"encoding/json"},
	"inputTypeOf":       {"encoding/json", "inputNumber"},
	"inputEqual":        {"encoding/json", "inputCompare"},
	"inputIn":           {"inputEqual"},
	"inputDuplicateAny": {"inputNumber"},
	"recheck":           {"readCache"},
	"uniqueAgain":       {"readCache", "inputDuplicateAny", "failUnique"},
	"readCache":         {"readAny"},
	"reject":            {"push", "pop", "fail"},
	"checkName":         {"push", "pop", "quote"},
	"missing":           {"push", "pop", "fail"},
	"push":              {"pop"},
	"pushIndex":         {"pop"},
}

// use records that the generated code uses the named runtime parts.
func (r *Runtime) use(names ...string) {
	if r.used == nil {
		r.used = map[string]bool{}
	}
	for _, n := range names {
		if !r.used[n] {
			r.used[n] = true
			r.use(runtimeDeps[n]...)
		}
	}
}

// Uses reports whether the runtime part (a function, method, field or
// import) named name is used.
func (r Runtime) Uses(name string) bool { return r.used[name] }

// Used returns the names of the runtime parts used, sorted.
func (r Runtime) Used() []string {
	var out []string
	for n := range r.used {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// newInputModel builds the Go view of the input schema, refusing the
// constructs the generator does not support with a schema.Diagnostics error.
func newInputModel(doc *schema.Document) (*InputModel, error) {
	return newInputModelWith(doc, inputOptions{})
}

// inputOptions change what newInputModelWith requires of a schema.
type inputOptions struct {
	// validationOnly builds the model of a schema for which no valid
	// sample can be built (false, {"not": {}}...): the model then has no
	// Sample and no Tests, so that only the types and the decoder can be
	// rendered. The conformance test uses it; generation never does, and
	// asks the user for "examples" instead.
	validationOnly bool
	// sampleOnly stops once the sample is built: the model has no code,
	// no tests and no field docs. SampleInput uses it.
	sampleOnly bool
	// ctx stops the build early when it is done; nil never does.
	ctx context.Context
}

// newInputModelWith is newInputModel with options.
func newInputModelWith(doc *schema.Document, opts inputOptions) (*InputModel, error) {
	stop := newStopper(opts.ctx)
	b := &inputBuilder{
		stop:     stop,
		doc:      doc,
		pkgNames: map[string]int{},
		methods:  map[string]int{},
		nodes:    map[*schema.Schema]*node{},
		gnodes:   map[*schema.Schema]*gnode{},
	}
	for _, n := range reservedNames {
		b.pkgNames[n] = 1
	}
	root := b.build(doc.Root, "", "Input", "")
	if err := stop.check(); err != nil {
		return nil, err
	}
	if len(b.diags) > 0 {
		return nil, b.diagnostics()
	}
	b.checkAnnotations()
	if len(b.diags) > 0 {
		return nil, b.diagnostics()
	}
	m := &InputModel{Types: b.types, Patterns: b.patterns, Multiples: b.multiples, Values: b.values, MaxDepth: DefaultMaxDepth}
	if opts.sampleOnly {
		sample, err := (&sampler{doc: doc, stop: stop}).sample(root)
		m.Sample = sample
		return m, err
	}
	m.Fields = fieldDocs(root)
	e := newDecodeEmitter()
	for _, n := range b.order {
		if n.needsMarshal() {
			m.Marshalers = append(m.Marshalers, e.marshal(n))
		}
	}
	for _, n := range b.order {
		m.Decoders = append(m.Decoders, e.method(n))
	}
	for _, g := range b.gorder {
		m.Decoders = append(m.Decoders, e.checkMethod(g))
	}
	if anyNumbers(b.values) {
		e.pkgs["encoding/json"] = true
	}
	if len(b.multiples) > 0 {
		e.rt.use("inputRat")
	}
	m.Imports = e.imports()
	m.Runtime = e.rt
	if err := stop.check(); err != nil {
		return nil, err
	}
	sm := &sampler{doc: doc, stop: stop}
	sample, err := sm.sample(root)
	if err != nil && opts.validationOnly {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	m.Sample = sample
	m.Tests = newInputTests(sm, root, sample)
	return m, stop.check()
}

// reservedNames are the exported package-level names of the generated
// package that input types may not take: the runtime's, and those of the
// other generated files and of the handler. Names starting with "Err" (the
// error code constants) or "Test" are reserved too (see pkgName).
var reservedNames = []string{
	"DecodeInput", "Violation", "ValidationError", "SyntaxError",
	"Handle", "Output", "Call", "CallFromContext", "Error", "ErrorCode", "NewError", "Logf",
}

// node is one schema as the generator sees it.
type node struct {
	s *schema.Schema
	// ptr is the instance location for documentation, with "*" for any
	// array index: "/files/*/path".
	ptr string
	// key is the property name of the schema ("" for the root and items).
	key string
	// kind is the schema's single type, besides "null" for a nullable one.
	kind schema.Type
	// nullable is true for a "type" of one type and "null": goType is then
	// a pointer to valType, except for slices and maps, which are nil for
	// null.
	nullable bool
	// goType is the Go type of a decoded value, e.g. "[]File".
	goType string
	// valType is the Go type of a non-null value: goType without the
	// pointer of a nullable node.
	valType string
	// named is the named type the schema declares, or nil.
	named *GoType
	// base names the schema in generated identifiers, e.g. "InputTags".
	base string
	// method is the name of the decoder method.
	method string
	// item is the element schema of an array.
	item *node
	// props are an object's properties, in document order.
	props []*prop
	// closed is true for "additionalProperties": false.
	closed bool
	// addl is the schema of "additionalProperties", when it has one: the
	// values of a map, or of the extra field of a struct.
	addl  *node
	extra *GoField
	// patterns are the "patternProperties" of a struct, and patField its
	// map field of the properties that match one.
	patterns []*npattern
	patField *GoField
	// check validates the value of a generic node, or is nil.
	check *gnode
	// residual checks the keywords of a typed node that its decoder does
	// not, on the value read again as a generic one; or nil.
	residual *gnode
	// building is true while the node's subschemas are being built: a
	// reference back to it is recursive.
	building bool
	// enum holds the enum values that match kind, deduplicated, and
	// enumKeys their keys (schema.Value.Key); consts holds the matching Go
	// constants of a string enum.
	enum     []*schema.Value
	enumKeys map[string]bool
	consts   []*GoConst
	// constVal is "const", or nil.
	constVal *schema.Value
	// multiple is the exact divisor of "multipleOf", when it needs one.
	multiple *MultipleVar
	// pattern is the compiled "pattern", or nil.
	pattern *PatternVar
	re      *regexp.Regexp
}

// npattern is one entry of the "patternProperties" of a struct.
type npattern struct {
	v    *PatternVar
	re   *regexp.Regexp
	node *node
}

// prop is one property of an object schema.
type prop struct {
	name     string
	field    *GoField
	node     *node
	required bool
	// ann are the annotations of the property's schema: those written
	// beside a "$ref" win over its target's.
	ann schema.Annotations
	// def is the default applied when the property is absent, or nil.
	def *schema.Value
	// defLit is def as a Go literal.
	defLit string
	// ptr is true when the field is a pointer: optional and without default.
	ptr bool
	// untagged is true for a name that a struct tag cannot hold (""): the
	// field's tag is "-" and the struct's MarshalJSON writes it.
	untagged bool
}

// tracked reports whether the decoder must know that the property was
// present: to report it missing or to apply its default.
func (p *prop) tracked() bool { return p.required || p.defLit != "" }

// inputBuilder builds the node tree of a document.
type inputBuilder struct {
	// stop ends the build early when its context is done.
	stop     *stopper
	doc      *schema.Document
	diags    schema.Diagnostics
	pkgNames map[string]int
	methods  map[string]int
	nodes    map[*schema.Schema]*node
	gnodes   map[*schema.Schema]*gnode
	// gorder lists the generic checks in creation order.
	gorder []*gnode
	values []*ValueVar
	// order lists the nodes in document order (depth first).
	order     []*node
	types     []*GoType
	patterns  []*PatternVar
	multiples []*MultipleVar
}

// diagnostics returns the diagnostics sorted by position.
func (b *inputBuilder) diagnostics() schema.Diagnostics {
	sort.SliceStable(b.diags, func(i, j int) bool {
		x, y := b.diags[i].Pos, b.diags[j].Pos
		if x.Line != y.Line {
			return x.Line < y.Line
		}
		return x.Col < y.Col
	})
	return b.diags
}

// errorf records a diagnostic about keyword kw of s ("" for s itself).
func (b *inputBuilder) errorf(s *schema.Schema, kw, format string, args ...any) {
	d := schema.Diagnostic{File: b.doc.File, Pos: s.Pos, Pointer: s.Pointer, Message: fmt.Sprintf(format, args...)}
	if kw != "" {
		if p, ok := s.KeywordPos(kw); ok {
			d.Pos = p
		}
		d.Pointer = s.Pointer + "/" + escapePointer(kw)
	}
	b.diags = append(b.diags, d)
}

// pkgName reserves a unique package-level name starting with want. A name
// that could be an error code constant (ErrX) or a test (TestX) is
// prefixed with "Input".
func (b *inputBuilder) pkgName(want string) string {
	for _, prefix := range []string{"Err", "Test"} {
		if rest := strings.TrimPrefix(want, prefix); rest != want && (rest == "" || unicode.IsUpper([]rune(rest)[0])) {
			want = "Input" + want
		}
	}
	return unique(b.pkgNames, want)
}

// unique returns want, or want with the smallest number from 2 that is not
// in names, and adds it to names. A name is in names when its value is
// positive; the value of a want that is taken is the number to try next
// (no smaller one is free, as names are never removed), so that many
// names wanting the same take linear time, not quadratic.
func unique(names map[string]int, want string) string {
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

package gocheck

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/direktiv-fn/direktiv-fn/generator"
)

// decl is one thing the generated Go files declare that code of the user's
// can depend on: a package-level name (a type, function, variable or
// constant), or a field or method of a generated type.
type decl struct {
	// sig is what a use depends on: the kind and the type, as written
	// ("field *string", "func(data []byte) (Input, error)"). Two
	// generations that agree on it are interchangeable for the user's code.
	sig string
	// file is the generated file declaring it.
	file string
	// json is a field's JSON name (from its tag); at the schema location
	// a type's doc comment names ("/style", "#/$defs/other"; "" for
	// Input, the root).
	json, at string
	// typ and value are a constant's type and value as written.
	typ, value string
}

// surface is what generated Go files declare, by key: a package-level name
// ("Input"), or a type's field or method ("Input.Greeting").
type surface map[string]decl

// isGenerated reports whether a Go file is one direktiv-fn generated.
func isGenerated(src []byte) bool { return bytes.HasPrefix(src, []byte(generator.Header)) }

// surfaceOf returns what the generated Go files among files declare. A
// file that does not parse declares what parses.
func surfaceOf(files map[string][]byte) surface {
	s := surface{}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if isGenerated(files[n]) {
			s.add(n, files[n])
		}
	}
	return s
}

// typeAtPattern finds the schema location in a generated type's doc
// comment: "InputAddress is the type of /address (Postal address).",
// "Other is the type defined at #/$defs/other.".
var typeAtPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\w+ is the type (?:of|defined at) (\S+?)\.?(?:\s|$)`)
})

// add adds the declarations of the generated file name.
func (s surface) add(name string, src []byte) {
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if f == nil {
		return
	}
	str := func(n ast.Node) string {
		var b bytes.Buffer
		printer.Fprint(&b, fset, n)
		return b.String()
	}
	put := func(key string, d decl) {
		if _, ok := s[key]; !ok {
			d.file = name
			s[key] = d
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				if d.Name.Name != "init" && d.Name.Name != "_" {
					put(d.Name.Name, decl{sig: "func" + strings.TrimPrefix(str(d.Type), "func")})
				}
				continue
			}
			if len(d.Recv.List) == 1 {
				recv := str(d.Recv.List[0].Type)
				put(baseType(d.Recv.List[0].Type)+"."+d.Name.Name, decl{sig: "method (" + recv + ")" + strings.TrimPrefix(str(d.Type), "func")})
			}
		case *ast.GenDecl:
			s.addGen(d, str, put)
		}
	}
}

// addGen adds the names a type, var or const declaration declares.
func (s surface) addGen(d *ast.GenDecl, str func(ast.Node) string, put func(string, decl)) {
	var lastType ast.Expr
	var lastValues []ast.Expr
	for _, spec := range d.Specs {
		switch spec := spec.(type) {
		case *ast.TypeSpec:
			doc := spec.Doc
			if doc == nil && len(d.Specs) == 1 {
				doc = d.Doc
			}
			td := decl{}
			if doc != nil {
				text := doc.Text()
				if m := typeAtPattern().FindStringSubmatch(text); m != nil {
					td.at = m[1]
				} else if strings.HasPrefix(text, spec.Name.Name+" is the function's input") {
					td.at = ""
				}
			}
			tparams := ""
			if spec.TypeParams != nil {
				tparams = str(spec.TypeParams)
			}
			assign := ""
			if spec.Assign.IsValid() {
				assign = "= "
			}
			st, ok := spec.Type.(*ast.StructType)
			if !ok {
				td.sig = "type" + tparams + " " + assign + str(spec.Type)
				put(spec.Name.Name, td)
				continue
			}
			td.sig = "type" + tparams + " " + assign + "struct"
			put(spec.Name.Name, td)
			for _, fl := range st.Fields.List {
				fd := decl{sig: "field " + str(fl.Type)}
				if fl.Tag != nil {
					if tag, err := strconv.Unquote(fl.Tag.Value); err == nil {
						fd.json, _, _ = strings.Cut(reflect.StructTag(tag).Get("json"), ",")
					}
				}
				if len(fl.Names) == 0 {
					fd.sig = "embedded " + str(fl.Type)
					put(spec.Name.Name+"."+baseType(fl.Type), fd)
				}
				for _, n := range fl.Names {
					put(spec.Name.Name+"."+n.Name, fd)
				}
			}
		case *ast.ValueSpec:
			if d.Tok == token.CONST && spec.Type == nil && len(spec.Values) == 0 {
				// An implicit repetition of the previous spec (iota).
				spec = &ast.ValueSpec{Names: spec.Names, Type: lastType, Values: lastValues}
			} else {
				lastType, lastValues = spec.Type, spec.Values
			}
			for i, n := range spec.Names {
				if n.Name == "_" {
					continue
				}
				put(n.Name, valueDecl(d.Tok, spec, i, str))
			}
		}
	}
}

// valueDecl describes the i-th name of a var or const spec: its declared
// type, or, without one, the shape of its value (a call's function, a
// literal's kind), which settles its type.
func valueDecl(tok token.Token, spec *ast.ValueSpec, i int, str func(ast.Node) string) decl {
	d := decl{}
	if tok == token.CONST && i < len(spec.Values) {
		d.value = str(spec.Values[i])
	}
	if spec.Type != nil {
		d.typ = str(spec.Type)
		d.sig = tok.String() + " " + d.typ
		return d
	}
	var v ast.Expr
	switch {
	case i < len(spec.Values):
		v = spec.Values[i]
	case len(spec.Values) == 1:
		v = spec.Values[0] // var a, b = f()
	}
	switch v := v.(type) {
	case *ast.BasicLit:
		d.sig = tok.String() + " untyped " + v.Kind.String()
	case *ast.CallExpr:
		d.sig = tok.String() + " = " + str(v.Fun) + "(...)#" + strconv.Itoa(i)
	case *ast.CompositeLit:
		d.sig = tok.String() + " = " + str(v.Type) + "{...}"
	case nil:
		d.sig = tok.String()
	default:
		d.sig = tok.String() + " = " + str(v)
	}
	return d
}

// baseType returns the name of a receiver or embedded type: T for T, *T,
// T[K] and pkg.T.
func baseType(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.SelectorExpr:
			return t.Sel.Name
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

// owner returns the type of a field or method key ("Input" for
// "Input.Greeting"); "" for a package-level name.
func owner(key string) string {
	t, _, _ := strings.Cut(key, ".")
	if t == key {
		return ""
	}
	return t
}

// member returns the field or method name of a key; the key itself for a
// package-level name.
func member(key string) string {
	_, m, ok := strings.Cut(key, ".")
	if !ok {
		return key
	}
	return m
}

package plan

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/scanner"
	"go/token"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/direktiv-fn/direktiv-fn/generator"
)

// GoDecl is a top-level identifier that a Go file of the repository's root
// package declares: a type, constant, variable or function (methods are not
// top-level identifiers and are left out).
type GoDecl struct {
	// Name is the identifier.
	Name string
	// Kind is "type", "const", "var" or "func".
	Kind string
	// File is the file's path; Line and Col locate the name in it.
	File      string
	Line, Col int
	// Type is a constant's declared type ("ErrorCode"), Value its value
	// as written ("\"fn.failed\""); both empty otherwise.
	Type, Value string

	// shape is the declaration's tokens without its name and comments,
	// for telling a rename from a removal.
	shape []string
	// at is the schema location a generated type's doc comment names.
	at string
}

// Exported reports whether the identifier is exported.
func (d GoDecl) Exported() bool { return token.IsExported(d.Name) }

// Words names the identifier in a sentence: "Go type InputAddress".
func (d GoDecl) Words() string {
	kind := map[string]string{"const": "constant", "var": "variable", "func": "function"}[d.Kind]
	if kind == "" {
		kind = d.Kind
	}
	return "Go " + kind + " " + d.Name
}

// GoRename is a generated identifier that a generation renamed: the same
// declaration (the same schema location, for a type) under a new name.
type GoRename struct {
	Old, New GoDecl
}

// GoChanges are the top-level identifiers that differ between the
// generated Go files on disk and those a generation writes.
type GoChanges struct {
	// Removed are no longer declared; Renamed are declared under a new
	// name; Added are new. Each is sorted by name.
	Removed []GoDecl
	Renamed []GoRename
	Added   []GoDecl
	// CodesRenamed are the error codes whose value changed (the function
	// id changed): Old and New are the full codes Direktiv sees.
	CodesRenamed []CodeRename
}

// CodeRename is an error code whose full code changed.
type CodeRename struct {
	// Const is the code's Go constant, e.g. ErrFailed.
	Const string
	// Old and New are the codes, e.g. "hello.failed" and "greeter.failed".
	Old, New string
}

// RenamedTo returns the new name of a renamed identifier; "" when it was
// not renamed.
func (c GoChanges) RenamedTo(name string) string {
	for _, r := range c.Renamed {
		if r.Old.Name == name {
			return r.New.Name
		}
	}
	return ""
}

// isGeneratedGo reports whether p is a Go file of the repository's root
// package that direktiv-fn generated: its first line is Header.
func isGeneratedGo(p string, src []byte) bool {
	return isRootGo(p) && bytes.HasPrefix(src, []byte(generator.Header))
}

// isRootGo reports whether p is a Go file in the repository's root folder.
func isRootGo(p string) bool {
	return strings.HasSuffix(p, ".go") && !strings.Contains(p, "/")
}

// goDecls returns the top-level identifiers file declares, in source order.
// A file outside package main, or excluded from every build by a
// "//go:build ignore" line, declares none that matter here. A file with
// syntax errors yields what parses.
func goDecls(file string, src []byte) []GoDecl {
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, file, src, parser.ParseComments|parser.SkipObjectResolution)
	if f == nil || f.Name == nil || f.Name.Name != "main" || ignored(f) {
		return nil
	}
	var out []GoDecl
	add := func(name *ast.Ident, kind string, node ast.Node, doc *ast.CommentGroup) GoDecl {
		at := fset.Position(name.Pos())
		d := GoDecl{Name: name.Name, Kind: kind, File: file, Line: at.Line, Col: at.Column}
		d.shape = shapeOf(src, fset, node, name.Name)
		if kind == "type" && doc != nil {
			if m := typeOfPattern().FindStringSubmatch(doc.Text()); m != nil {
				d.at = m[1]
			}
		}
		return d
	}
	for _, decl := range f.Decls {
		switch decl := decl.(type) {
		case *ast.FuncDecl:
			if decl.Recv == nil && decl.Name.Name != "init" && decl.Name.Name != "_" {
				out = append(out, add(decl.Name, "func", decl, nil))
			}
		case *ast.GenDecl:
			for _, spec := range decl.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					doc := spec.Doc
					if doc == nil && len(decl.Specs) == 1 {
						doc = decl.Doc
					}
					out = append(out, add(spec.Name, "type", spec, doc))
				case *ast.ValueSpec:
					for i, name := range spec.Names {
						if name.Name == "_" {
							continue
						}
						d := add(name, decl.Tok.String(), spec, nil)
						if decl.Tok == token.CONST {
							if spec.Type != nil {
								d.Type = string(src[fset.Position(spec.Type.Pos()).Offset:fset.Position(spec.Type.End()).Offset])
							}
							if i < len(spec.Values) {
								v := spec.Values[i]
								d.Value = string(src[fset.Position(v.Pos()).Offset:fset.Position(v.End()).Offset])
							}
						}
						out = append(out, d)
					}
				}
			}
		}
	}
	return out
}

// typeOfPattern finds the schema location in a generated type's doc
// comment: "InputAddress is the type of /address (Postal address).",
// "Other is the type defined at #/$defs/other.".
var typeOfPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\w+ is the type (?:of|defined at) (\S+?)\.?(?:\s|$)`)
})

// ignored reports whether a "//go:build" line keeps the file out of every
// build: it requires the tag "ignore", by convention never set.
func ignored(f *ast.File) bool {
	for _, g := range f.Comments {
		if g.Pos() >= f.Package {
			break
		}
		for _, c := range g.List {
			if !constraint.IsGoBuild(c.Text) {
				continue
			}
			expr, err := constraint.Parse(c.Text)
			if err != nil {
				continue
			}
			if !expr.Eval(func(tag string) bool { return tag != "ignore" }) {
				return true
			}
		}
	}
	return false
}

// shapeOf returns the tokens of node in src, without comments and with
// the declared name left out.
func shapeOf(src []byte, fset *token.FileSet, node ast.Node, name string) []string {
	start, end := fset.Position(node.Pos()).Offset, fset.Position(node.End()).Offset
	if start < 0 || end > len(src) || start > end {
		return nil
	}
	part := src[start:end]
	var s scanner.Scanner
	s.Init(token.NewFileSet().AddFile("", -1, len(part)), part, nil, 0)
	var out []string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		switch {
		case tok == token.IDENT && lit == name:
			out = append(out, "_")
		case lit != "" && tok != token.SEMICOLON:
			out = append(out, lit)
		default:
			out = append(out, tok.String())
		}
	}
}

// generatedGo returns the top-level identifiers the generated Go files
// among files declare, with the path of each.
func generatedGo(files map[string][]byte) []GoDecl {
	var out []GoDecl
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if isGeneratedGo(p, files[p]) {
			out = append(out, goDecls(p, files[p])...)
		}
	}
	return out
}

// diffGo compares the identifiers old generated files declared with those
// of the new ones. A removed and an added identifier of the same kind are a
// rename when they are the one pair with the same declaration once the
// changed names are set aside, or, for types, when their doc comments name
// the same schema location.
func diffGo(old, next []GoDecl) GoChanges {
	var c GoChanges
	oldBy, nextBy := byName(old), byName(next)
	var removed, added []GoDecl
	for _, d := range old {
		if _, ok := nextBy[d.Name]; !ok && oldBy[d.Name].File == d.File {
			removed = append(removed, d)
		}
	}
	for _, d := range next {
		if _, ok := oldBy[d.Name]; !ok && nextBy[d.Name].File == d.File {
			added = append(added, d)
		}
	}
	for _, d := range next {
		o, ok := oldBy[d.Name]
		if ok && d.Kind == "const" && o.Kind == "const" && d.Type == "ErrorCode" && o.Type == "ErrorCode" && d.Value != o.Value {
			ov, err1 := strconv.Unquote(o.Value)
			nv, err2 := strconv.Unquote(d.Value)
			if err1 == nil && err2 == nil {
				c.CodesRenamed = append(c.CodesRenamed, CodeRename{Const: d.Name, Old: ov, New: nv})
			}
		}
	}
	changed := map[string]bool{}
	for _, d := range append(append([]GoDecl(nil), removed...), added...) {
		changed[d.Name] = true
	}
	key := func(d GoDecl) string {
		parts := make([]string, len(d.shape))
		for i, t := range d.shape {
			if changed[t] {
				t = "_"
			}
			parts[i] = t
		}
		return d.Kind + " " + strings.Join(parts, " ")
	}
	paired := map[string]bool{}
	pair := func(o, n GoDecl) {
		c.Renamed = append(c.Renamed, GoRename{Old: o, New: n})
		paired[o.Name], paired[n.Name] = true, true
	}
	// Types whose doc comments name the same schema location.
	for _, o := range removed {
		for _, n := range added {
			if o.Kind == "type" && n.Kind == "type" && o.at != "" && o.at == n.at && !paired[n.Name] && !paired[o.Name] {
				pair(o, n)
			}
		}
	}
	// The one pair with the same declaration, types with no location only.
	count := map[string]int{}
	for _, d := range removed {
		if !paired[d.Name] {
			count["-"+key(d)]++
		}
	}
	for _, d := range added {
		if !paired[d.Name] {
			count["+"+key(d)]++
		}
	}
	for _, o := range removed {
		if paired[o.Name] || count["-"+key(o)] != 1 || count["+"+key(o)] != 1 {
			continue
		}
		for _, n := range added {
			if !paired[n.Name] && key(n) == key(o) && !(o.Kind == "type" && o.at != "" && n.at != "") {
				pair(o, n)
				break
			}
		}
	}
	for _, d := range removed {
		if !paired[d.Name] {
			c.Removed = append(c.Removed, d)
		}
	}
	for _, d := range added {
		if !paired[d.Name] {
			c.Added = append(c.Added, d)
		}
	}
	sort.Slice(c.Removed, func(i, j int) bool { return c.Removed[i].Name < c.Removed[j].Name })
	sort.Slice(c.Added, func(i, j int) bool { return c.Added[i].Name < c.Added[j].Name })
	sort.Slice(c.Renamed, func(i, j int) bool { return c.Renamed[i].Old.Name < c.Renamed[j].Old.Name })
	sort.Slice(c.CodesRenamed, func(i, j int) bool { return c.CodesRenamed[i].Const < c.CodesRenamed[j].Const })
	return c
}

// byName indexes declarations by name, the first one winning.
func byName(decls []GoDecl) map[string]GoDecl {
	out := map[string]GoDecl{}
	for _, d := range decls {
		if _, ok := out[d.Name]; !ok {
			out[d.Name] = d
		}
	}
	return out
}

// Lines returns the changes that matter to the handler's author, as
// sentences: the exported types and constants renamed, removed and added,
// and the error codes renamed.
func (c GoChanges) Lines() []string { return c.lines(false) }

// lines returns Lines, in the conditional when would.
func (c GoChanges) lines(would bool) []string {
	var out []string
	shown := func(d GoDecl) bool { return d.Exported() && (d.Kind == "type" || d.Kind == "const") }
	for _, r := range c.Renamed {
		if shown(r.Old) {
			out = append(out, fmt.Sprintf("%s %s %s", r.Old.Words(), mood(would, "is now"), r.New.Name))
		}
	}
	for _, d := range c.Removed {
		if shown(d) {
			out = append(out, fmt.Sprintf("%s %s (%s)", d.Words(), mood(would, "removed"), path.Base(d.File)))
		}
	}
	for _, d := range c.Added {
		if shown(d) {
			out = append(out, fmt.Sprintf("%s %s (%s)", d.Words(), mood(would, "added"), path.Base(d.File)))
		}
	}
	for _, r := range c.CodesRenamed {
		out = append(out, fmt.Sprintf("error code %s %s %s: update the workflows that catch it", r.Old, mood(would, "is now"), r.New))
	}
	return out
}

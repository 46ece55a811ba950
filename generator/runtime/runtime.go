// Package runtime holds the function runtime: the Go packages under this
// folder (decode, ...) that every function repository gets a copy of, as
// source under its internal/ folder, and the code that makes that copy.
//
// The runtime packages are ordinary Go here: compiled, vetted, tested,
// fuzzed and benchmarked with the rest of direktiv-fn. They use the
// standard library only, and import each other by their path in this
// module. A copy keeps only what the function's generated code reaches
// (see Copy), rewrites the imports between runtime packages to the
// function's module and starts every file with the generated-file header.
// The sources are gofmt'd here, and a copy keeps their text byte for byte,
// so that it needs no formatting.
package runtime

import (
	"bytes"
	"embed"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"sync"
)

// sources holds the Go files of the runtime packages (tests left out when
// copying).
//
//go:embed */*.go
var sources embed.FS

// ImportPrefix is the import path of the runtime packages in this module;
// a copy imports them as <module>/internal/<package>.
const ImportPrefix = "github.com/direktiv-fn/direktiv-fn/generator/runtime/"

// File is one file of a copy: its slash-separated path in the function
// repository and its content.
type File struct {
	Path    string
	Content []byte
}

// Packages returns the names of the runtime packages, sorted.
func Packages() []string {
	idx, err := index()
	if err != nil {
		panic(err)
	}
	var out []string
	for _, p := range idx {
		out = append(out, p.name)
	}
	return out
}

// Copy returns the runtime files that code reaches, as they go into the
// function repository whose module path is module: code is the source of
// the generated Go files (and any other file the copy must serve), which
// use a runtime package by importing <module>/internal/<package> under
// its own name. A top-level declaration is copied when code, or a
// declaration copied already, names it (pkg.Name from another package, or
// Name from its own); a method is copied when its type is and the method's
// name is selected somewhere in that code (x.Name), or it can satisfy a
// standard interface (Error, String, Unwrap, ServeHTTP...). An import is
// kept when a copied declaration uses it. Each file starts with header,
// and lands at internal/<package>/<name>.gen.go; a file left with no
// declaration is not copied, but a package's doc.go goes with its package.
// A declaration whose doc comment holds the line //direktivfn:api is
// copied whenever its package is: it is the API that the user's code (a
// handler) may use, which generation does not see.
// The files come sorted by path, and the result depends on nothing else
// than the arguments: the copy is deterministic.
func Copy(module, header string, code [][]byte) ([]File, error) {
	idx, err := index()
	if err != nil {
		return nil, err
	}
	return copyOf(idx, module, header, code)
}

// copyOf is Copy from the packages idx.
func copyOf(idx []*pkg, module, header string, code [][]byte) ([]File, error) {
	r := newReach(idx)
	for _, src := range code {
		if err := r.scanCode(module, src); err != nil {
			return nil, err
		}
	}
	r.run()
	if r.err != nil {
		return nil, r.err
	}
	return r.files(module, header), nil
}

// CopyAll returns the whole runtime as Copy would: every declaration of
// every package. Tests that build many generated packages in one module
// share it.
func CopyAll(module, header string) ([]File, error) {
	idx, err := index()
	if err != nil {
		return nil, err
	}
	r := newReach(idx)
	for _, p := range idx {
		if err := p.load(); err != nil {
			return nil, err
		}
		for _, d := range p.decls {
			r.keepDecl(d)
		}
	}
	r.run()
	if r.err != nil {
		return nil, r.err
	}
	return r.files(module, header), nil
}

// pkg is one runtime package, parsed.
type pkg struct {
	name string
	// fsys holds the package's folder; once, err guard its parsing.
	fsys fs.FS
	once sync.Once
	err  error
	// The rest is set by load.
	files []*srcFile
	// names maps a top-level name (a method as "Type.Method") to the
	// declarations that declare it.
	names map[string][]*decl
	decls []*decl
	// methods maps a type name to its methods' declarations.
	methods map[string][]*decl
}

// srcFile is one file of a runtime package.
type srcFile struct {
	name string
	src  []byte
	// doc is the file's text before its package clause that belongs to
	// the package doc comment, or "".
	doc     string
	imports map[string]string // local name -> import path
	decls   []*decl
}

// decl is one top-level declaration: its text (from its doc comment) and
// what it refers to.
type decl struct {
	pkg  *pkg
	file *srcFile
	text string
	// recv is the receiver's type name of a method, else "".
	recv, name string
	// idents are the identifiers the declaration uses; sels the names
	// selected (x.Name) in it, and ext the package-qualified names
	// (local import name -> names).
	idents map[string]bool
	sels   map[string]bool
	ext    map[string]map[string]bool
	// api is set for a declaration whose doc comment holds the line
	// //direktivfn:api: the API of the package for the user's code,
	// copied whenever its package is, whatever the generated code uses.
	api bool
}

var (
	indexOnce sync.Once
	indexPkgs []*pkg
	indexErr  error
)

// index parses the runtime packages once.
func index() ([]*pkg, error) {
	indexOnce.Do(func() { indexPkgs, indexErr = parseAll(sources) })
	return indexPkgs, indexErr
}

// parseAll lists the packages of fsys, a folder per package; each is
// parsed when a copy first needs it (see pkg.load), so that a copy pays
// only for the packages it uses.
func parseAll(fsys fs.FS) ([]*pkg, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("internal error: listing the runtime: %w", err)
	}
	var out []*pkg
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, &pkg{name: e.Name(), fsys: fsys, names: map[string][]*decl{}, methods: map[string][]*decl{}})
		}
	}
	return out, nil
}

// load parses the package's files but tests, once.
func (pk *pkg) load() error {
	pk.once.Do(func() {
		entries, err := fs.ReadDir(pk.fsys, pk.name)
		for _, e := range entries {
			n := e.Name()
			if err != nil || e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
				continue
			}
			var src []byte
			if src, err = fs.ReadFile(pk.fsys, pk.name+"/"+n); err == nil {
				err = pk.parse(n, src)
			}
		}
		if err != nil {
			pk.err = fmt.Errorf("internal error: parsing the runtime package %s: %w", pk.name, err)
		}
	})
	return pk.err
}

// parse adds the file name with source src to the package.
func (pk *pkg) parse(name string, src []byte) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	if f.Name.Name != pk.name {
		return fmt.Errorf("%s/%s: package %s, want %s as its folder", pk.name, name, f.Name.Name, pk.name)
	}
	sf := &srcFile{name: name, src: src, imports: map[string]string{}}
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	if start := docStart(src, off(f.Package)); start < off(f.Package) {
		sf.doc = strings.TrimSuffix(string(src[start:off(f.Package)]), "\n")
	}
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		local := path.Base(p)
		if im.Name != nil {
			local = im.Name.Name
		}
		sf.imports[local] = p
	}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		start := docStart(src, off(d.Pos()))
		doc := "\n" + string(src[start:off(d.Pos())])
		api := strings.Contains(doc, "\n"+apiDirective+"\n")
		dc := &decl{pkg: pk, file: sf, text: string(src[start:off(d.End())]), api: api,
			idents: map[string]bool{}, sels: map[string]bool{}, ext: map[string]map[string]bool{}}
		var names []string
		switch x := d.(type) {
		case *ast.FuncDecl:
			dc.name = x.Name.Name
			if x.Recv != nil && len(x.Recv.List) == 1 {
				dc.recv = recvName(x.Recv.List[0].Type)
				pk.methods[dc.recv] = append(pk.methods[dc.recv], dc)
				names = []string{dc.recv + "." + dc.name}
			} else {
				names = []string{dc.name}
			}
		case *ast.GenDecl:
			for _, s := range x.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names = append(names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names = append(names, n.Name)
					}
				}
			}
		}
		for _, n := range names {
			pk.names[n] = append(pk.names[n], dc)
		}
		var visit func(n ast.Node) bool
		visit = func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				// x.Sel names a field, a method or another package's
				// declaration: never one of this package's.
				dc.sels[x.Sel.Name] = true
				if id, ok := x.X.(*ast.Ident); ok {
					if _, isImport := sf.imports[id.Name]; isImport {
						if dc.ext[id.Name] == nil {
							dc.ext[id.Name] = map[string]bool{}
						}
						dc.ext[id.Name][x.Sel.Name] = true
						return false
					}
				}
				ast.Inspect(x.X, visit)
				return false
			case *ast.Field:
				// The names of fields and parameters declare, not refer.
				ast.Inspect(x.Type, visit)
				return false
			case *ast.Ident:
				dc.idents[x.Name] = true
			}
			return true
		}
		ast.Inspect(d, visit)
		sf.decls = append(sf.decls, dc)
		pk.decls = append(pk.decls, dc)
	}
	pk.files = append(pk.files, sf)
	return nil
}

// docStart returns the offset in src where the doc comment of the
// declaration at offset at starts: the first of the "//" lines right
// above it; at when it has none. (The parser need not keep comments.)
func docStart(src []byte, at int) int {
	start := at
	for start > 0 {
		prev := bytes.LastIndexByte(src[:start-1], '\n') + 1
		if !bytes.HasPrefix(src[prev:start], []byte("//")) {
			break
		}
		start = prev
	}
	return start
}

// recvName returns the type name of a method receiver: T for T, *T, T[P].
func recvName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

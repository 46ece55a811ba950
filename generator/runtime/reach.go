package runtime

import (
	"go/scanner"
	"go/token"
	"path"
	"slices"
	"strconv"
	"strings"
)

// interfaceMethods are the method names kept on every copied type: the
// methods of the standard library's interfaces a runtime type may be used
// through without its name being selected anywhere.
var interfaceMethods = map[string]bool{
	"Error": true, "String": true, "Unwrap": true, "Is": true, "As": true, "Format": true, "GoString": true,
	"ServeHTTP": true, "MarshalJSON": true, "UnmarshalJSON": true, "MarshalText": true, "UnmarshalText": true,
	"Read": true, "Write": true, "Close": true, "Len": true, "Less": true, "Swap": true,
}

// reach is the reachability computation of one copy.
type reach struct {
	pkgs  map[string]*pkg
	kept  map[*decl]bool
	types map[*pkg]map[string]bool // kept types, by package
	sels  map[string]bool          // names selected anywhere in kept code
	queue []*decl
	used  map[*pkg]bool
	// err is the error of the first package that failed to parse.
	err error
}

// newReach returns a computation with nothing kept.
func newReach(idx []*pkg) *reach {
	r := &reach{pkgs: map[string]*pkg{}, kept: map[*decl]bool{}, types: map[*pkg]map[string]bool{}, sels: map[string]bool{}, used: map[*pkg]bool{}}
	for _, p := range idx {
		r.pkgs[p.name] = p
	}
	return r
}

// scanCode records the runtime names that the Go source src (a generated
// file of module) uses: the names it selects, and those it takes from a
// runtime package it imports. A token scan suffices: the generator wrote
// src, and imports a runtime package under its own name.
func (r *reach) scanCode(module string, src []byte) error {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	var errs scanner.ErrorList
	s.Init(file, src, func(pos token.Position, msg string) { errs.Add(pos, msg) }, 0)
	prefix := module + "/internal/"
	imported := map[string]*pkg{}
	// last holds the two tokens before the current one.
	var prevTok, prevPrevTok token.Token
	var prevLit, prevPrevLit string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.STRING {
			if p, err := strconv.Unquote(lit); err == nil && strings.HasPrefix(p, prefix) {
				if pk := r.pkgs[strings.TrimPrefix(p, prefix)]; pk != nil {
					imported[pk.name] = pk
				}
			}
		}
		if tok == token.IDENT && prevTok == token.PERIOD {
			r.sels[lit] = true
			if prevPrevTok == token.IDENT {
				if pk := imported[prevPrevLit]; pk != nil {
					r.keepName(pk, lit)
				}
			}
		}
		prevPrevTok, prevPrevLit, prevTok, prevLit = prevTok, prevLit, tok, lit
	}
	return errs.Err()
}

// keepName keeps the declarations of pk that declare name.
func (r *reach) keepName(pk *pkg, name string) {
	if err := pk.load(); err != nil {
		r.err = err
		return
	}
	for _, d := range pk.names[name] {
		r.keepDecl(d)
	}
}

// apiDirective marks a declaration that the user's code may use (see
// decl.api).
const apiDirective = "//direktivfn:api"

// keepDecl keeps d and queues it for its references. The first
// declaration kept of a package brings the package's API along.
func (r *reach) keepDecl(d *decl) {
	if r.kept[d] {
		return
	}
	r.kept[d] = true
	r.queue = append(r.queue, d)
	if !r.used[d.pkg] {
		r.used[d.pkg] = true
		for _, a := range d.pkg.decls {
			if a.api {
				r.keepDecl(a)
			}
		}
	}
}

// run keeps what the kept declarations reach, until nothing changes: the
// names they use, and the methods of kept types whose names are selected.
func (r *reach) run() {
	for {
		for len(r.queue) > 0 {
			d := r.queue[0]
			r.queue = r.queue[1:]
			for s := range d.sels {
				r.sels[s] = true
			}
			for id := range d.idents {
				if id == d.name && d.recv == "" {
					continue
				}
				for _, o := range d.pkg.names[id] {
					r.keepDecl(o)
				}
				if _, ok := d.pkg.methods[id]; ok && len(d.pkg.names[id]) > 0 {
					if r.types[d.pkg] == nil {
						r.types[d.pkg] = map[string]bool{}
					}
					r.types[d.pkg][id] = true
				}
			}
			if d.recv != "" {
				r.keepName(d.pkg, d.recv)
				if r.types[d.pkg] == nil {
					r.types[d.pkg] = map[string]bool{}
				}
				r.types[d.pkg][d.recv] = true
			}
			for local, names := range d.ext {
				p := d.file.imports[local]
				if !strings.HasPrefix(p, ImportPrefix) {
					continue
				}
				if pk := r.pkgs[strings.TrimPrefix(p, ImportPrefix)]; pk != nil {
					for n := range names {
						r.keepName(pk, n)
					}
				}
			}
		}
		// Methods of kept types whose names are selected somewhere.
		changed := false
		for pk, types := range r.types {
			for t := range types {
				for _, m := range pk.methods[t] {
					if !r.kept[m] && (r.sels[m.name] || interfaceMethods[m.name]) {
						r.keepDecl(m)
						changed = true
					}
				}
			}
		}
		if !changed {
			return
		}
	}
}

// files renders the kept declarations, file by file.
func (r *reach) files(module, header string) []File {
	var out []File
	var names []string
	for n := range r.pkgs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		pk := r.pkgs[n]
		if !r.used[pk] {
			continue
		}
		for _, f := range pk.files {
			var kept []*decl
			for _, d := range f.decls {
				if r.kept[d] {
					kept = append(kept, d)
				}
			}
			if len(kept) == 0 && f.doc == "" {
				continue
			}
			out = append(out, File{
				Path:    "internal/" + pk.name + "/" + strings.TrimSuffix(f.name, ".go") + ".gen.go",
				Content: f.render(pk.name, module, header, kept),
			})
		}
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// render writes the file with only the declarations kept: header, package
// doc, package clause, the imports they use, then the declarations in
// their order, each as written.
func (f *srcFile) render(name, module, header string, kept []*decl) []byte {
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("\n\n")
	if f.doc != "" {
		b.WriteString(f.doc)
		b.WriteByte('\n')
	}
	b.WriteString("package " + name + "\n")
	used := map[string]bool{}
	for _, d := range kept {
		for local := range d.ext {
			used[local] = true
		}
	}
	var std, local []string
	for l, p := range f.imports {
		if !used[l] {
			continue
		}
		spec := strconv.Quote(p)
		if strings.HasPrefix(p, ImportPrefix) {
			spec = strconv.Quote(module + "/internal/" + strings.TrimPrefix(p, ImportPrefix))
			if path.Base(p) != l {
				spec = l + " " + spec
			}
			local = append(local, spec)
			continue
		}
		if path.Base(p) != l {
			spec = l + " " + spec
		}
		std = append(std, spec)
	}
	slices.Sort(std)
	slices.Sort(local)
	if len(std)+len(local) > 0 {
		b.WriteString("\nimport (\n")
		for _, s := range std {
			b.WriteString("\t" + s + "\n")
		}
		if len(std) > 0 && len(local) > 0 {
			b.WriteByte('\n')
		}
		for _, s := range local {
			b.WriteString("\t" + s + "\n")
		}
		b.WriteString(")\n")
	}
	for _, d := range kept {
		b.WriteString("\n" + d.text + "\n")
	}
	return []byte(b.String())
}

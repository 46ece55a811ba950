package gocheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// needsCheck reports whether the user's Go files (user, by name, the same
// before and after) can be broken by a generation that turns the generated
// declarations before into after: when a declaration is removed or
// changed, or when one is added under a name the user's code declares too
// (a package-level name, an import name, a method of a generated type), or
// a field is added to a struct the user's code fills positionally or
// embeds. Otherwise the type check is skipped: an unchanged or additive
// generation cannot break code that compiled.
func needsCheck(before, after surface, user map[string][]byte) bool {
	for k, d := range before {
		if a, ok := after[k]; !ok || a.sig != d.sig {
			return true
		}
	}
	var added []string
	for k := range after {
		if _, ok := before[k]; !ok {
			added = append(added, k)
		}
	}
	if len(added) == 0 {
		return false
	}
	u := scanUser(user)
	for _, k := range added {
		t := owner(k)
		switch {
		case t == "" && u.names[k]:
			return true
		case t != "" && (u.methods[k] || u.embeds[t]):
			return true
		case t != "" && strings.HasPrefix(after[k].sig, "field") && u.positional:
			return true
		}
	}
	return false
}

// userDecls is what the user's Go files declare that a generated name can
// collide with.
type userDecls struct {
	// names are the package-level names and the import names.
	names map[string]bool
	// methods are the methods, by "Type.Method".
	methods map[string]bool
	// embeds are the types embedded in a struct.
	embeds map[string]bool
	// positional is true when a composite literal lists values without
	// keys (of a struct, or of a type it cannot tell).
	positional bool
}

// scanUser parses the user's Go files. One that does not parse
// contributes what does: the type check then tells.
func scanUser(user map[string][]byte) userDecls {
	u := userDecls{names: map[string]bool{}, methods: map[string]bool{}, embeds: map[string]bool{}}
	for name, src := range user {
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		f, _ := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
		if f == nil {
			continue
		}
		for _, im := range f.Imports {
			if im.Name != nil {
				u.names[im.Name.Name] = true
			} else if p, err := strconv.Unquote(im.Path.Value); err == nil {
				u.names[p[strings.LastIndex(p, "/")+1:]] = true
			}
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil && len(d.Recv.List) == 1 {
					u.methods[baseType(d.Recv.List[0].Type)+"."+d.Name.Name] = true
				} else if d.Recv == nil {
					u.names[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						u.names[s.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range s.Names {
							u.names[n.Name] = true
						}
					}
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.StructType:
				for _, fl := range n.Fields.List {
					if len(fl.Names) == 0 {
						u.embeds[baseType(fl.Type)] = true
					}
				}
			case *ast.CompositeLit:
				switch n.Type.(type) {
				case *ast.ArrayType, *ast.MapType:
				default:
					for _, e := range n.Elts {
						if _, ok := e.(*ast.KeyValueExpr); !ok {
							u.positional = true
						}
					}
				}
			}
			return true
		})
	}
	return u
}

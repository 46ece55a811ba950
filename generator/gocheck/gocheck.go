// Package gocheck tells whether a generation would leave the user's Go code
// not compiling. It type-checks the function's root package (every Go file
// of the repository's root folder, tests included) with the generated files
// as the generation would write them, in memory, with go/types; each error
// in a file of the user's is a break, with what caused it where that can be
// told. It type-checks only when the generated declarations change in a
// way that can break code (a name removed, renamed or retyped; a name
// added that the user's code declares too): an unchanged or additive
// generation costs a parse of the generated files.
//
// The standard library and the module's other packages are read from their
// compiled export data, which one "go list -export" run in the repository
// finds (and compiles into the build cache when missing): about 0.2 s,
// where type-checking net/http and its dependencies from source takes 5 s.
package gocheck

import (
	"context"
	"fmt"
	"go/ast"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/plan"
)

// Change is a generation of a repository, as the type check sees it.
type Change struct {
	// Dir is the repository's folder, as the user reads it: positions
	// are shown under it, and "go list" runs in it.
	Dir string
	// Module is the module path, which an external test package
	// (package main_test) imports.
	Module string
	// Before are the Go files of the repository's root folder on disk,
	// by name; After what they would be after the generation (a file
	// deleted is absent).
	Before, After map[string][]byte
	// Go are the generated names renamed, for saying so.
	Go plan.GoChanges
}

// Break is a place in a Go file of the user's that would not compile after
// the generation.
type Break struct {
	// Pos is "file:line:col", the file under Change.Dir.
	Pos string
	// Msg is the type checker's message.
	Msg string
	// Cause says which change of the generated code caused it ("input
	// field /greeting removed"); "" when that cannot be told.
	Cause string
}

// String returns the break as "file:line:col: message (cause)".
func (b Break) String() string {
	if b.Cause == "" {
		return b.Pos + ": " + b.Msg
	}
	return b.Pos + ": " + b.Msg + " (" + b.Cause + ")"
}

// Result is what Breaks found.
type Result struct {
	// Breaks are the places of the user's that would no longer compile,
	// in file order.
	Breaks []Break
	// Checked is true when the package was type-checked (the generated
	// declarations changed in a way that can break code).
	Checked bool
	// Partial explains why some imports could not be loaded, so that
	// what depends on them went unchecked; "" when all were.
	Partial string
}

// Breaks returns the places in the user's Go files that would no longer
// compile after the generation c. Errors the code has before it (same
// place, same message) are not breaks: the generation does not cause them.
func Breaks(ctx context.Context, c Change) (*Result, error) {
	user := map[string][]byte{}
	userBefore := map[string][]byte{}
	for n, src := range c.After {
		if !isGenerated(src) {
			user[n] = src
		}
	}
	for n, src := range c.Before {
		if !isGenerated(src) {
			userBefore[n] = src
		}
	}
	if len(userBefore) == 0 {
		// No code of the user's yet (a new project): nothing to break.
		return &Result{}, nil
	}
	// Only the generated files that differ can change what is declared
	// (a name cannot move to a file that did not change: it would have
	// been declared twice): an unchanged generation parses nothing.
	changedBefore, changedAfter := changedGenerated(c.Before, c.After)
	if sameFiles(user, userBefore) && !needsCheck(surfaceOf(changedBefore), surfaceOf(changedAfter), user) {
		return &Result{}, nil
	}
	r := &Result{Checked: true}
	next := parsePkg(c.After)
	export, err := exportData(ctx, c.Dir, imports(next.files, next.xtest))
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	if err != nil {
		r.Partial = err.Error()
	}
	var found []typeError
	for _, e := range typeCheck(next, c.Module, export) {
		if _, ok := user[e.file]; ok {
			found = append(found, e)
		}
	}
	if len(found) == 0 {
		return r, nil
	}
	// What was broken already is not the generation's doing.
	old := map[string]bool{}
	prev := parsePkg(c.Before)
	if more := imports(prev.files, prev.xtest); len(more) > 0 {
		if extra, _ := exportData(ctx, c.Dir, missing(more, export)); extra != nil {
			for p, e := range extra {
				export[p] = e
			}
		}
	}
	for _, e := range typeCheck(prev, c.Module, export) {
		old[e.key()] = true
	}
	causes := newCauses(surfaceOf(c.Before), surfaceOf(c.After), c.Go)
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a.file != b.file {
			return a.file < b.file
		}
		if a.line != b.line {
			return a.line < b.line
		}
		return a.col < b.col
	})
	for _, e := range found {
		if old[e.key()] {
			continue
		}
		r.Breaks = append(r.Breaks, Break{
			Pos:   fmt.Sprintf("%s:%d:%d", filepath.Join(c.Dir, e.file), e.line, e.col),
			Msg:   e.msg,
			Cause: causes.of(next, e),
		})
	}
	return r, nil
}

// changedGenerated returns the generated files that differ between before
// and after, from each side.
func changedGenerated(before, after map[string][]byte) (map[string][]byte, map[string][]byte) {
	b, a := map[string][]byte{}, map[string][]byte{}
	for n, src := range before {
		if isGenerated(src) && string(after[n]) != string(src) {
			b[n] = src
		}
	}
	for n, src := range after {
		if isGenerated(src) && string(before[n]) != string(src) {
			a[n] = src
		}
	}
	return b, a
}

// missing returns the paths that export has no entry for.
func missing(paths []string, export map[string]string) []string {
	var out []string
	for _, p := range paths {
		if _, ok := export[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}

// sameFiles reports whether two sets of files are the same.
func sameFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for n, src := range a {
		if other, ok := b[n]; !ok || string(other) != string(src) {
			return false
		}
	}
	return true
}

// causes says which change of the generated declarations an error is due
// to.
type causes struct {
	before, after surface
	names         plan.GoChanges
}

// newCauses returns the causes of a generation from before to after.
func newCauses(before, after surface, g plan.GoChanges) *causes {
	return &causes{before: before, after: after, names: g}
}

// of returns the cause of the error e in the package p: the change of a
// generated declaration that an identifier at the error's place names.
func (c *causes) of(p *pkg, e typeError) string {
	var file *ast.File
	for f, n := range p.names {
		if n == e.file {
			file = f
		}
	}
	if file == nil || !e.pos.IsValid() {
		return ""
	}
	// A selector's name where the error is (x.Name undefined); else the
	// names in the expressions around the error's place, innermost
	// first, up to the statement or declaration.
	var path []ast.Node
	ast.Inspect(file, func(n ast.Node) bool {
		if n == nil || n.Pos() > e.pos || e.pos >= n.End() {
			return false
		}
		path = append(path, n)
		return true
	})
	for _, n := range path {
		if s, ok := n.(*ast.SelectorExpr); ok && s.Sel.Pos() == e.pos {
			if why := c.member(s.Sel.Name); why != "" {
				return why
			}
			// A name of the package, from its external tests (fn.Name).
			return c.name(s.Sel.Name)
		}
	}
	for i := len(path) - 1; i >= 0; i-- {
		switch path[i].(type) {
		case ast.Stmt, ast.Decl, *ast.File:
			return ""
		}
		if why := c.namesIn(path[i]); why != "" {
			return why
		}
	}
	return ""
}

// namesIn returns the cause that the first changed name in n gives.
func (c *causes) namesIn(n ast.Node) string {
	var why string
	ast.Inspect(n, func(n ast.Node) bool {
		if why != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.SelectorExpr:
			why = c.member(n.Sel.Name)
			if why == "" {
				why = c.name(identName(n.X))
			}
			return why == ""
		case *ast.Ident:
			why = c.name(n.Name)
		}
		return why == ""
	})
	return why
}

// identName returns the name of an identifier; "" for another expression.
func identName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// name says how the package-level generated name n changed; "" when it did
// not.
func (c *causes) name(n string) string {
	b, inBefore := c.before[n]
	a, inAfter := c.after[n]
	switch {
	case n == "" || !inBefore && !inAfter:
		return ""
	case inBefore && inAfter && a.sig == b.sig:
		// Unchanged; but its fields may have changed (a positional
		// literal).
		return c.fieldsOf(n)
	case inBefore && !inAfter:
		if to := c.names.RenamedTo(n); to != "" {
			return fmt.Sprintf("%s %s renamed to %s", kind(b), n, to)
		}
		return c.removed(n, b)
	case !inBefore && inAfter:
		return fmt.Sprintf("%s %s is now generated too, in %s", kind(a), n, a.file)
	}
	return fmt.Sprintf("%s %s changed: %s, was %s", kind(a), n, strings.TrimPrefix(a.sig, kind(a)+" "), strings.TrimPrefix(b.sig, kind(b)+" "))
}

// movedToRuntime are the names of the handler's API that direktiv-fn
// generated in package main before its runtime became packages copied
// under internal/, by the package that now holds each.
var movedToRuntime = map[string]string{
	"Call":            "fn",
	"CallFromContext": "fn",
	"Logf":            "fn",
	"Error":           "fn",
	"NewError":        "fn",
	"Violation":       "decode",
	"ValidationError": "decode",
	"SyntaxError":     "decode",
}

// removed says what the removal of the generated name n means.
func (c *causes) removed(n string, d decl) string {
	if pkg, ok := movedToRuntime[n]; ok && (kind(d) == "func" || kind(d) == "type") {
		return fmt.Sprintf("%s %s moved to the runtime package internal/%s: write %s.%s and import the module's internal/%s", kind(d), n, pkg, pkg, n, pkg)
	}
	if kind(d) == "const" && d.typ != "" {
		v, err := strconv.Unquote(d.value)
		switch t, ok := c.before[d.typ]; {
		case err != nil:
		case d.typ == "ErrorCode":
			return "error code " + v + " removed"
		case ok && t.at != "":
			return fmt.Sprintf("enum value %q of %s removed", v, t.at)
		}
	}
	return fmt.Sprintf("%s %s removed", kind(d), n)
}

// fieldsOf says which fields of the generated struct n were added or
// removed; "" when none was.
func (c *causes) fieldsOf(n string) string {
	var added, removed []string
	for k := range c.after {
		if owner(k) == n && strings.HasPrefix(c.after[k].sig, "field") {
			if _, ok := c.before[k]; !ok {
				added = append(added, member(k))
			}
		}
	}
	for k := range c.before {
		if owner(k) == n && strings.HasPrefix(c.before[k].sig, "field") {
			if _, ok := c.after[k]; !ok {
				removed = append(removed, member(k))
			}
		}
	}
	if len(added)+len(removed) == 0 {
		return ""
	}
	var parts []string
	if len(added) > 0 {
		parts = append(parts, "fields added: "+strings.Join(sorted(added), ", "))
	}
	if len(removed) > 0 {
		parts = append(parts, "fields removed: "+strings.Join(sorted(removed), ", "))
	}
	return fmt.Sprintf("type %s %s", n, strings.Join(parts, "; "))
}

// member says how a generated field or method named m changed, on any
// generated type; "" when none did.
func (c *causes) member(m string) string {
	for _, s := range []surface{c.before, c.after} {
		for _, k := range sortedKeys(s) {
			if owner(k) == "" || member(k) != m {
				continue
			}
			b, inBefore := c.before[k]
			a, inAfter := c.after[k]
			switch {
			case inBefore && inAfter && a.sig == b.sig:
				continue
			case inBefore && !inAfter:
				if ptr, ok := c.pointer(k, b); ok {
					return "input field " + ptr + " removed"
				}
				return noun(b) + " " + k + " removed"
			case !inBefore && inAfter:
				return noun(a) + " " + k + " is now generated too, in " + a.file
			}
			what := noun(a) + " " + k
			if ptr, ok := c.pointer(k, a); ok {
				what = "input field " + ptr
			}
			return fmt.Sprintf("%s changed: %s is now %s, was %s", what, k, strings.TrimPrefix(a.sig, kind(a)+" "), strings.TrimPrefix(b.sig, kind(b)+" "))
		}
	}
	return ""
}

// pointer returns the JSON Pointer of the input field behind the struct
// field key: its type's schema location and its JSON name.
func (c *causes) pointer(key string, d decl) (string, bool) {
	if d.json == "" || d.json == "-" {
		return "", false
	}
	t, ok := c.before[owner(key)]
	if !ok {
		t, ok = c.after[owner(key)]
	}
	if !ok || (t.at == "" && owner(key) != "Input") {
		return "", false
	}
	return t.at + "/" + strings.ReplaceAll(strings.ReplaceAll(d.json, "~", "~0"), "/", "~1"), true
}

// kind returns the first word of a declaration's sig: "type", "func",
// "var", "const", "field", "embedded" or "method".
func kind(d decl) string {
	k, _, _ := strings.Cut(d.sig, " ")
	if strings.HasPrefix(k, "func(") {
		return "func"
	}
	if strings.HasPrefix(k, "type[") {
		return "type"
	}
	return k
}

// noun names a field or method in a sentence.
func noun(d decl) string {
	if k := kind(d); k != "embedded" {
		return k
	}
	return "embedded field"
}

// sortedKeys returns the keys of s, sorted.
func sortedKeys(s surface) []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	return sorted(out)
}

// sorted sorts s and returns it.
func sorted(s []string) []string {
	sort.Strings(s)
	return s
}

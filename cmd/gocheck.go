package cmd

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator"
)

// goBreak is a place in the user's Go code that a generation would leave
// not compiling.
type goBreak struct {
	// pos is "file:line:col"; msg says what is wrong there.
	pos, msg string
	// collision is true for a declaration of the user's that a generated
	// file declares too, false for a use of an identifier that is gone.
	collision bool
}

// String returns the break as "file:line:col: message".
func (b goBreak) String() string { return b.pos + ": " + b.msg }

// goBreaks returns what writing a generation would break in the Go files of
// dir that are the user's: each use of an identifier that is no longer
// generated (changes), and each top-level declaration of the user's that a
// generated file declares too (decls). by says how the message names the
// generated file ("regenerated", "generated"). Files of the user's that the
// generation overwrites (named in skip) are left out.
func goBreaks(dir string, changes generator.GoChanges, decls []generator.GoDecl, by string, skip map[string]bool) ([]goBreak, error) {
	paths, files, err := userGoFiles(dir)
	if err != nil {
		return nil, err
	}
	generated := map[string]generator.GoDecl{}
	for _, d := range decls {
		if _, ok := generated[d.Name]; !ok {
			generated[d.Name] = d
		}
	}
	var out []goBreak
	own := map[string]bool{}
	for _, p := range paths {
		if skip[filepath.Base(p)] {
			continue
		}
		for _, d := range generator.GoDecls(p, files[p]) {
			own[d.Name] = true
			if g, ok := generated[d.Name]; ok {
				out = append(out, goBreak{
					pos:       fmt.Sprintf("%s:%d:%d", p, d.Line, d.Col),
					msg:       fmt.Sprintf("%s %s is declared here and by the %s %s", d.Kind, d.Name, by, g.File),
					collision: true,
				})
			}
		}
	}
	var names []string
	for _, d := range changes.Vanished() {
		if !own[d.Name] {
			names = append(names, d.Name)
		}
	}
	uses, err := identUses(dir, names...)
	if err != nil {
		return nil, err
	}
	for _, u := range uses {
		if skip[filepath.Base(u.file)] {
			continue
		}
		msg := u.name + " is no longer generated"
		if to := changes.RenamedTo(u.name); to != "" {
			msg += ": it is now " + to
		}
		out = append(out, goBreak{pos: u.pos, msg: msg})
	}
	return out, nil
}

// goBreakError refuses a generation that would leave the user's code not
// compiling, naming each place. force says whether --force would write
// anyway.
func goBreakError(breaks []goBreak, force bool) error {
	var b strings.Builder
	b.WriteString("your Go code would no longer compile with the generated files:\n")
	uses, collisions := false, false
	for _, br := range breaks {
		fmt.Fprintf(&b, "  %s\n", br)
		uses = uses || !br.collision
		collisions = collisions || br.collision
	}
	var fix []string
	if uses {
		fix = append(fix, "change or remove those uses (a renamed identifier says its new name)")
	}
	if collisions {
		fix = append(fix, "rename your declarations (the generated names come from the schema's property names, titles and $defs, and from the error codes)")
	}
	fmt.Fprintf(&b, "To proceed, %s, then run the command again", strings.Join(fix, ", and "))
	if force {
		b.WriteString("; or run it with --force to write anyway, and fix your code afterwards")
	}
	b.WriteString(". Nothing was written.")
	return errors.New(b.String())
}

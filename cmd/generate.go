package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/diff"
	"github.com/direktiv-fn/direktiv-fn/generator/gocheck"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
	"github.com/direktiv-fn/direktiv-fn/generator/plan"
	"github.com/direktiv-fn/direktiv-fn/generator/write"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// The flags of the commands that regenerate an existing repository.
const (
	flagDryRun      = "dry-run"
	flagDiff        = "diff"
	flagCheck       = "check"
	flagRestore     = "restore"
	flagDescription = "description"
)

// regenFlags holds the flags shared by generate, add-error and remove-error.
type regenFlags struct {
	dir                    string
	dryRun, diff, check    bool
	force, restore         bool
	withCheck, withRestore bool // whether the command offers --check and --restore
	// edits is true for the commands that edit the manifest (add-error,
	// remove-error): their previews speak of an edit not made.
	edits bool
}

// addRegenFlags registers the shared flags.
func addRegenFlags(c *cobra.Command, f *regenFlags) {
	fl := c.Flags()
	addDirFlag(fl, &f.dir)
	fl.BoolVar(&f.dryRun, flagDryRun, false, "list each file as create, update, delete, unchanged or skip; write nothing")
	fl.BoolVar(&f.diff, flagDiff, false, "print a unified diff of what would change; write nothing")
	if f.withCheck {
		fl.BoolVar(&f.check, flagCheck, false, "write nothing; exit 1 if anything would change (for CI)")
	}
	fl.BoolVar(&f.force, flagForce, false, "overwrite (or delete, when no longer generated) generated files edited by hand, and recreate missing files of yours")
	if f.withRestore {
		fl.BoolVar(&f.restore, flagRestore, false, "recreate files of yours (handler.go, README.md, ...) that were deleted")
	}
	c.RegisterFlagCompletionFunc(flagDir, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
}

// addDirFlag registers --dir for the commands that work on a repository.
func addDirFlag(fl *pflag.FlagSet, dir *string) {
	fl.StringVar(dir, flagDir, "", "the function repository's `folder` (default: the current folder or the nearest parent holding "+config.ManifestFile+") [$"+envDir+"]")
}

// lockWait is how long a command waits for another one that holds the
// repository's lock before it gives up.
var lockWait = 5 * time.Second

// preview reports whether the flags ask to write nothing.
func (f *regenFlags) preview() bool { return f.dryRun || f.diff || f.check }

func (a *app) generateCmd() *cobra.Command {
	f := &regenFlags{withCheck: true, withRestore: true}
	c := &cobra.Command{
		Use:   "generate",
		Short: "Regenerate the generated files after editing the schema or the manifest",
		Long: `Regenerate the function repository's generated files from its input schema and
its manifest (` + config.ManifestFile + `), after you edited either. It prints what changed:
the files, and in words the input fields added, removed or retyped, the
error codes added, removed or renamed (a new id renames them all), and the
generated Go types and constants renamed, removed or added. Run it twice and
the second run writes nothing.

Before writing, generate type-checks your Go files with the new generated
files in place of the old ones. An edit that breaks them (a property renamed,
removed or retyped, a title renaming a type, an enum value or an error code
removed, a generated name that your code declares too) is refused, naming
each place that would no longer compile and what caused it; --force writes
anyway and prints the same lines as warnings.

Files of yours (handler.go, handler_test.go, Dockerfile, README.md, go.mod, the
schema) are never rewritten; only the marked sections of README.md (its input
and error tables) are refreshed. A deleted file of yours is recreated only with
--restore or --force.

A generated file that was edited by hand since the last generation is not
overwritten: generate stops, shows the edit as a diff and writes nothing. Move
the change into a file of yours (or into the schema or manifest), or overwrite
it with --force.

A generated file that is no longer generated (after a change of mode: the old
mode's server.gen.go or isolated.gen.go, and their tests) is deleted, as long
as it is what the last generation wrote. Edited by hand since, it is kept and
reported at every run: delete it yourself, or let --force delete it.

Every file is written to a temporary name first and renamed into place once all
are written, and files to delete are removed only then: on any failure the
repository is left exactly as it was.

The repository's own tests (generate.gen_test.go) fail when the schema or the
manifest changed since the last generation, and generate.gen.go carries a
//go:generate line, so "go generate ./..." regenerates too.

` + exitCodesHelp,
		Example: `  # After editing input.schema.json:
  direktiv-fn generate

  # See what would change, without writing:
  direktiv-fn generate --dry-run
  direktiv-fn generate --diff

  # In CI: fail when the generated files are out of date:
  direktiv-fn generate --check`,
		Args: noArgs,
		RunE: a.runE(func(c *cobra.Command, _ []string) error {
			return a.regenerate(c, f, nil)
		}),
	}
	addRegenFlags(c, f)
	c.ValidArgsFunction = cobra.NoFileCompletions
	return c
}

// project is a function repository found on disk.
type project struct {
	// dir is the repository's folder, as the user should read it.
	dir string
	// manifest is the manifest read from dir.
	manifest *manifest.Manifest
	// data is the manifest's content as read, so that the write can tell
	// whether another run changed it meanwhile.
	data []byte
}

// findProject returns the folder holding the manifest: dir itself when it
// is given, else the current folder or its nearest parent holding one.
func findProject(dir string) (string, error) {
	if dir != "" {
		if _, err := os.Stat(filepath.Join(dir, config.ManifestFile)); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("%s has no %s: it is not a function repository made by direktiv-fn (create one with \"direktiv-fn new\")", dir, config.ManifestFile)
			}
			return "", err
		}
		return dir, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	rel := "."
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, config.ManifestFile)); err == nil {
			return rel, nil
		}
		if filepath.Dir(d) == d {
			break
		}
		if rel == "." {
			rel = ".."
		} else {
			rel = filepath.Join(rel, "..")
		}
	}
	return "", fmt.Errorf("no %s in the current folder or its parents: run this inside a function repository made by \"direktiv-fn new\", or give --dir", config.ManifestFile)
}

// loadProject finds the repository and reads its manifest.
func loadProject(dir string) (*project, error) {
	dir, err := findProject(dir)
	if err != nil {
		return nil, err
	}
	name := filepath.Join(dir, config.ManifestFile)
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("cannot read the manifest: %w", err)
	}
	m, err := generator.LoadManifest(name, data)
	if err != nil {
		return nil, fmt.Errorf("the manifest cannot be used:\n%w", err)
	}
	return &project{dir: dir, manifest: m, data: data}, nil
}

// regenerate is the body of generate, add-error and remove-error: load the
// repository, apply edit to its manifest, regenerate, and preview or write.
func (a *app) regenerate(c *cobra.Command, f *regenFlags, edit func(p *project) error) error {
	dir, err := findProject(f.dir)
	if err != nil {
		return err
	}
	// One command at a time: two interleaved runs would each undo the
	// other's writes. Everything is read under the lock, once.
	unlock, err := write.Lock(c.Context(), dir, lockWait)
	if err != nil {
		return err
	}
	defer unlock()
	p, err := loadProject(dir)
	if err != nil {
		return err
	}
	m := p.manifest
	if edit != nil {
		if err := edit(p); err != nil {
			return err
		}
	}
	schemaName := filepath.Join(p.dir, filepath.FromSlash(m.Schema))
	data, err := os.ReadFile(schemaName)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: the input schema %s does not exist: restore it, or name the function's input schema file under \"schema:\"", m.Position("schema"), schemaName)
	}
	if err != nil {
		return fmt.Errorf("%s: cannot read the input schema: %w", m.Position("schema"), err)
	}
	ctx := c.Context()
	doc, err := interruptible(ctx, func(ctx context.Context) (*schema.Document, error) { return schema.ParseContext(ctx, schemaName, data) })
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		return schemaError(schemaName, err)
	}
	cfg := m.Config()
	cfg.SchemaData, cfg.Schema, cfg.Version = data, doc, a.version
	if err := loadOutputSchema(ctx, p.dir, m, &cfg); err != nil {
		return err
	}
	r, err := interruptible(ctx, func(ctx context.Context) (*generator.Rendering, error) { return generator.RenderContext(ctx, cfg, m) })
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("cannot generate the function: %w", err)
	}
	printFormatWarnings(a.stderr, doc, cfg.AnnotateFormats)
	snap, err := readSnapshot(p.dir, plan.Paths(m, r.Files))
	if err != nil {
		return err
	}
	u, err := plan.Make(m, r, snap.files, plan.Options{Force: f.force, Restore: f.restore})
	if err != nil {
		return err
	}
	if err := c.Context().Err(); err != nil {
		return err
	}
	checked, err := goBreaks(c.Context(), snap, gocheck.Change{Dir: p.dir, Module: m.Module, Go: u.Changes.Go}, u.Files, u.Delete)
	if err != nil {
		return err
	}
	if checked.Partial != "" {
		u.Notes = append(u.Notes, "some imports could not be loaded, so code that uses them was not type-checked: "+checked.Partial)
	}
	out := c.OutOrStdout()
	if f.preview() {
		for _, b := range checked.Breaks {
			u.Notes = append(u.Notes, b.String()+" (the command refuses to write this without --force)")
		}
		return a.preview(out, p, f, u)
	}
	if err := u.Err(); err != nil {
		return handEditError(err, u)
	}
	if len(checked.Breaks) > 0 && !f.force {
		return goBreakError(checked, true)
	}
	report, err := write.Write(p.dir, writeFiles(u.Files), write.Options{Delete: u.Delete, Last: config.ManifestFile, Manifest: p.data})
	if err != nil {
		return err
	}
	printRegenerated(out, p, u, report)
	for _, b := range checked.Breaks {
		fmt.Fprintf(out, "Warning: %s (written anyway: --force)\n", b)
	}
	return nil
}

// handEditError explains a refusal to overwrite hand edits, with each edit
// as a diff.
func handEditError(err error, u *plan.Plan) error {
	var b strings.Builder
	b.WriteString(err.Error())
	b.WriteString(".\nThe edit, as a diff from the file on disk to what generate would write:\n")
	for _, h := range u.HandEdited {
		if !h.Recorded {
			fmt.Fprintf(&b, "(%s is not recorded in %s as generated: a file of that name is in the way)\n", h.Path, config.ManifestFile)
		}
		b.WriteString(diff.Unified(h.Path+" (on disk)", h.Path+" (generated)", h.Disk, h.New))
	}
	fmt.Fprintf(&b, "To keep the edit, move it where direktiv-fn does not write: handler.go or another file of yours, or\n")
	fmt.Fprintf(&b, "the schema or %s that the generated files come from; then run the command again.\n", config.ManifestFile)
	fmt.Fprintf(&b, "To drop the edit, run the command again with --force. Nothing was written.")
	return errors.New(b.String())
}

// verb returns how previews name an action.
func verb(c write.Change) string {
	switch c.Action {
	case write.Created:
		return "create"
	case write.Updated:
		return "update"
	case write.Unchanged:
		return "unchanged"
	case write.Deleted:
		return "delete"
	}
	return "skip"
}

// preview prints what a regeneration would do (--dry-run, --diff) and, for
// --check, fails when anything would change. It writes nothing.
func (a *app) preview(out io.Writer, p *project, f *regenFlags, u *plan.Plan) error {
	report, err := write.Plan(p.dir, writeFiles(u.Files), write.Options{Delete: u.Delete, Last: config.ManifestFile})
	if err != nil {
		return err
	}
	if f.dryRun {
		printDryRun(out, p, u, report, f.edits)
	}
	if f.diff {
		printDiff(out, p, u, report)
	}
	if f.check {
		if err := checkUpToDate(p, u, report); err != nil {
			return err
		}
		if !f.dryRun && !f.diff {
			fmt.Fprintf(out, "%s is up to date.\n", p.dir)
		}
	}
	return nil
}

// printDryRun prints, for --dry-run, the changes in words and then one line
// per file: what a regeneration would do to it, and why where it helps.
// would says whether the command's edit was not made: the changes are then
// said in the conditional, and the list ends with "Nothing was written.".
func printDryRun(out io.Writer, p *project, u *plan.Plan, report *write.Report, would bool) {
	stale := map[string]bool{}
	for _, s := range u.Stale {
		stale[s] = true
	}
	handEdited := map[string]bool{}
	for _, h := range u.HandEdited {
		handEdited[h.Path] = true
	}
	printChanges(out, p, u, would)
	type line struct{ verb, path, why string }
	var lines []line
	for _, c := range report.Changes {
		l := line{verb(c), c.Path, ""}
		switch {
		case c.Action == write.Kept:
			l.why = "yours"
		case c.Action == write.Deleted && stale[c.Path]:
			l.why = "no longer generated, edited by hand; --force deletes it"
		case c.Action == write.Deleted:
			l.why = "no longer generated"
		case isRegions(u.Files, c.Path):
			l.why = "its marked sections"
		case u.Forced && handEdited[c.Path]:
			l.why = "edited by hand; --force overwrites it"
		}
		lines = append(lines, l)
	}
	for _, s := range u.Skipped {
		lines = append(lines, line{"skip", s, "yours, missing; --restore recreates it"})
	}
	if !u.Forced {
		for _, h := range u.HandEdited {
			lines = append(lines, line{"refuse", h.Path, "edited by hand; --force overwrites it"})
		}
		for _, s := range u.Stale {
			lines = append(lines, line{"keep", s, staleWhy})
		}
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].path < lines[j].path })
	for _, l := range lines {
		if l.why != "" {
			fmt.Fprintf(out, "%-9s  %s (%s)\n", l.verb, l.path, l.why)
		} else {
			fmt.Fprintf(out, "%-9s  %s\n", l.verb, l.path)
		}
	}
	printNotes(out, u)
	if would {
		fmt.Fprintf(out, "Nothing was written.\n")
	}
}

// printDiff prints, for --diff, a unified diff of every file a
// regeneration would write or delete, and of each hand-edited file it
// refuses to overwrite.
func printDiff(out io.Writer, p *project, u *plan.Plan, report *write.Report) {
	for _, c := range report.Changes {
		if c.Action.Modifies() {
			fmt.Fprint(out, diff.Unified(diffName("a", p.dir, c.Path, c.Old != nil), diffName("b", p.dir, c.Path, c.Action != write.Deleted), c.Old, c.New))
		}
	}
	if u.Forced {
		return
	}
	for _, s := range u.Stale {
		fmt.Fprintf(out, "# %s is no longer generated, but was edited by hand: generate keeps it; --force deletes it\n", s)
	}
	for _, h := range u.HandEdited {
		fmt.Fprintf(out, "# %s was edited by hand: generate refuses to overwrite it without --force\n", h.Path)
		fmt.Fprint(out, diff.Unified(diffName("a", p.dir, h.Path, true), diffName("b", p.dir, h.Path, true), h.Disk, h.New))
	}
}

// checkUpToDate returns, for --check, an error naming every file a
// regeneration would change, and every generated file edited by hand (which
// generate would refuse to overwrite); nil when there is none.
func checkUpToDate(p *project, u *plan.Plan, report *write.Report) error {
	var changed, edited []string
	handEdited := map[string]bool{}
	if !u.Forced {
		for _, h := range u.HandEdited {
			edited = append(edited, h.Path)
			handEdited[h.Path] = true
		}
	}
	for _, c := range report.Changes {
		if c.Action.Modifies() && !handEdited[c.Path] {
			changed = append(changed, c.Path)
		}
	}
	if len(changed)+len(edited) == 0 {
		return nil
	}
	sort.Strings(changed)
	sort.Strings(edited)
	var parts []string
	if len(changed) > 0 {
		parts = append(parts, fmt.Sprintf("%s would change (%s)", count(len(changed), "file"), strings.Join(changed, ", ")))
	}
	if len(edited) > 0 {
		verb := "was"
		if len(edited) > 1 {
			verb = "were"
		}
		parts = append(parts, fmt.Sprintf("%s (%s) %s edited by hand since the last generation", count(len(edited), "generated file"), strings.Join(edited, ", "), verb))
	}
	fix := "run \"direktiv-fn generate\""
	if len(edited) > 0 {
		fix = "generate would refuse to overwrite the hand edits: move them into a file of yours (or into the schema or " + config.ManifestFile + "), or drop them with \"direktiv-fn generate --force\""
	}
	return fmt.Errorf("%s is out of date: %s: %s", p.dir, strings.Join(parts, "; "), fix)
}

// count returns "1 file" or "2 files".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// diffName names a side of a diff as git does ("a/path"), or /dev/null for
// a file that does not exist.
func diffName(side, dir, p string, exists bool) string {
	if !exists {
		return "/dev/null"
	}
	return side + "/" + filepath.ToSlash(filepath.Join(dir, p))
}

// printChanges says in words what changed since the last generation, or,
// when would, what the command would change.
func printChanges(out io.Writer, p *project, u *plan.Plan, would bool) {
	if p.manifest.Migrated() {
		fmt.Fprintf(out, "%s: migrated from version %d to %d.\n", config.ManifestFile, p.manifest.ReadVersion, manifest.Version)
	}
	if !u.Changes.Known && p.manifest.Last != nil && !p.manifest.Last.HasInput {
		fmt.Fprintf(out, "The manifest has no record of the last generation's input: the changes to it are not listed.\n")
	}
	lines := u.Changes.Lines()
	if would {
		lines = u.Changes.Conditional()
	}
	for _, l := range lines {
		fmt.Fprintf(out, "%s\n", l)
	}
}

// printNotes prints what the plan left alone and why.
func printNotes(out io.Writer, u *plan.Plan) {
	for _, n := range u.Notes {
		fmt.Fprintf(out, "Note: %s\n", n)
	}
}

// staleWhy says why a stale generated file is kept, and how to proceed.
const staleWhy = "no longer generated, but edited by hand: delete it, or run again with --force to delete it"

// printRegenerated reports a regeneration that was written.
func printRegenerated(out io.Writer, p *project, u *plan.Plan, r *write.Report) {
	m := p.manifest
	printChanges(out, p, u, false)
	written, deleted := 0, 0
	for _, c := range r.Changes {
		if !c.Action.Modifies() {
			continue
		}
		why := ""
		switch {
		case c.Action == write.Deleted && u.Forced && slices.Contains(u.Stale, c.Path):
			why = " (no longer generated; its hand edit discarded: --force)"
		case c.Action == write.Deleted:
			why = " (no longer generated)"
		case isRegions(u.Files, c.Path):
			why = " (its marked sections)"
		case isHandEdited(u, c.Path):
			why = " (its hand edit overwritten: --force)"
		}
		if c.Action == write.Deleted {
			deleted++
		} else {
			written++
		}
		fmt.Fprintf(out, "  %-7s  %s%s\n", c.Action, c.Path, why)
	}
	for _, s := range u.Skipped {
		fmt.Fprintf(out, "  %-7s  %s (yours, missing: --restore recreates it)\n", "skipped", s)
	}
	if !u.Forced {
		for _, s := range u.Stale {
			fmt.Fprintf(out, "  %-7s  %s (%s)\n", "kept", s, staleWhy)
		}
	}
	printNotes(out, u)
	if written+deleted == 0 {
		fmt.Fprintf(out, "%s is up to date (function %q, %s): nothing was written.\n", p.dir, m.ID, m.Mode)
		return
	}
	noun := "files"
	if written == 1 {
		noun = "file"
	}
	gone := ""
	if deleted > 0 {
		gone = fmt.Sprintf(", %d deleted", deleted)
	}
	fmt.Fprintf(out, "Regenerated %s (function %q, %s): %d %s written%s, %d unchanged.\n", p.dir, m.ID, m.Mode, written, noun, gone, r.Count(write.Unchanged)+r.Count(write.Kept))
}

func isHandEdited(u *plan.Plan, path string) bool {
	for _, h := range u.HandEdited {
		if h.Path == path {
			return true
		}
	}
	return false
}

// writeFiles returns files as the writer takes them: a file of the user's
// (scaffold-once) is kept when it exists; the others are written over.
func writeFiles(files []config.File) []write.File {
	out := make([]write.File, len(files))
	for i, f := range files {
		out[i] = write.File{Path: f.Path, Content: f.Content, Keep: f.Policy == config.ScaffoldOnce}
	}
	return out
}

// isRegions reports whether the file at path is a file of the user's
// whose marked sections are refreshed.
func isRegions(files []config.File, path string) bool {
	for _, f := range files {
		if f.Path == path {
			return f.Policy == config.Regions
		}
	}
	return false
}

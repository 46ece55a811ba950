// Package plan decides what a command does to a function repository: from the
// previous manifest, the rendered files and one snapshot of the folder, which
// files to create, update, delete or keep, the hand edits and stale files,
// the changes in words and in the generated Go declarations. It writes
// nothing: generator/write carries a plan out.
package plan

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
)

// Existing holds what is on disk, read before a generation: the content of
// each file the generation produces or last produced, by path. A file that
// is missing on disk is absent from the map.
type Existing map[string][]byte

// Options tunes Make.
type Options struct {
	// Force overwrites generated files edited by hand, deletes stale ones,
	// and recreates missing user-owned files.
	Force bool
	// Restore recreates missing user-owned files.
	Restore bool
	// Replace plans "direktiv-fn new --force" over a folder: generated
	// files are written over whatever is on disk (not reported as hand
	// edits), missing user-owned files are created, and stale generated
	// files edited by hand are kept and recorded, since there is no
	// stronger force to delete them.
	Replace bool
}

// Plan is what a command does to a repository.
type Plan struct {
	// Files are the files to hand to the writer: the generated files (but
	// those edited by hand, unless forced), the user-owned files as rendered
	// (the writer keeps those that exist) or with their regions refreshed,
	// and the updated manifest. Missing user-owned files are left out
	// unless restored.
	Files []config.File
	// HandEdited are the generated files that were changed on disk since
	// the last generation and would change again.
	HandEdited []HandEdit
	// Skipped are user-owned files that are missing and not recreated.
	Skipped []string
	// Delete are the stale generated files to hand to the writer for
	// removal: files the last generation wrote that are no longer
	// generated (the old mode's glue after a change of mode) and whose
	// content on disk is still what the manifest recorded, and, when
	// forced, the Stale ones too. Sorted.
	Delete []string
	// Stale are the stale generated files that were edited by hand since
	// they were written. Unless forced, they are left on disk, and the
	// manifest keeps their record, so that the next generation reports
	// them again and --force can still delete them. Sorted.
	Stale []string
	// Notes explain what was left alone, e.g. a README without markers.
	Notes []string
	// Changes say in words what changed since the last generation.
	Changes Changes
	// Forced is true when HandEdited files are in Files, overwritten, and
	// Stale files are in Delete.
	Forced bool
}

// HandEdit is a generated file that differs on disk from what the last
// generation wrote.
type HandEdit struct {
	// Path is the file's path.
	Path string
	// Recorded is false when the manifest has no digest for the file: a
	// file of that name was in the way.
	Recorded bool
	// Disk and New are the file's content on disk and as generated now.
	Disk, New []byte
}

// HandEditError refuses to overwrite generated files edited by hand.
type HandEditError struct {
	// Edits are the files, sorted by path.
	Edits []HandEdit
}

// Error names the hand-edited files and how to proceed.
func (e *HandEditError) Error() string {
	var paths []string
	for _, h := range e.Edits {
		paths = append(paths, h.Path)
	}
	noun, verb := "file", "was"
	if len(paths) > 1 {
		noun, verb = "files", "were"
	}
	return fmt.Sprintf("generated %s %s %s edited by hand since the last generation: refusing to overwrite", noun, strings.Join(paths, ", "), verb)
}

// Err returns a *HandEditError when generated files were edited by hand and
// the update is not forced.
func (u *Plan) Err() error {
	if len(u.HandEdited) == 0 || u.Forced {
		return nil
	}
	return &HandEditError{Edits: u.HandEdited}
}

// Make decides what a command does to a repository: new, new --force
// (opts.Replace), generate, add-error and remove-error all go through it. Its
// inputs are prev, the manifest on disk (nil when there is none), r, the
// repository rendered once for cfg, and existing, one snapshot of the disk:
// the content of every path Paths names. It reads and writes nothing.
//
//   - a generated file is written, unless it differs on disk both from
//     what prev says the last generation wrote and from the new content:
//     that is a hand edit, reported and left out unless forced (with
//     Replace, it is written over);
//   - a user-owned file is never rewritten, except the marked regions of a
//     file that has them (the README's tables), when prev is a function;
//     a missing one is recreated only with Restore, Force or Replace, or
//     when there is no function yet;
//   - a generated file the last generation wrote and this one does not (see
//     StaleFiles) is deleted when its content is still what prev recorded;
//     edited by hand since, it is reported and kept, unless forced;
//   - the manifest is written as r rendered it; when stale files are kept,
//     its record (and the stamp) is rendered again to keep theirs.
func Make(prev *manifest.Manifest, r *generator.Rendering, existing Existing, opts Options) (*Plan, error) {
	cfg, files := r.Config, r.Files
	u := &Plan{Forced: opts.Force && !opts.Replace}
	var recorded map[string]string
	if prev != nil && prev.Last != nil {
		recorded = prev.Last.Files
	}
	u.Delete, u.Stale = StaleFiles(prev, cfg, files, existing)
	if u.Forced {
		u.Delete = mergeSorted(u.Delete, u.Stale)
	} else if len(u.Stale) > 0 {
		var err error
		if files, err = r.WithCarry(carry(recorded, u.Stale)); err != nil {
			return nil, err
		}
	}
	create := prev == nil || opts.Restore || opts.Force || opts.Replace
	for _, f := range files {
		disk, onDisk := existing[f.Path]
		switch {
		case f.Path == config.ManifestFile:
		case f.Policy == config.Generated:
			// A checkout that turned "\n" into "\r\n" (git's autocrlf)
			// changed no line: it is not a hand edit.
			lf := bytes.ReplaceAll(disk, []byte("\r\n"), []byte("\n"))
			if !onDisk || bytes.Equal(lf, f.Content) || generator.IsStamp(f.Path) || opts.Replace || prev == nil {
				break
			}
			if h, ok := recorded[f.Path]; ok && h == manifest.Hash(lf) {
				break
			}
			_, ok := recorded[f.Path]
			u.HandEdited = append(u.HandEdited, HandEdit{Path: f.Path, Recorded: ok, Disk: disk, New: f.Content})
			if !opts.Force {
				continue
			}
		case !onDisk:
			if !create {
				u.Skipped = append(u.Skipped, f.Path)
				continue
			}
		case prev != nil:
			var notes []string
			var err error
			if f, notes, err = refreshRegions(f, disk); err != nil {
				return nil, err
			}
			u.Notes = append(u.Notes, notes...)
		}
		u.Files = append(u.Files, f)
	}
	if prev == nil {
		// No earlier generation: there are no changes to tell, and parsing
		// the generated Go to tell them would be most of the planning.
		return u, nil
	}
	u.Changes = diffRecords(cfg.ID, prev.Last, &manifest.Record{Input: manifest.InputFields(cfg.Schema), Errors: recordErrorNames(cfg.Errors), HasInput: true})
	next := fileContents(files)
	kept := map[string][]byte{}
	if !u.Forced {
		for _, p := range u.Stale {
			kept[p] = existing[p]
		}
	}
	if !sameGeneratedGo(existing, next, kept) {
		u.Changes.Go = diffGo(generatedGo(existing), append(generatedGo(next), generatedGo(kept)...))
	}
	return u, nil
}

// sameGeneratedGo reports whether the generated Go files on disk (in
// existing) are, path for path and byte for byte, those that stay after the
// generation: the ones of next and kept. Then no identifier changed, and
// none of them needs parsing.
func sameGeneratedGo(existing Existing, next, kept map[string][]byte) bool {
	n := 0
	for _, files := range []map[string][]byte{next, kept} {
		for p, src := range files {
			if !isGeneratedGo(p, src) {
				continue
			}
			n++
			if disk, ok := existing[p]; !ok || !bytes.Equal(disk, src) {
				return false
			}
		}
	}
	for p, src := range existing {
		if isGeneratedGo(p, src) {
			n--
		}
	}
	return n == 0
}

// StaleFiles returns the generated files m records as written by the last
// generation that files no longer include and that are on disk (in
// existing), sorted, in two groups: unmodified, whose content still has the
// recorded digest, so that deleting them loses nothing; and edited, changed
// on disk since. A file of the user's (a scaffold-once file of any mode, the
// schema, the manifest) is in neither, whatever the manifest says.
func StaleFiles(m *manifest.Manifest, cfg config.Config, files []config.File, existing Existing) (unmodified, edited []string) {
	if m == nil || m.Last == nil {
		return nil, nil
	}
	produced := make(map[string]bool, len(files))
	for _, f := range files {
		produced[f.Path] = true
	}
	for p, h := range m.Last.Files {
		disk, onDisk := existing[p]
		if produced[p] || !onDisk || generator.UserOwned(p, cfg) {
			continue
		}
		if manifest.Hash(disk) == h {
			unmodified = append(unmodified, p)
		} else {
			edited = append(edited, p)
		}
	}
	sort.Strings(unmodified)
	sort.Strings(edited)
	return unmodified, edited
}

// carry returns the digests recorded for paths.
func carry(recorded map[string]string, paths []string) map[string]string {
	out := make(map[string]string, len(paths))
	for _, p := range paths {
		out[p] = recorded[p]
	}
	return out
}

// mergeSorted returns the sorted union of two sorted, disjoint lists.
func mergeSorted(a, b []string) []string {
	out := append(append([]string(nil), a...), b...)
	sort.Strings(out)
	return out
}

// recordErrorNames returns the names of the error codes, in order.
func recordErrorNames(codes []config.ErrorCode) []string {
	var out []string
	for _, c := range codes {
		out = append(out, c.Name)
	}
	return out
}

// Paths returns the paths Make needs in Existing for files and m (nil
// when there is no manifest): every file generated now or recorded by the
// last generation.
func Paths(m *manifest.Manifest, files []config.File) []string {
	set := map[string]bool{}
	for _, f := range files {
		set[f.Path] = true
	}
	if m != nil && m.Last != nil {
		for p := range m.Last.Files {
			set[p] = true
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// refreshRegions returns a file of the user's that exists on disk (disk)
// with its marked regions replaced by the freshly rendered ones of f, as a
// Regions file; f itself when it has no regions or the disk copy already
// says the same. Problems with the disk copy's markers become notes.
func refreshRegions(f config.File, disk []byte) (config.File, []string, error) {
	regions, err := FindRegions(f.Content)
	if err != nil {
		return f, nil, fmt.Errorf("internal error: %s: %w", f.Path, err)
	}
	if len(regions) == 0 {
		return f, nil, nil
	}
	merged, missing, err := ReplaceRegions(disk, f.Content)
	if err != nil {
		return f, []string{fmt.Sprintf("%s: %v: its generated sections were left alone", f.Path, err)}, nil
	}
	var notes []string
	for _, name := range missing {
		notes = append(notes, fmt.Sprintf("%s has no %q section (the lines direktiv-fn:%s:begin and direktiv-fn:%s:end): it was left alone", f.Path, name, name, name))
	}
	if !bytes.Equal(merged, disk) {
		f = config.File{Path: f.Path, Content: merged, Policy: config.Regions}
	}
	return f, notes, nil
}

// fileContents returns the generated files among files, by path.
func fileContents(files []config.File) map[string][]byte {
	m := map[string][]byte{}
	for _, f := range files {
		if f.Policy == config.Generated {
			m[f.Path] = f.Content
		}
	}
	return m
}

package generator

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// Existing holds what is on disk, read before a generation: the content of
// each file the generation produces or last produced, by path. A file that
// is missing on disk is absent from the map.
type Existing map[string][]byte

// UpdateOptions tunes PlanUpdate.
type UpdateOptions struct {
	// Force overwrites generated files edited by hand, and recreates
	// missing user-owned files.
	Force bool
	// Restore recreates missing user-owned files.
	Restore bool
}

// Update is what a regeneration of an existing repository does.
type Update struct {
	// Files are the files to hand to the writer: the generated files (but
	// those edited by hand, unless forced), the user-owned files as rendered
	// (the writer keeps those that exist) or with their regions refreshed,
	// and the updated manifest. Missing user-owned files are left out
	// unless restored.
	Files []File
	// HandEdited are the generated files that were changed on disk since
	// the last generation and would change again.
	HandEdited []HandEdit
	// Skipped are user-owned files that are missing and not recreated.
	Skipped []string
	// Stale are files the last generation wrote that are no longer
	// generated. They are left on disk.
	Stale []string
	// Notes explain what was left alone, e.g. a README without markers.
	Notes []string
	// Changes say in words what changed since the last generation.
	Changes Changes
	// Forced is true when HandEdited files are in Files, overwritten.
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
func (u *Update) Err() error {
	if len(u.HandEdited) == 0 || u.Forced {
		return nil
	}
	return &HandEditError{Edits: u.HandEdited}
}

// PlanUpdate decides what a regeneration does with files (from Regenerate
// for m and cfg) in a repository whose files are existing:
//
//   - a generated file is rewritten, unless it differs on disk both from
//     what the manifest says the last generation wrote and from the new
//     content: that is a hand edit, reported and left out unless forced;
//   - a user-owned file is never rewritten, except the marked regions of a
//     file that has them (the README's tables); a missing one is recreated
//     only with Restore or Force;
//   - the manifest is written as Regenerate updated it.
func PlanUpdate(m *Manifest, cfg Config, files []File, existing Existing, opts UpdateOptions) (*Update, error) {
	u := &Update{Forced: opts.Force}
	var recorded map[string]string
	if m.Last != nil {
		recorded = m.Last.Files
	}
	produced := map[string]bool{}
	for _, f := range files {
		produced[f.Path] = true
		disk, onDisk := existing[f.Path]
		switch {
		case f.Path == ManifestFile:
		case f.Policy == Generated:
			if !onDisk || bytes.Equal(disk, f.Content) || isStamp(f.Path) {
				break
			}
			if h, ok := recorded[f.Path]; ok && h == Hash(disk) {
				break
			}
			_, ok := recorded[f.Path]
			u.HandEdited = append(u.HandEdited, HandEdit{Path: f.Path, Recorded: ok, Disk: disk, New: f.Content})
			if !opts.Force {
				continue
			}
		case !onDisk:
			if !opts.Restore && !opts.Force {
				u.Skipped = append(u.Skipped, f.Path)
				continue
			}
		default:
			regions, err := FindRegions(f.Content)
			if err != nil {
				return nil, fmt.Errorf("internal error: %s: %w", f.Path, err)
			}
			if len(regions) == 0 {
				break
			}
			merged, missing, err := ReplaceRegions(disk, f.Content)
			if err != nil {
				u.Notes = append(u.Notes, fmt.Sprintf("%s: %v: its generated sections were left alone", f.Path, err))
				break
			}
			for _, name := range missing {
				u.Notes = append(u.Notes, fmt.Sprintf("%s has no %q section (the lines direktiv-fn:%s:begin and direktiv-fn:%s:end): it was left alone", f.Path, name, name, name))
			}
			if !bytes.Equal(merged, disk) {
				f = File{Path: f.Path, Content: merged, Policy: Regions}
			}
		}
		u.Files = append(u.Files, f)
	}
	for p := range recorded {
		if !produced[p] {
			if _, onDisk := existing[p]; onDisk {
				u.Stale = append(u.Stale, p)
			}
		}
	}
	sort.Strings(u.Stale)
	u.Changes = diffRecords(cfg.ID, m.Last, &Record{Input: InputFields(cfg.Schema), Errors: recordErrorNames(cfg.Errors), HasInput: true})
	return u, nil
}

func recordErrorNames(codes []ErrorCode) []string {
	var out []string
	for _, c := range codes {
		out = append(out, c.Name)
	}
	return out
}

// Paths returns the paths PlanUpdate needs in Existing for files and m:
// every file generated now or recorded by the last generation.
func Paths(m *Manifest, files []File) []string {
	set := map[string]bool{}
	for _, f := range files {
		set[f.Path] = true
	}
	if m.Last != nil {
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

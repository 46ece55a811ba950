// Package write puts a generated file set on disk. It is the only code in
// direktiv-fn that touches the target folder.
//
// Write never leaves a half-written project. A new project (the folder is
// missing or empty) is staged in full in a temporary folder on the same file
// system and moved into place; a failure removes the staging folder. An
// update of an existing project checks every path first, writes each changed
// file to a temporary name next to it, moves each file to delete aside to a
// temporary name, and renames the temporary files into place only once all
// of them are written; the files moved aside are removed last. A failure
// removes the temporary files, undoes the renames and moves the files set
// aside back.
//
// Plan computes the same Report as Write without writing anything, so that
// dry runs, diffs and checks see exactly what Write would do.
package write

import (
	"fmt"
	"io/fs"
	"time"
)

// File is a file to put on disk.
type File struct {
	// Path is slash-separated and relative to the target folder.
	Path string
	// Content is the file's full content.
	Content []byte
	// Keep marks a file of the user's: written when missing, kept (and
	// reported as Kept) when it exists with other content, unless
	// Options.Force. Other files are written over.
	Keep bool
}

// Action is what Write does, or would do, to one file.
type Action int

const (
	// Created means the file did not exist and is written.
	Created Action = iota
	// Updated means the file existed with other content and is rewritten.
	Updated
	// Unchanged means the file exists with the same content: it is not
	// written and its modification time is left alone.
	Unchanged
	// Kept means a scaffold-once file exists with other content and is left
	// as it is because Options.Force is not set.
	Kept
	// Deleted means the file, named in Options.Delete, existed and is
	// removed.
	Deleted
)

// String returns the action's name as printed in reports.
func (a Action) String() string {
	switch a {
	case Created:
		return "created"
	case Updated:
		return "updated"
	case Unchanged:
		return "unchanged"
	case Kept:
		return "kept"
	case Deleted:
		return "deleted"
	}
	return fmt.Sprintf("Action(%d)", int(a))
}

// Writes reports whether the action writes the file's new content.
func (a Action) Writes() bool { return a == Created || a == Updated }

// Modifies reports whether the action changes the target folder: the file
// is written or deleted.
func (a Action) Modifies() bool { return a.Writes() || a == Deleted }

// Change is the fate of one file.
type Change struct {
	// Path is the file's slash-separated path relative to the target folder.
	Path string
	// Keep is the File's Keep: a file of the user's, kept when it exists.
	Keep bool
	// Action is what Write does, or did, to the file.
	Action Action
	// Old is the file's content on disk before the write; nil when the file
	// did not exist. It lets a caller show a diff.
	Old []byte
	// New is the generated content; nil for a deleted file.
	New []byte

	// mode is the permission a written file gets: filePerm for a new file,
	// the old file's for an updated one.
	mode fs.FileMode
	// modTime is the old file's modification time, restored on a rollback.
	modTime time.Time
}

// Report lists what Write did, or Plan would do, to every file.
type Report struct {
	// Dir is the target folder as given.
	Dir string
	// Fresh is true when the folder was missing or empty, so that the whole
	// project was staged and moved into place.
	Fresh bool
	// Changes has one entry per file, sorted by path: each file given, and
	// each file to delete that exists.
	Changes []Change
}

// Count returns how many files have the action.
func (r *Report) Count(a Action) int {
	n := 0
	for _, c := range r.Changes {
		if c.Action == a {
			n++
		}
	}
	return n
}

// Changed reports whether any file is created, updated or deleted. A check
// mode can fail on it: kept scaffold-once files are the user's and do not
// count.
func (r *Report) Changed() bool {
	for _, c := range r.Changes {
		if c.Action.Modifies() {
			return true
		}
	}
	return false
}

// Options tunes Write and Plan.
type Options struct {
	// Force overwrites the files to keep (File.Keep) that exist with other
	// content. Without it they are reported as Kept.
	Force bool
	// EmptyOnly refuses a target folder that exists and is not empty, with a
	// *NotEmptyError, before anything is read or written. "direktiv-fn new"
	// sets it unless --force is given. A folder that holds only part of
	// the files, with their content, and not the manifest (what a "new"
	// killed while moving the project into an empty folder leaves) is not
	// refused: the rest is written.
	EmptyOnly bool
	// Last is the path of the file renamed into place last (the manifest,
	// which records what the others are): a run killed part-way leaves the
	// old one, and a project that lacks it was never finished.
	Last string
	// Manifest, when not nil, is the content of Last as the caller read it
	// before computing files. Write fails with ErrManifestChanged, and
	// writes nothing, when Last on disk differs from it when Write starts
	// or just before the new one is renamed into place: another run
	// changed it meanwhile, and writing would lose its change.
	Manifest []byte
	// Delete names files to remove (slash-separated paths relative to the
	// target folder), in the same all-or-nothing update as the writes: the
	// stale generated files a regeneration no longer produces. A missing
	// file is left out of the report; a path that is also given as a file,
	// or is the folder of one, is refused. Deleting never removes folders.
	Delete []string
}

// NotEmptyError is returned when Options.EmptyOnly is set and the target
// folder exists and is not empty.
type NotEmptyError struct {
	// Dir is the target folder as given.
	Dir string
}

// Error names the folder.
func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("folder %s exists and is not empty", e.Dir)
}

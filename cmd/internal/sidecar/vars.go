package sidecar

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// prepareDir creates a call's folder: the action's files, and the empty
// out/<scope> folders whose files become variables.
func prepareDir(dir string, files []File, scopes []string) error {
	for _, s := range scopes {
		if err := os.MkdirAll(filepath.Join(dir, "out", s), 0o777); err != nil {
			return err
		}
	}
	for _, f := range files {
		name := filepath.FromSlash(path.Clean("/" + f.Name))[1:]
		if name == "" || strings.HasPrefix(name, "out"+string(filepath.Separator)) || name == "out" {
			return fmt.Errorf("bad file name %q", f.Name)
		}
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// The variable names Direktiv stores, by era.
var (
	// knativeVarName is the rule of Direktiv v0.6.1 to v0.10.0.
	knativeVarName = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(([a-zA-Z][a-zA-Z0-9_\-.]*[a-zA-Z0-9])|([a-zA-Z]))$`)
	})
	// isolatedVarName is the rule of Direktiv v0.5.0 to v0.6.0, the
	// strictest of the isolated era: no '-' (v0.4.x accepted it) and no '.'.
	isolatedVarName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(([a-zA-Z][a-zA-Z0-9_]*[a-zA-Z0-9])|([a-zA-Z]))$`) })
)

// varNameRule returns the variable name rule of mode's era.
func varNameRule(mode Mode) *regexp.Regexp {
	if mode == Isolated {
		return isolatedVarName()
	}
	return knativeVarName()
}

// ValidVarName reports whether Direktiv stores a variable called name in
// the era of mode.
func ValidVarName(mode Mode, name string) bool { return varNameRule(mode).MatchString(name) }

// VarNameRule returns the variable name rule of mode's era, as a regular
// expression, for messages.
func VarNameRule(mode Mode) string { return varNameRule(mode).String() }

// badNameError is an entry of out/ whose name is not a variable name.
type badNameError struct {
	// source is the entry: "out/instance/name".
	source string
}

func (e *badNameError) Error() string {
	return e.source + " is not named as a variable may be"
}

// harvest turns the entries of out/<scope> into variables, as Direktiv
// does once the function has answered: a file by its content, a folder as
// a tar.gz archive, one after the other. Other entries (links) are skipped.
// Direktiv stops at the first entry it cannot set: on an error, harvest
// returns the variables before it too. An entry whose name the rule
// refuses is a *badNameError.
func harvest(out string, scopes []string, rule *regexp.Regexp) ([]Variable, error) {
	vars := []Variable{}
	for _, s := range scopes {
		entries, err := os.ReadDir(filepath.Join(out, s))
		if err != nil {
			return vars, fmt.Errorf("can not read out folder: %w", err)
		}
		for _, e := range entries {
			p := filepath.Join(out, s, e.Name())
			v := Variable{Scope: s, Name: e.Name(), Source: "out/" + s + "/" + e.Name()}
			if (e.Type().IsRegular() || e.IsDir()) && !rule.MatchString(v.Name) {
				return vars, &badNameError{source: v.Source}
			}
			switch {
			case e.Type().IsRegular():
				if v.Data, err = os.ReadFile(p); err != nil {
					return vars, err
				}
			case e.IsDir():
				if v.Data, err = tarGz(p); err != nil {
					return vars, fmt.Errorf("packing %s: %w", v.Source, err)
				}
				v.TarGz = true
			default:
				continue
			}
			vars = append(vars, v)
		}
	}
	return vars, nil
}

// tarGz packs the folder dir as a tar.gz archive whose names are relative
// to dir.
func tarGz(dir string) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() && !info.IsDir() {
			return nil
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		hdr.Name = filepath.ToSlash(rel)
		if info.IsDir() {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			_, err = tw.Write(data)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// countFiles counts the entries under the scope folders of out.
func countFiles(out string) int {
	n := 0
	scopes, _ := os.ReadDir(out)
	for _, s := range scopes {
		entries, _ := os.ReadDir(filepath.Join(out, s.Name()))
		n += len(entries)
	}
	return n
}

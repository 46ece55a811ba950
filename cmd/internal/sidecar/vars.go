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
	"strings"
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

// harvest turns the entries of out/<scope> into variables, as Direktiv
// does once the function has answered: a file by its content, a folder as
// a tar.gz archive. Other entries (links) are skipped.
func harvest(out string, scopes []string) ([]Variable, error) {
	vars := []Variable{}
	for _, s := range scopes {
		entries, err := os.ReadDir(filepath.Join(out, s))
		if err != nil {
			return nil, fmt.Errorf("can not read out folder: %w", err)
		}
		for _, e := range entries {
			p := filepath.Join(out, s, e.Name())
			v := Variable{Scope: s, Name: e.Name(), Source: "out/" + s + "/" + e.Name()}
			switch {
			case e.Type().IsRegular():
				if v.Data, err = os.ReadFile(p); err != nil {
					return nil, err
				}
			case e.IsDir():
				if v.Data, err = tarGz(p); err != nil {
					return nil, fmt.Errorf("packing %s: %w", v.Source, err)
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

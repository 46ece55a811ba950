package cmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/plan"
	"github.com/direktiv-fn/direktiv-fn/generator/write"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// checkGenerated refuses a repository whose generated Go code is not what a
// generation makes now (the schema or the manifest was edited and not
// regenerated, or a generated Go file was edited by hand): its image would
// not do what its labels say. A change of the generated files that are not
// compiled (tests, workflow.yaml, the manifest's record, such as the
// version of direktiv-fn that wrote it) does not count. It returns the schema's
// content.
func (a *app) checkGenerated(p *project) ([]byte, error) {
	m := p.manifest
	schemaName := filepath.Join(p.dir, filepath.FromSlash(m.Schema))
	data, err := os.ReadFile(schemaName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: the input schema %s does not exist: restore it, or name the function's input schema file under \"schema:\"", m.Position("schema"), schemaName)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the input schema: %w", m.Position("schema"), err)
	}
	doc, err := schema.Parse(schemaName, data)
	if err != nil {
		return nil, schemaError(schemaName, err)
	}
	cfg := m.Config()
	cfg.SchemaData, cfg.Schema, cfg.Version = data, doc, a.version
	if err := loadOutputSchema(context.Background(), p.dir, m, &cfg); err != nil {
		return nil, err
	}
	r, err := generator.Render(cfg, m)
	if err != nil {
		return nil, fmt.Errorf("cannot generate the function: %w", err)
	}
	snap, err := readSnapshot(p.dir, plan.Paths(m, r.Files))
	if err != nil {
		return nil, err
	}
	u, err := plan.Make(m, r, snap.files, plan.Options{})
	if err != nil {
		return nil, err
	}
	report, err := write.Plan(p.dir, writeFiles(u.Files), write.Options{Delete: u.Delete, Last: config.ManifestFile})
	if err != nil {
		return nil, err
	}
	var stale []string
	for _, c := range report.Changes {
		if c.Action.Modifies() && compiled(c.Path) {
			stale = append(stale, c.Path)
		}
	}
	for _, h := range u.HandEdited {
		if compiled(h.Path) {
			stale = append(stale, h.Path+" (edited by hand)")
		}
	}
	for _, s := range u.Stale {
		if compiled(s) {
			stale = append(stale, s+" (no longer generated)")
		}
	}
	if len(stale) == 0 {
		return data, nil
	}
	sort.Strings(stale)
	return nil, fmt.Errorf("the generated code in %s is out of date: a generation would change %s, so the image would not match %s and %s: run \"direktiv-fn generate\" first", p.dir, strings.Join(stale, ", "), m.Schema, config.ManifestFile)
}

// compiled reports whether the generated file p is compiled into the
// function: a Go file that is not a test.
func compiled(p string) bool {
	return strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go")
}

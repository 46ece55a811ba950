package cmd

import (
	"bytes"
	"runtime/debug"
	"testing"
)

// TestPrintVersion: the version, the module version and the source revision
// recorded in the build info are all printed.
func TestPrintVersion(t *testing.T) {
	bi := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/direktiv-fn/direktiv-fn", Version: "v0.0.0-20261204101500-2f174be12345+dirty"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "2f174be1234567890"},
			{Key: "vcs.time", Value: "2026-12-04T10:15:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	var out bytes.Buffer
	printVersion(&out, "v0.0.0-20261204101500-2f174be12345+dirty", bi)
	for _, want := range []string{
		"direktiv-fn v0.0.0-20261204101500-2f174be12345+dirty\n",
		"module: github.com/direktiv-fn/direktiv-fn v0.0.0-20261204101500-2f174be12345+dirty\n",
		"commit: 2f174be1234567890 2026-12-04T10:15:00Z (modified)\n",
	} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("version output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	printVersion(&out, "dev", nil)
	if got := out.String(); !bytes.HasPrefix([]byte(got), []byte("direktiv-fn dev (built from source, not a release)\ngo: ")) {
		t.Errorf("dev version output:\n%s", got)
	}
}

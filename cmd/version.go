package cmd

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is the release version, set at build time with
//
//	go build -ldflags "-X github.com/direktiv-fn/direktiv-fn/cmd.version=v1.2.3"
//
// When it is left at "dev", Version falls back to the module version recorded
// by "go install module@version".
var version = "dev"

// Version returns direktiv-fn's version.
func Version() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

// versionCmd prints the version, the module and its version as the Go
// toolchain recorded them, the source revision when the build recorded it,
// and the Go version.
func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print direktiv-fn's version",
		Args:  noArgs,
		RunE: a.runE(func(c *cobra.Command, _ []string) error {
			bi, _ := debug.ReadBuildInfo()
			printVersion(c.OutOrStdout(), a.version, bi)
			return nil
		}),
	}
}

// printVersion writes what "direktiv-fn version" prints; bi may be nil.
func printVersion(out io.Writer, version string, bi *debug.BuildInfo) {
	if version == "dev" {
		fmt.Fprintln(out, "direktiv-fn dev (built from source, not a release)")
	} else {
		fmt.Fprintf(out, "direktiv-fn %s\n", version)
	}
	if bi != nil && bi.Main.Path != "" {
		fmt.Fprintf(out, "module: %s %s\n", bi.Main.Path, bi.Main.Version)
	}
	fmt.Fprintf(out, "go: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if bi == nil {
		return
	}
	var rev, at, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = " " + s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = " (modified)"
			}
		}
	}
	if rev != "" {
		fmt.Fprintf(out, "commit: %s%s%s\n", rev, at, modified)
	}
}

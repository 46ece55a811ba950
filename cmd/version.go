package cmd

import (
	"fmt"
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

// versionCmd prints the version and, when the binary records them, the Go
// version and the source revision it was built from.
func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print direktiv-fn's version",
		Args:  noArgs,
		RunE: a.runE(func(c *cobra.Command, _ []string) error {
			out := c.OutOrStdout()
			fmt.Fprintf(out, "direktiv-fn %s\n", a.version)
			fmt.Fprintf(out, "go: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
			bi, ok := debug.ReadBuildInfo()
			if !ok {
				return nil
			}
			var rev, modified string
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					rev = s.Value
				case "vcs.modified":
					if s.Value == "true" {
						modified = " (modified)"
					}
				}
			}
			if rev != "" {
				fmt.Fprintf(out, "commit: %s%s\n", rev, modified)
			}
			return nil
		}),
	}
}

// Package direktiv is the one table of Direktiv's eras: which Direktiv
// releases a function of each mode is written for, and what the workflows
// of those releases look like. The CLI's help and prompts, the generated
// READMEs and sample workflows, the manifest's "direktiv" setting and the
// workflow checker all read it, so that they cannot disagree.
package direktiv

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The function modes, as the manifest spells them.
const (
	// Knative is an HTTP server called by Direktiv's sidecar.
	Knative = "knative-workflow"
	// Isolated is one process per call, talking through files.
	Isolated = "isolated"
)

// Era is a span of Direktiv releases that agree on the workflow a function
// of one mode is called from.
type Era struct {
	// Key names the era in code and tests: "knative-v0.8".
	Key string
	// Mode is the function mode of the era: Knative or Isolated.
	Mode string
	// First and Last are the first and last Direktiv releases of the era.
	First, Last string
	// Releases are the minor releases a manifest's "direktiv" setting
	// names to select the era, oldest first.
	Releases []string
	// DirektivAPI is true when workflows start with
	// "direktiv_api: workflow/v1" (Direktiv v0.8.0 and later).
	DirektivAPI bool
	// WorkflowID is true when a workflow needs a top-level id (the
	// isolated era); the later eras reject one.
	WorkflowID bool
	// Services is true when the era has namespace services declared in
	// service files (direktiv_api: service/v1).
	Services bool
}

// Eras lists the supported eras, oldest first. Every pair of eras differs in
// at least one of DirektivAPI, WorkflowID and Mode, which is what lets a
// workflow file tell its era.
var Eras = []Era{
	{Key: "isolated", Mode: Isolated, First: "v0.4.0", Last: "v0.6.0",
		Releases: []string{"v0.4", "v0.5", "v0.6"}, WorkflowID: true},
	{Key: "knative-v0.6", Mode: Knative, First: "v0.6.1", Last: "v0.7.2",
		Releases: []string{"v0.6", "v0.7"}},
	{Key: "knative-v0.8", Mode: Knative, First: "v0.8.0", Last: "v0.10.0",
		Releases: []string{"v0.8", "v0.9", "v0.10"}, DirektivAPI: true, Services: true},
}

// The scopes of a knative-workflow function: declared by each workflow
// that calls it, or once per namespace as a service file.
const (
	// ScopeWorkflow is a function each workflow declares with its image.
	ScopeWorkflow = "workflow"
	// ScopeNamespace is a namespace service: a service file
	// (direktiv_api: service/v1) that workflows reference by its path.
	ScopeNamespace = "namespace"
)

// Scopes lists the scopes, the default first.
var Scopes = []string{ScopeWorkflow, ScopeNamespace}

// ServicesSince is the first release that reads service files; v0.8.0 named
// a namespace service, which it did not define in a file.
const ServicesSince = "v0.8.1"

// CheckScope reports whether a function of era, targeting release (the
// "direktiv" setting, "" for the latest), can have scope; the error says
// what to change.
func CheckScope(e Era, release, scope string) error {
	switch scope {
	case "", ScopeWorkflow:
		return nil
	case ScopeNamespace:
	default:
		return fmt.Errorf("scope %q: the scope is %s", scope, strings.Join(Scopes, " or "))
	}
	if !e.Services {
		return fmt.Errorf("scope namespace needs service files, which Direktiv reads from %s on (%s functions on %s have none): target direktiv v0.8 or later with mode %s, or use scope workflow", ServicesSince, e.Mode, e.Versions(), Knative)
	}
	if m := releasePattern().FindStringSubmatch(release); m != nil && m[3] != "" && !contains(Era{First: ServicesSince, Last: e.Last}, atoi(m[2]), atoi(m[3])) {
		return fmt.Errorf("scope namespace needs service files, which Direktiv reads from %s on: direktiv %q has none", ServicesSince, release)
	}
	return nil
}

// atoi reads a number the release pattern matched.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// Latest is the latest Direktiv release: a manifest without a "direktiv"
// setting targets it (or, for a mode it does not run, the last release
// that does).
const Latest = "v0.10"

// Versions says which releases the era spans: "Direktiv v0.8.0–v0.10.0".
func (e Era) Versions() string {
	return "Direktiv " + e.First + "–" + e.Last
}

// String names the era in messages:
// "Direktiv v0.8.0–v0.10.0 (knative-workflow functions)".
func (e Era) String() string {
	return e.Versions() + " (" + e.Mode + " functions)"
}

// Modes lists the modes, the default first.
var Modes = []string{Knative, Isolated}

// ForMode returns the eras of mode, oldest first.
func ForMode(mode string) []Era {
	var out []Era
	for _, e := range Eras {
		if e.Mode == mode {
			out = append(out, e)
		}
	}
	return out
}

// ModeVersions says which releases run functions of mode, for help texts:
// "Direktiv v0.6.1–v0.10.0".
func ModeVersions(mode string) string {
	es := ForMode(mode)
	if len(es) == 0 {
		return ""
	}
	return "Direktiv " + es[0].First + "–" + es[len(es)-1].Last
}

// ByKey returns the era of key, and whether there is one.
func ByKey(key string) (Era, bool) {
	for _, e := range Eras {
		if e.Key == key {
			return e, true
		}
	}
	return Era{}, false
}

// releasePattern is a "direktiv" setting: a minor release ("v0.8") or a
// release ("v0.6.1"), the "v" optional.
var releasePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v?(0)\.([0-9]{1,3})(?:\.([0-9]{1,3}))?$`) })

// Releases lists every value the "direktiv" setting takes, for messages.
func Releases() string {
	var rs []string
	for _, e := range Eras {
		for _, r := range e.Releases {
			if len(rs) == 0 || rs[len(rs)-1] != r {
				rs = append(rs, r)
			}
		}
	}
	return strings.Join(rs, ", ")
}

// Lookup returns the era of a function of mode that targets release (the
// manifest's "direktiv" setting: "v0.7", "v0.6.1"); an empty release is
// the latest release that runs mode. An empty mode is allowed when the
// release alone tells the era (not "v0.6", which has both). The error says
// what to write instead.
func Lookup(mode, release string) (Era, error) {
	if mode != "" && len(ForMode(mode)) == 0 {
		return Era{}, fmt.Errorf("mode %q: the mode is %s", mode, strings.Join(Modes, " or "))
	}
	if release == "" {
		if mode == "" {
			return Era{}, fmt.Errorf("no mode and no Direktiv release to tell the era")
		}
		es := ForMode(mode)
		return es[len(es)-1], nil
	}
	m := releasePattern().FindStringSubmatch(release)
	if m == nil {
		return Era{}, fmt.Errorf("direktiv %q is not a Direktiv release: write one of %s (or a release such as v0.6.1)", release, Releases())
	}
	minor, _ := strconv.Atoi(m[2])
	patch := -1
	if m[3] != "" {
		patch, _ = strconv.Atoi(m[3])
	}
	var fits []Era
	for _, e := range Eras {
		if contains(e, minor, patch) && (mode == "" || e.Mode == mode) {
			fits = append(fits, e)
		}
	}
	switch {
	case len(fits) == 1:
		return fits[0], nil
	case len(fits) > 1:
		var s []string
		for _, e := range fits {
			s = append(s, e.String())
		}
		return Era{}, fmt.Errorf("direktiv %q spans several eras (%s): give the mode too", release, strings.Join(s, ", "))
	case mode != "":
		return Era{}, fmt.Errorf("direktiv %q does not run %s functions, which %s runs: choose the mode of that release, or one of %s", release, mode, ModeVersions(mode), strings.Join(ReleasesOf(mode), ", "))
	}
	return Era{}, fmt.Errorf("direktiv %q is not a supported Direktiv release: write one of %s", release, Releases())
}

// ReleasesOf lists the "direktiv" values of mode's eras, oldest first.
func ReleasesOf(mode string) []string {
	var rs []string
	for _, e := range ForMode(mode) {
		rs = append(rs, e.Releases...)
	}
	return rs
}

// contains reports whether release v0.minor.patch (patch -1: any) is in e.
func contains(e Era, minor, patch int) bool {
	first, last := parse(e.First), parse(e.Last)
	if patch < 0 {
		return first[1] <= minor && minor <= last[1]
	}
	v := [3]int{0, minor, patch}
	return !less(v, first) && !less(last, v)
}

// parse reads "v0.8.10" as {0, 8, 10}; the table holds only such values.
func parse(s string) [3]int {
	var v [3]int
	for i, p := range strings.SplitN(strings.TrimPrefix(s, "v"), ".", 3) {
		v[i], _ = strconv.Atoi(p)
	}
	return v
}

// less compares two releases.
func less(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

package plan

import (
	"bytes"
	"fmt"
	"regexp"
	"sync"
)

// A region is a part of a user-owned file that the generator keeps up to
// date, such as the README's error table. It starts at a line holding
// "direktiv-fn:<name>:begin" and ends at a line holding
// "direktiv-fn:<name>:end", whatever comment syntax surrounds them:
//
//	<!-- direktiv-fn:errors:begin -->
//	| code | constant | when |
//	...
//	<!-- direktiv-fn:errors:end -->
//
// Everything outside the regions is the user's and is never rewritten.
var regionMarker = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`direktiv-fn:([A-Za-z0-9_-]+):(begin|end)`) })

// Region is one marked region of a file.
type Region struct {
	// Name is the region's name, e.g. "errors".
	Name string
	// Start and End are byte offsets: Start is the beginning of the begin
	// marker's line, End is just after the end marker's line.
	Start, End int
}

// FindRegions returns the marked regions of content in order. It fails on a
// begin without an end, an end without a begin, nested regions and a name
// used twice.
func FindRegions(content []byte) ([]Region, error) {
	var out []Region
	var open *Region
	seen := map[string]bool{}
	line := 1
	for off := 0; off < len(content); line++ {
		end := bytes.IndexByte(content[off:], '\n')
		next := len(content)
		if end >= 0 {
			next = off + end + 1
		}
		m := regionMarker().FindSubmatch(content[off:next])
		if m != nil {
			name, kind := string(m[1]), string(m[2])
			switch {
			case kind == "begin" && open != nil:
				return nil, fmt.Errorf("line %d: region %q begins inside region %q", line, name, open.Name)
			case kind == "begin" && seen[name]:
				return nil, fmt.Errorf("line %d: region %q appears twice", line, name)
			case kind == "begin":
				open = &Region{Name: name, Start: off}
				seen[name] = true
			case open == nil || open.Name != name:
				return nil, fmt.Errorf("line %d: region %q ends but was not begun", line, name)
			default:
				open.End = next
				out = append(out, *open)
				open = nil
			}
		}
		off = next
	}
	if open != nil {
		return nil, fmt.Errorf("region %q has no end marker (direktiv-fn:%s:end)", open.Name, open.Name)
	}
	return out, nil
}

// ReplaceRegions returns existing with each of its marked regions replaced
// by the region of the same name in fresh, and the names of the regions of
// fresh that existing lacks (left as they are). Text outside the regions,
// and regions fresh does not have, are kept byte for byte.
func ReplaceRegions(existing, fresh []byte) (out []byte, missing []string, err error) {
	newRegions, err := FindRegions(fresh)
	if err != nil {
		return nil, nil, fmt.Errorf("internal error: the generated regions: %w", err)
	}
	oldRegions, err := FindRegions(existing)
	if err != nil {
		return nil, nil, err
	}
	byName := map[string]Region{}
	for _, r := range newRegions {
		byName[r.Name] = r
	}
	var b bytes.Buffer
	last := 0
	found := map[string]bool{}
	for _, r := range oldRegions {
		n, ok := byName[r.Name]
		if !ok {
			continue
		}
		found[r.Name] = true
		b.Write(existing[last:r.Start])
		region := fresh[n.Start:n.End]
		b.Write(region)
		if r.End == len(existing) && !bytes.HasSuffix(existing, []byte("\n")) {
			// Keep a file that ended without a newline that way.
			b.Truncate(b.Len() - 1)
		} else if !bytes.HasSuffix(region, []byte("\n")) {
			b.WriteByte('\n')
		}
		last = r.End
	}
	b.Write(existing[last:])
	for _, r := range newRegions {
		if !found[r.Name] {
			missing = append(missing, r.Name)
		}
	}
	return b.Bytes(), missing, nil
}

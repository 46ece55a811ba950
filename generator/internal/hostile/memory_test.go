package hostile

import (
	"errors"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/runtime/decode"
)

// TestMemoryManyInvalid decodes a 100 MB array of invalid items: the error
// details 100 violations and counts the others, and decoding allocates
// little beyond them: no pointer or message is built for a violation that
// is not kept.
func TestMemoryManyInvalid(t *testing.T) {
	const n = 25 << 20
	in := []byte(`{"list":[` + strings.Repeat(`"x",`, n-1) + `"x"]}`)
	alloc, err := decodeMeasured(in)
	var verr *decode.ValidationError
	if !errors.As(err, &verr) || len(verr.Violations) != 100 || verr.Total != n {
		t.Fatalf("got %d violations of %d, want 100 of %d", len(verr.Violations), verr.Total, n)
	}
	if v := verr.Violations[99]; v.Pointer != "/list/99" || v.Message != `must be an integer; got string "x"` {
		t.Errorf("last violation %s: %s", v.Pointer, v.Message)
	}
	t.Logf("%d bytes of input: %d bytes allocated", len(in), alloc)
	if alloc > 64<<10 {
		t.Errorf("decoding allocated %d bytes, want at most 64 KiB", alloc)
	}
}

// TestMemoryShallowerViolations feeds violations deepest first: at each
// of 450 levels of a tree, 100 violations, each shallower than those kept
// and so replacing one of them. Their pointers add up to over 100 MB, and
// kept as written they made decoding allocate 732 MB; the text of those
// replaced is dropped and its space reused, so that decoding allocates a
// few MB.
func TestMemoryShallowerViolations(t *testing.T) {
	const levels = 450
	bad := strings.TrimSuffix(strings.Repeat(`{"name":"too long a name"},`, 100), ",")
	in := `{"tree":` + strings.Repeat(`{"children":[`, levels) + `{}` + strings.Repeat(`,`+bad+`]}`, levels) + `}`
	alloc, err := decodeMeasured([]byte(in))
	var verr *decode.ValidationError
	if !errors.As(err, &verr) || len(verr.Violations) != 100 || verr.Total != 100*levels {
		t.Fatalf("got %v violations of %d, want 100 of %d", len(verr.Violations), verr.Total, 100*levels)
	}
	// The shallowest are kept: those of the tree's own children.
	for _, v := range verr.Violations {
		if !strings.HasPrefix(v.Pointer, "/tree/children/") || strings.Count(v.Pointer, "/") != 4 {
			t.Fatalf("kept %s, want the violations of /tree/children/*/name", v.Pointer)
		}
	}
	t.Logf("%d bytes of input: %d bytes allocated", len(in), alloc)
	if alloc > 8<<20 {
		t.Errorf("decoding allocated %d bytes, want at most 8 MiB", alloc)
	}
}

// TestMemoryPerInvalidCall bounds what one small invalid input (14
// violations, two of them oneOf that name the closest schema) allocates.
func TestMemoryPerInvalidCall(t *testing.T) {
	in := []byte(`{"count":1.5,"small":4,"bounded":0,"third":4,"ratio":2,"exact":3,"choice":1.5,"pick":true,"limit":-3,"same":1,"unique":[1,1],"list":["a",2,"b"],"zz":1}`)
	var verr *decode.ValidationError
	if _, err := DecodeInput(in); !errors.As(err, &verr) || len(verr.Violations) != 14 {
		t.Fatalf("got %v, want 14 violations", err)
	}
	allocs := testing.AllocsPerRun(100, func() { DecodeInput(in) })
	alloc, err := decodeMeasured(in)
	t.Logf("%d allocations, %d bytes: %v", int(allocs), alloc, err)
	if alloc > 16<<10 {
		t.Errorf("an invalid call allocated %d bytes, want at most 16 KiB", alloc)
	}
}

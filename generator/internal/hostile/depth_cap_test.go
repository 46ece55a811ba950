package hostile

import (
	"errors"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/runtime/decode"
)

// TestDepthKeptBeyondTheCap: the maxDepth violation is kept when 100
// violations are recorded already, however deep it is.
func TestDepthKeptBeyondTheCap(t *testing.T) {
	in := `{"list":[` + strings.TrimSuffix(strings.Repeat(`"x",`, 150), ",") + `],"payload":` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}`
	_, err := DecodeInput([]byte(in))
	var verr *decode.ValidationError
	if !errors.As(err, &verr) || len(verr.Violations) != 100 || verr.Total != 151 {
		t.Fatalf("got %v", err)
	}
	last := verr.Violations[99]
	if want := "/payload" + strings.Repeat("/0", 999); last.Keyword != "maxDepth" || last.Pointer != want {
		t.Errorf("last violation %s at %.40s..., want maxDepth at %.40s...", last.Keyword, last.Pointer, want)
	}
	if first := verr.Violations[0]; first.Pointer != "/list/0" {
		t.Errorf("first violation at %s", first.Pointer)
	}
}

package hostile

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/runtime/decode"
)

// uniqueInput returns an input whose property prop is an array of n
// items: each item is item(i).
func uniqueInput(prop string, n int, item func(i int) string) []byte {
	var b strings.Builder
	b.WriteString(`{"` + prop + `":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(item(i))
	}
	b.WriteString("]}")
	return []byte(b.String())
}

func distinctString(i int) string { return `"` + strconv.Itoa(i) + `"` }
func sameString(int) string       { return `"x"` }
func distinctObject(i int) string { return `{"a":` + strconv.Itoa(i) + `,"b":[1,{"c":"d"}]}` }
func sameObject(i int) string {
	// The same object, its members in two orders and 1 written two ways.
	if i%2 == 0 {
		return `{"a":1,"b":[1,{"c":"d"}]}`
	}
	return `{"b":[1e0,{"c":"d"}],"a":1.0}`
}

// TestUniqueAtDuplicate: a "uniqueItems" violation is at each item that
// equals an earlier one, naming the first it equals, for typed items
// (strings) and generic ones (objects compared as JSON values); a hostile
// array of 100,000 equal items is counted in full and recorded up to the cap.
func TestUniqueAtDuplicate(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"tags":["a","b","a","c","b","a"]}`, "/tags/2 uniqueItems: equals /tags/0; /tags/4 uniqueItems: equals /tags/1; /tags/5 uniqueItems: equals /tags/0"},
		{`{"tags":["a","b"]}`, "ok"},
		{`{"unique":[{"a":[1]},2,{"a":[1.0]}]}`, "/unique/2 uniqueItems: equals /unique/0"},
		{`{"unique":[1,"1",true,null,[],{}]}`, "ok"},
	} {
		if got := verdict(t, tt.in); got != tt.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tt.in, got, tt.want)
		}
	}
	for _, prop := range []string{"tags", "unique"} {
		_, err := DecodeInput(uniqueInput(prop, 100000, sameString))
		var verr *decode.ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("%s: %v", prop, err)
		}
		if verr.Total != 99999 || len(verr.Violations) != decode.MaxViolations {
			t.Errorf("%s: %d violations, %d recorded; want 99999, %d", prop, verr.Total, len(verr.Violations), decode.MaxViolations)
		}
		if v := verr.Violations[0]; v.Pointer != "/"+prop+"/1" || v.Message != "equals /"+prop+"/0" {
			t.Errorf("%s: first violation %+v", prop, v)
		}
	}
}

// BenchmarkUnique measures "uniqueItems" on arrays of 10,000 and 100,000
// items: distinct (valid) and all equal (a violation at every item but
// the first), typed strings and generic objects. The time per item stays
// flat from 10,000 to 100,000 items: linear.
func BenchmarkUnique(b *testing.B) {
	cases := []struct {
		name, prop string
		item       func(int) string
		valid      bool
	}{
		{"strings/distinct", "tags", distinctString, true},
		{"strings/equal", "tags", sameString, false},
		{"objects/distinct", "unique", distinctObject, true},
		{"objects/equal", "unique", sameObject, false},
	}
	for _, c := range cases {
		for _, n := range []int{10000, 100000} {
			in := uniqueInput(c.prop, n, c.item)
			b.Run(fmt.Sprintf("%s/%d", c.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(in)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := DecodeInput(in); (err == nil) != c.valid {
						b.Fatalf("valid = %v: %v", c.valid, err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/item")
			})
		}
	}
}

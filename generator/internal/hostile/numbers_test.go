package hostile

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/runtime/decode"
)

// verdict decodes in and returns "ok" or its violations as
// "pointer keyword: message", joined with "; ".
func verdict(t *testing.T, in string) string {
	t.Helper()
	_, err := DecodeInput([]byte(in))
	if err == nil {
		return "ok"
	}
	var verr *decode.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("%s: %v", in, err)
	}
	var out []string
	for _, v := range verr.Violations {
		out = append(out, v.Pointer+" "+v.Keyword+": "+v.Message)
	}
	return strings.Join(out, "; ")
}

// TestExactIntegers: numbers are read from their literal, never through
// float64, on the typed int64 path and on the generic one (oneOf, anyOf,
// enum, const, bounds, multipleOf, uniqueItems).
func TestExactIntegers(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		// Typed int64.
		{`{"count": -9223372036854775808}`, "ok"},
		{`{"count": 9223372036854775807}`, "ok"},
		{`{"count": -9223372036854775809}`, "/count type: must be an integer from -9223372036854775808 to 9223372036854775807; got number -9223372036854775809"},
		{`{"count": 9223372036854775808}`, "/count type: must be an integer from -9223372036854775808 to 9223372036854775807; got number 9223372036854775808"},
		{`{"count": 1e19}`, "/count type: must be an integer from -9223372036854775808 to 9223372036854775807; got number 1e19"},
		{`{"count": 123456789012345678.9}`, "/count type: must be an integer; got number 123456789012345678.9"},
		{`{"count": 1.0000000000000001}`, "/count type: must be an integer; got number 1.0000000000000001"},
		{`{"count": 1e-400}`, "/count type: must be an integer; got number 1e-400"},
		{`{"count": 1e1000000000000}`, "/count type: must be an integer from -9223372036854775808 to 9223372036854775807; got number 1e1000000000000"},
		{`{"small": 1.0000000000000001}`, "/small type: must be an integer; got number 1.0000000000000001"},
		{`{"small": 1.0}`, "ok"},
		{`{"level": 1.0000000000000001}`, "/level enum: must be one of 1, 2, 3; got number 1.0000000000000001"},
		{`{"level": 1.0}`, "ok"},
		{`{"level": 0.3e1}`, "ok"},
		{`{"level": 2.5}`, "/level enum: must be one of 1, 2, 3; got number 2.5"},
		{`{"small": 0.3e1}`, "ok"},
		{`{"bounded": 1}`, "/bounded minimum: must be >= 1.5; got 1"},
		{`{"bounded": 9007199254740992}`, "ok"},
		{`{"bounded": 9007199254740993}`, "/bounded maximum: must be <= 9007199254740992.5; got 9007199254740993"},
		{`{"third": 9007199254740993}`, "ok"}, // 3 × 3002399751580331
		{`{"third": 9007199254740994}`, "/third multipleOf: must be a multiple of 1.5; got 9007199254740994"},
		// Typed float64: the bounds, multipleOf and enum compare the literal.
		{`{"ratio": 0.1}`, "ok"},
		{`{"ratio": 0.09999999999999999999}`, "/ratio minimum: must be >= 0.1; got 0.09999999999999999999; /ratio multipleOf: must be a multiple of 0.01; got 0.09999999999999999999"},
		{`{"ratio": 0.99}`, "ok"},
		{`{"ratio": 0.99999999999999999999}`, "/ratio multipleOf: must be a multiple of 0.01; got 0.99999999999999999999"},
		{`{"ratio": 1.00000000000000000001}`, "/ratio exclusiveMaximum: must be < 1; got 1.00000000000000000001; /ratio multipleOf: must be a multiple of 0.01; got 1.00000000000000000001"},
		{`{"ratio": 0.3}`, "ok"},
		{`{"exact": 0.1}`, "ok"},
		{`{"exact": 1.5e0}`, "ok"},
		{`{"exact": 0.10000000000000000001}`, "/exact enum: must be one of 0.1, 1.5; got 0.10000000000000000001"},
		// The type checks inside oneOf and anyOf: choice stays generic
		// (integer and number cannot be told apart), pick and limit are
		// unions told apart by JSON type.
		{`{"choice": 5}`, "ok"},
		{`{"choice": 5.0}`, "ok"},
		{`{"choice": 1e2}`, "/choice oneOf: must match exactly one of the oneOf schemas; it matches 2 (#0, #1)"},
		{`{"choice": 100.5}`, "ok"},
		{`{"choice": 9007199254740993.0}`, "/choice oneOf: must match exactly one of the oneOf schemas; it matches 2 (#0, #1)"},
		{`{"choice": 123456789012345678.9}`, "ok"},
		{`{"choice": 1.0000000000000001}`, "/choice oneOf: must match exactly one of the oneOf schemas; it matches none; #0 comes closest: must be an integer; got number 1.0000000000000001"},
		{`{"pick": 1.0000000000000001}`, "/pick type: must be an integer; got number 1.0000000000000001"},
		{`{"pick": 2.0}`, "ok"},
		{`{"pick": 20e-1}`, "ok"},
		{`{"limit": 9007199254740993}`, "ok"},
		{`{"limit": 9007199254740994}`, "/limit maximum: must be <= 9007199254740993; got 9007199254740994"},
		{`{"limit": -0.0}`, "ok"},
		{`{"limit": -1e-400}`, "/limit type: must be an integer; got number -1e-400"},
		{`{"step": 1.2e1}`, "ok"},
		{`{"step": 1.25e1}`, "/step type: must be an integer or a string; got number 1.25e1"},
		{`{"step": 1e1000000000}`, "ok"},
		{`{"same": 9007199254740993}`, "ok"},
		{`{"same": 9007199254740993.0}`, "ok"},
		{`{"same": 9007199254740992}`, "/same const: must be 9007199254740993; got number 9007199254740992"},
		{`{"unique": [1, 1.0]}`, "/unique/1 uniqueItems: equals /unique/0"},
		{`{"unique": [9007199254740992, 9007199254740993]}`, "ok"},
		{`{"unique": [100, 1e2]}`, "/unique/1 uniqueItems: equals /unique/0"},
	} {
		if got := verdict(t, tt.in); got != tt.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

// TestExactIntegerValues: the values decoded are the literals' exact
// values: 9007199254740993.0 is 9007199254740993, 1e2 is 100.
func TestExactIntegerValues(t *testing.T) {
	in, err := DecodeInput([]byte(`{"count": 9007199254740993.0, "small": 2.0, "list": [1e2, 10e-1, -0.0, 12345678901234567890e-1, -9223372036854775808]}`))
	if err != nil {
		t.Fatal(err)
	}
	if *in.Count != 9007199254740993 || *in.Small != 2 {
		t.Errorf("count %d, small %d", *in.Count, *in.Small)
	}
	want := []int64{100, 1, 0, 1234567890123456789, -9223372036854775808}
	for i, n := range in.List {
		if n != want[i] {
			t.Errorf("list[%d] = %d, want %d", i, n, want[i])
		}
	}
	// A generic value keeps its literal.
	in, err = DecodeInput([]byte(`{"payload": 9007199254740993.0}`))
	if err != nil || in.Payload != json.Number("9007199254740993.0") {
		t.Errorf("payload %#v, %v", in.Payload, err)
	}
}

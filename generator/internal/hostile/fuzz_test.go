package hostile

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/direktiv-fn/direktiv-fn/generator/runtime/decode"
)

// FuzzDecode checks the generated decoder against encoding/json on any
// input: it never panics; what it accepts is valid JSON; what encoding/json
// finds malformed it refuses; and what it accepts, encoding/json decodes
// into the same value of the same types, and decoding that value's
// encoding gives the same encoding again. The documented differences are left out of the
// comparison: the decoder refuses invalid UTF-8 in strings, which
// encoding/json replaces with U+FFFD; it reads 1.0 and 1e2 into an int64,
// as JSON Schema counts them integers, where encoding/json refuses them;
// and for a key that appears twice, its last value replaces the first,
// where encoding/json merges two objects. Beyond DefaultMaxDepth levels of
// nesting, it stops reading with a "maxDepth" violation, which it may
// report before a syntax error further on.
//
//	go test ./generator/internal/hostile -run '^$' -fuzz FuzzDecode -fuzztime 1000000x
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"tree":{"name":"a","children":[{"name":"b"},{"children":[]}]}}`,
		`{"count":-9223372036854775808,"small":2.0,"bounded":2,"third":3e0,"ratio":0.25,"exact":1.5}`,
		`{"choice":100.5,"pick":"x","limit":9007199254740993,"step":"s","same":9007199254740993.0}`,
		`{"unique":[1,"1",[1],{"a":1}],"payload":{"a":[null,true,false,-0.5e-3,"\u00e9\ud83d\ude00"]}}`,
		`{"note":null,"flag":true,"list":[1e2,10e-1],"meta":{"x":1.5,"":-1e300}}`,
		`{"count":1.5}`, `{"tree":{"children":[{"name":"much too long"}]}}`, `{"zz":[{}]}`,
		`{"count":1,"count":2}`, `{"tree":{"name":"a"},"tree":{"children":[]}}`,
		`{"note":"\ud800"}`, "{\"note\":\"\xff\"}", `{"note":"a\u0000b"}`,
		`{"payload":[[[[[[[[[[]]]]]]]]]]}`, `{"payload":` + strings.Repeat("[", 1001) + `}`,
		`{"count":01}`, `{"count":-}`, `{"count":1.}`, `{"count":1e}`, `{"a" 1}`, `{"a":1,}`, `[1,]`, `tru`, ` `, `{"note":"\x"}`,
		`{"list":[1 2]}`, `{"meta":{"a":1e400}}`, `{"ratio":1e-400}`, `"x" "y"`, `nul`, `{"payload":{"a":1}}x`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := DecodeInput(data)
		valid := json.Valid(data)
		var syn *decode.SyntaxError
		var verr *decode.ValidationError
		switch {
		case err == nil:
			if !valid {
				t.Fatalf("accepted invalid JSON %q", data)
			}
		case errors.As(err, &syn):
			if valid && utf8.Valid(data) {
				t.Fatalf("a syntax error in valid JSON %q: %v", data, err)
			}
			return
		case errors.As(err, &verr):
			if !valid && !strings.Contains(err.Error(), "levels deep; decoding stopped here") {
				t.Fatalf("invalid JSON %q is a validation error, not a syntax error: %v", data, err)
			}
			return
		default:
			t.Fatalf("%q: an error of type %T: %v", data, err, err)
		}

		// Accepted: encoding/json reads the same value.
		var want Input
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		jerr := dec.Decode(&want)
		var typeErr *json.UnmarshalTypeError
		switch {
		case jerr == nil:
			if !duplicateKeys(data) && !reflect.DeepEqual(got, want) {
				t.Fatalf("%q:\ndecoded      %#v\nencoding/json %#v", data, got, want)
			}
		case errors.As(jerr, &typeErr) && strings.HasPrefix(typeErr.Value, "number ") && typeErr.Type.Kind() == reflect.Int64:
			// 1.0 or 1e2 into an int64: an integer to JSON Schema.
			if _, ok := decode.New([]byte(strings.TrimPrefix(typeErr.Value, "number ")), 1).ReadInt(); !ok {
				t.Fatalf("%q: encoding/json refuses %s, which is no int64: %v", data, typeErr.Value, jerr)
			}
		default:
			t.Fatalf("%q: accepted, but encoding/json: %v", data, jerr)
		}

		// And its encoding is accepted and decodes to the same value, as
		// far as the encoding tells (omitempty drops an empty slice).
		enc, err := json.Marshal(got)
		if err != nil {
			t.Fatalf("%q: json.Marshal: %v", data, err)
		}
		again, err := DecodeInput(enc)
		if err != nil {
			t.Fatalf("%q: encoded as %s, which is refused: %v", data, enc, err)
		}
		if enc2, _ := json.Marshal(again); !bytes.Equal(enc2, enc) {
			t.Fatalf("%q: encoded as %s, decoded and encoded again as %s", data, enc, enc2)
		}
	})
}

// duplicateKeys reports whether an object of the valid JSON data has a key
// twice.
func duplicateKeys(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next string token is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return false
		}
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if k, isKey := tok.(string); isKey && top != nil && top.object && top.key {
			if top.keys[k] {
				return true
			}
			top.keys[k] = true
			top.key = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]bool{}, key: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = true // a value was read: a key is next
		}
	}
}

// jsonNumber matches a valid JSON number.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// exact returns the exact value of a JSON number literal, or false when its
// exponent is too large for the reference arithmetic (|e| > 2000).
func exact(lit string) (*big.Rat, bool) {
	mant, exp := lit, 0
	if i := strings.IndexAny(lit, "eE"); i >= 0 {
		e, err := strconv.Atoi(lit[i+1:])
		if err != nil || e > 2000 || e < -2000 {
			return nil, false
		}
		mant, exp = lit[:i], e
	}
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		exp -= len(mant) - i - 1
		mant = mant[:i] + mant[i+1:]
	}
	m, _ := new(big.Int).SetString(mant, 10)
	r := new(big.Rat).SetInt(m)
	p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(max(exp, -exp))), nil))
	if exp >= 0 {
		return r.Mul(r, p), true
	}
	return r.Quo(r, p), true
}

// FuzzIntegers checks the decoder's numbers against math/big on any pair
// of number literals: a number is an integer exactly when its value has no
// fraction, an int64 exactly when it is an integer in range; and every
// keyword of the schema that compares numbers, typed or generic (enum,
// const, bounds, multipleOf, oneOf's and anyOf's type checks,
// uniqueItems), gives the verdict of exact arithmetic.
//
//	go test ./generator/internal/hostile -run '^$' -fuzz FuzzIntegers -fuzztime 1000000x
func FuzzIntegers(f *testing.F) {
	for _, seed := range []string{
		"0", "-0", "1", "1.0", "1e2", "1E+2", "10e-1", "0.5", "1.5", "3", "-1e-400", "1e-400",
		"-9223372036854775808", "-9223372036854775809", "9223372036854775807", "9223372036854775808",
		"1.0000000000000001", "123456789012345678.9", "9007199254740993.0", "9007199254740993", "9007199254740992.5",
		"0.1", "0.10000000000000000001", "0.99", "100", "100.5", "1e19", "92233720368547758070e-1", "0.01e1",
	} {
		f.Add(seed, "1.0")
	}
	f.Fuzz(func(t *testing.T, lit, other string) {
		if len(lit) > 300 || len(other) > 300 || !jsonNumber.MatchString(lit) || !jsonNumber.MatchString(other) {
			return
		}
		r, ok := exact(lit)
		r2, ok2 := exact(other)
		if !ok || !ok2 {
			return
		}
		isInt := r.IsInt()
		fits := isInt && r.Num().IsInt64()
		_, rangeErr := strconv.ParseFloat(lit, 64)
		inFloat := rangeErr == nil
		between := func(lo, hi string) bool { // lo <= r <= hi
			a, _ := exact(lo)
			b, _ := exact(hi)
			return r.Cmp(a) >= 0 && r.Cmp(b) <= 0
		}
		multiple := func(k string) bool {
			q, _ := exact(k)
			return new(big.Rat).Quo(r, q).IsInt()
		}
		is := func(v string) bool { x, _ := exact(v); return r.Cmp(x) == 0 }
		hundred, _ := exact("100")
		for _, tt := range []struct {
			key  string
			want bool
		}{
			{"count", fits},
			{"small", is("1") || is("2") || is("3")},
			{"level", is("1") || is("2") || is("3")},
			{"bounded", fits && between("1.5", "9007199254740992.5")},
			{"third", fits && multiple("1.5")},
			{"ratio", inFloat && between("0.1", "1") && !is("1") && multiple("0.01")},
			{"exact", inFloat && (is("0.1") || is("1.5"))},
			{"choice", isInt != (r.Cmp(hundred) >= 0)},
			{"pick", is("1") || is("2") || is("3")},
			{"limit", isInt && between("-0.5", "9007199254740993") && !is("-0.5")},
			{"step", isInt},
			{"same", is("9007199254740993")},
		} {
			in := `{"` + tt.key + `":` + lit + `}`
			v, err := DecodeInput([]byte(in))
			if (err == nil) != tt.want {
				t.Fatalf("%s: accepted %v, want %v: %v", in, err == nil, tt.want, err)
			}
			if err == nil && tt.key == "count" && *v.Count != r.Num().Int64() {
				t.Fatalf("%s: decoded %d", in, *v.Count)
			}
		}
		in := `{"unique":[` + lit + `,` + other + `]}`
		if _, err := DecodeInput([]byte(in)); (err == nil) != (r.Cmp(r2) != 0) {
			t.Fatalf("%s: accepted %v, want %v", in, err == nil, r.Cmp(r2) != 0)
		}
		if got, want := decode.Compare(lit, other), r.Cmp(r2); got != want {
			t.Fatalf("decode.Compare(%s, %s) = %d, want %d", lit, other, got, want)
		}
	})
}

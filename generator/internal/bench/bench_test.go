package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	gojson "github.com/goccy/go-json"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/direktiv-fn/direktiv-fn/generator/internal/bench/large"
	"github.com/direktiv-fn/direktiv-fn/generator/runtime/decode"
)

// The instances, about 300 bytes each: one valid, one with a dozen
// violations of every kind (pattern, lengths, enum, type, bounds, missing
// and unexpected properties).
var (
	valid   = mustRead("valid.json")
	invalid = mustRead("invalid.json")
)

func mustRead(name string) []byte {
	b, err := os.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return bytes.TrimSpace(b)
}

// compile compiles a schema file with santhosh v6.
func compile(path string) *jsonschema.Schema {
	f, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		panic(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(path, doc); err != nil {
		panic(err)
	}
	return c.MustCompile(path)
}

// The reference schemas compiled once by santhosh v6.
var (
	compiled      = compile("input.schema.json")
	compiledLarge = compile("large/input.schema.json")
)

// largeInput is a valid input of package large of about 100 KB: 800
// contacts of seven short members each, most of them strings.
var largeInput = func() []byte {
	var b bytes.Buffer
	b.WriteString(`{"source":"crm-export","contacts":[`)
	cities := []string{"Berlin", "Graz", "Z\u00fcrich", "Wien", "Linz"}
	for i := range 800 {
		if i > 0 {
			b.WriteByte(',')
		}
		n := strconv.Itoa(i)
		b.WriteString(`{"id":"c` + n + `","name":"Contact number ` + n + `","email":"user` + n + `@example.com",`)
		b.WriteString(`"city":"` + cities[i%len(cities)] + `","tags":["lead","q` + strconv.Itoa(i%4+1) + `"],`)
		b.WriteString(`"active":` + strconv.FormatBool(i%3 != 0) + `,"visits":` + strconv.Itoa(i*7%1000) + `}`)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}()

// A way of reading an input: one function for the instances of the
// reference schema, one for the large input. Each returns whether the
// input is valid (for encoding/json and go-json: whether it decodes).
type way struct {
	name         string
	small, large func([]byte) bool
}

var ways = []way{
	{"generated",
		func(b []byte) bool { _, err := DecodeInput(b); return err == nil },
		func(b []byte) bool { _, err := large.DecodeInput(b); return err == nil }},
	{"unmarshal",
		func(b []byte) bool { var in Input; return json.Unmarshal(b, &in) == nil },
		func(b []byte) bool { var in large.Input; return json.Unmarshal(b, &in) == nil }},
	{"gojson",
		func(b []byte) bool { var in Input; return gojson.Unmarshal(b, &in) == nil },
		func(b []byte) bool { var in large.Input; return gojson.Unmarshal(b, &in) == nil }},
	{"santhosh",
		func(b []byte) bool { return validates(compiled, b) },
		func(b []byte) bool { return validates(compiledLarge, b) }},
}

// The three ways of reading an input of the reference schema, by name.
var (
	generated = ways[0].small
	unmarshal = ways[1].small
	santhosh  = ways[3].small
)

// validates decodes b to a generic value and validates it with schema.
func validates(schema *jsonschema.Schema, b []byte) bool {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return false
	}
	return schema.Validate(v) == nil
}

// BenchmarkDecode measures each way on each instance: the valid and the
// invalid input of the reference schema (about 300 B each) and the large
// valid input (about 100 KB). Run it through go run
// ./generator/internal/bench/cmd for the side-by-side table.
func BenchmarkDecode(b *testing.B) {
	instances := []struct {
		name  string
		data  []byte
		large bool
	}{{"valid", valid, false}, {"invalid", invalid, false}, {"large", largeInput, true}}
	for _, w := range ways {
		b.Run(w.name, func(b *testing.B) {
			for _, in := range instances {
				f := w.small
				if in.large {
					f = w.large
				}
				b.Run(in.name, func(b *testing.B) {
					b.ReportAllocs()
					b.SetBytes(int64(len(in.data)))
					for b.Loop() {
						f(in.data)
					}
				})
			}
		})
	}
}

// TestVerdicts checks what the benchmark measures: the generated decoder
// and santhosh agree on the instances, the invalid one has every expected
// violation, sorted, encoding/json and go-json read the valid ones, and
// the large input is as large as said and decodes to the same value
// every way.
func TestVerdicts(t *testing.T) {
	for _, w := range ways {
		if !w.large(largeInput) {
			t.Errorf("the large input is invalid to %s", w.name)
		}
	}
	if n := len(largeInput); n < 90<<10 || n > 110<<10 {
		t.Errorf("the large input has %d bytes, want about 100 KB", n)
	}
	var viaJSON, viaGoJSON large.Input
	generatedLarge, err := large.DecodeInput(largeInput)
	if err != nil || json.Unmarshal(largeInput, &viaJSON) != nil || gojson.Unmarshal(largeInput, &viaGoJSON) != nil {
		t.Fatalf("large input: %v", err)
	}
	if !reflect.DeepEqual(generatedLarge, viaJSON) || !reflect.DeepEqual(viaJSON, viaGoJSON) || len(viaJSON.Contacts) != 800 {
		t.Errorf("the large input decodes differently: %d contacts", len(viaJSON.Contacts))
	}
	if !generated(valid) || !santhosh(valid) || !unmarshal(valid) {
		t.Fatalf("valid.json: generated %v, santhosh %v, unmarshal %v", generated(valid), santhosh(valid), unmarshal(valid))
	}
	if generated(invalid) || santhosh(invalid) {
		t.Fatalf("invalid.json: generated %v, santhosh %v", generated(invalid), santhosh(invalid))
	}
	_, err = DecodeInput(invalid)
	var verr *decode.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("invalid.json: %v", err)
	}
	var got []string
	for _, v := range verr.Violations {
		got = append(got, v.Pointer+" "+v.Keyword)
	}
	want := []string{
		"/dryRun type",
		"/files/0/extra additionalProperties",
		"/files/0/mode enum",
		"/files/0/path minLength",
		"/files/0/sizeLimit maximum",
		"/files/1/path required",
		"/format enum",
		"/level type",
		"/name pattern",
		"/retention minimum",
		"/tags/0 minLength",
		"/tags/1 maxLength",
		"/target/bucket required",
		"/target/prefix type",
		"/what additionalProperties",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestAllocations holds the allocation targets, which unlike timings are
// deterministic: the generated decoder allocates at most a fifth of what
// santhosh does, on both instances, and on the valid one no more than
// encoding/json.
func TestAllocations(t *testing.T) {
	for _, in := range []struct {
		name string
		data []byte
	}{{"valid", valid}, {"invalid", invalid}} {
		gen := testing.AllocsPerRun(100, func() { generated(in.data) })
		san := testing.AllocsPerRun(100, func() { santhosh(in.data) })
		unm := testing.AllocsPerRun(100, func() { unmarshal(in.data) })
		t.Logf("%s: allocs/op generated %.0f, unmarshal %.0f, santhosh %.0f", in.name, gen, unm, san)
		if gen*5 > san {
			t.Errorf("%s: the generated decoder allocates %.0f times per run, more than a fifth of santhosh's %.0f", in.name, gen, san)
		}
		if in.name == "valid" && gen > unm {
			t.Errorf("%s: the generated decoder allocates %.0f times per run, more than encoding/json's %.0f", in.name, gen, unm)
		}
	}
}

// TestViolationOrder checks the order of violations of a generated
// decoder: by pointer, array indexes as numbers (the decode package tests
// the order itself).
func TestViolationOrder(t *testing.T) {
	// Twelve files, each with a bad mode: /files/2 comes before /files/10.
	in := `{"name":"n","files":[` + strings.TrimSuffix(strings.Repeat(`{"path":"p","mode":"x"},`, 12), ",") + `]}`
	_, err := DecodeInput([]byte(in))
	var verr *decode.ValidationError
	if !errors.As(err, &verr) || len(verr.Violations) != 12 {
		t.Fatalf("got %v, want 12 violations", err)
	}
	for i, v := range verr.Violations {
		if want := "/files/" + strconv.Itoa(i) + "/mode"; v.Pointer != want {
			t.Errorf("violation %d at %s, want %s", i, v.Pointer, want)
		}
	}
}

// TestManyViolations decodes a 2 MB input with a million invalid items:
// the error details the first hundred violations and counts the others,
// and decoding allocates little beyond that (no value is kept once the
// input is known to be invalid).
func TestManyViolations(t *testing.T) {
	const n = 1000000
	in := []byte(`{"name":"n","files":[{"path":"p"}],"tags":[` + strings.Repeat("1,", n-1) + `1]}`)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := DecodeInput(in)
	runtime.ReadMemStats(&after)
	var verr *decode.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("got %v, want a *decode.ValidationError", err)
	}
	if len(verr.Violations) != 100 || verr.Total != n+1 {
		t.Errorf("got %d violations of %d, want 100 of %d", len(verr.Violations), verr.Total, n+1)
	}
	msg := err.Error()
	if len(msg) > 10000 || !strings.HasSuffix(msg, "; and 999901 more violations") {
		t.Errorf("error of %d bytes, ending %q", len(msg), msg[max(0, len(msg)-60):])
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("input %d bytes, error %d bytes, %d bytes allocated", len(in), len(msg), alloc)
	if alloc > 1<<20 {
		t.Errorf("decoding allocated %d bytes, want at most 1 MiB", alloc)
	}
}

// TestDecoderReuse decodes inputs of every outcome one after the other
// and from several goroutines at once, so that the decoders Finish
// releases are reused by decodings of other outcomes: each result must be
// what a first decoding gives, and a result must not change when later
// decodings reuse the decoder that made it.
func TestDecoderReuse(t *testing.T) {
	inputs := [][]byte{valid, invalid, []byte(`{"name": "x", "files": [`), largeInput[:200], invalid, valid}
	describe := func(b []byte) string {
		in, err := DecodeInput(b)
		if err != nil {
			return err.Error()
		}
		out, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	want := make([]string, len(inputs))
	for i, in := range inputs {
		want[i] = describe(in)
	}
	// A result kept across the decodings below.
	_, kept := DecodeInput(invalid)
	keptText := kept.Error()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				for i, in := range inputs {
					if got := describe(in); got != want[i] {
						t.Errorf("input %d: got %s, want %s", i, got, want[i])
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if kept.Error() != keptText {
		t.Errorf("a kept error changed to %s", kept.Error())
	}
}

package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// propertiesSchema is an object of n optional string properties.
func propertiesSchema(n int) []byte {
	props := map[string]any{}
	for i := 0; i < n; i++ {
		props["p"+strconv.Itoa(i)] = map[string]any{"type": "string"}
	}
	b, _ := json.Marshal(map[string]any{"type": "object", "properties": props})
	return b
}

// enumSchema is an object with one property, a string enum of n values.
func enumSchema(n int) []byte {
	values := make([]string, n)
	for i := range values {
		values[i] = "v" + strconv.Itoa(i)
	}
	b, _ := json.Marshal(map[string]any{"type": "object", "properties": map[string]any{"e": map[string]any{"type": "string", "enum": values}}})
	return b
}

// newLarge runs "direktiv-fn new" in process on the schema src, writing
// into a fresh folder under root, and returns the bytes written.
func newLarge(tb testing.TB, root string, src []byte) int64 {
	tb.Helper()
	name := filepath.Join(root, "input.schema.json")
	if err := os.WriteFile(name, src, 0o644); err != nil {
		tb.Fatal(err)
	}
	dir, err := os.MkdirTemp(root, "fn")
	if err != nil {
		tb.Fatal(err)
	}
	var stderr strings.Builder
	if code := Main(context.Background(), []string{"new", "fn", "--schema", name, "--dir", dir, "--force", "--no-input"}, strings.NewReader(""), io.Discard, &stderr); code != 0 {
		tb.Fatalf("exit %d: %s", code, stderr.String())
	}
	var size int64
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		size += info.Size()
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		tb.Fatal(err)
	}
	return size
}

// BenchmarkNewLarge times "direktiv-fn new" in process for large schemas
// and reports the megabytes it writes: 1,000 string properties, and an
// enum of 100,000 and of 400,000 values.
func BenchmarkNewLarge(b *testing.B) {
	for _, c := range []struct {
		name string
		src  []byte
	}{
		{"properties-1000", propertiesSchema(1000)},
		{"enum-100000", enumSchema(100000)},
		{"enum-400000", enumSchema(400000)},
	} {
		b.Run(c.name, func(b *testing.B) {
			root := b.TempDir()
			var size int64
			for b.Loop() {
				size = newLarge(b, root, c.src)
			}
			b.ReportMetric(float64(size)/1e6, "MB-written")
		})
	}
}

// BenchmarkNewGrowth times "direktiv-fn new" for 250 to 2,000 string
// properties and reports the time and the bytes written per property:
// both stay flat when every stage is linear.
func BenchmarkNewGrowth(b *testing.B) {
	for _, n := range []int{250, 500, 1000, 2000} {
		b.Run(fmt.Sprintf("properties-%d", n), func(b *testing.B) {
			src := propertiesSchema(n)
			root := b.TempDir()
			var size int64
			for b.Loop() {
				size = newLarge(b, root, src)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/property")
			b.ReportMetric(float64(size)/float64(n), "B-written/property")
		})
	}
}

// TestNewGrowsLinearly checks what "new" writes for 1,000 and 2,000 string
// properties: under 5 MB for 1,000, and twice the properties write about
// twice the bytes (the generated tests used to grow with the square of the
// property count, each case holding the whole input).
func TestNewGrowsLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("generates large projects")
	}
	root := t.TempDir()
	small, large := newLarge(t, root, propertiesSchema(1000)), newLarge(t, root, propertiesSchema(2000))
	t.Logf("1,000 properties: %d bytes; 2,000: %d bytes", small, large)
	if small > 5e6 {
		t.Errorf("1,000 properties write %d bytes, want under 5 MB", small)
	}
	if float64(large) > 2.1*float64(small) {
		t.Errorf("2,000 properties write %d bytes, more than 2.1 times the %d of 1,000", large, small)
	}
}

package generator

import (
	"strings"
	"testing"
)

func TestValidateImage(t *testing.T) {
	for _, ok := range []string{
		"myfunc", "localhost:5000/hello:v1", "registry.example.com/team/myfunc:1.2.3",
		"ghcr.io/o/fn@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"[::1]:5000/fn", "my_func__x-y/z.w:latest",
	} {
		if err := ValidateImage(ok); err != nil {
			t.Errorf("ValidateImage(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "has space", "Upper/Case", "fn:", "fn:-tag", "/fn", "fn/", "http://x/y", "fn@sha256:12"} {
		if err := ValidateImage(bad); err == nil || !strings.Contains(err.Error(), "invalid image") {
			t.Errorf("ValidateImage(%q) = %v, want an invalid image error", bad, err)
		}
	}
}

func TestValidateModule(t *testing.T) {
	for _, ok := range []string{"myfunc", "example.com/x", "github.com/you/my-func", "timer", "time.example.com/x", "a/b/v2"} {
		if err := ValidateModule(ok); err != nil {
			t.Errorf("ValidateModule(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Foo Bar", "example.com/x/", "/x", "example.com/x@v1", "http://x.com/y", "a//b", "a/../b", "x.", "-x"} {
		if err := ValidateModule(bad); err == nil || !strings.Contains(err.Error(), "invalid module path") {
			t.Errorf("ValidateModule(%q) = %v, want an invalid module path error", bad, err)
		}
	}
	for _, std := range []string{"time", "log", "main", "net/foo", "std"} {
		if err := ValidateModule(std); err == nil || !strings.Contains(err.Error(), "collides with the standard library") {
			t.Errorf("ValidateModule(%q) = %v, want a collision error", std, err)
		}
	}
	if got := DefaultModule("time"); got != "example.com/time" {
		t.Errorf("DefaultModule(time) = %q", got)
	}
	if got := DefaultModule("hello"); got != "hello" {
		t.Errorf("DefaultModule(hello) = %q", got)
	}
}

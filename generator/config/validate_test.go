package config

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
	if got := DefaultModule("time", "localhost:5000/time:v1"); got != "example.com/time" {
		t.Errorf("DefaultModule(time) = %q", got)
	}
	if got := DefaultModule("hello", "localhost:5000/hello:v1"); got != "hello" {
		t.Errorf("DefaultModule(hello) = %q", got)
	}
}

// TestModuleFromImage: an image on a registry with a domain name suggests
// the module path; a code host's registry suggests the code host.
func TestModuleFromImage(t *testing.T) {
	for image, want := range map[string]string{
		"ghcr.io/acme/sms-send":                        "github.com/acme/sms-send",
		"ghcr.io/acme/sms-send:v1":                     "github.com/acme/sms-send",
		"registry.gitlab.com/group/sub/fn:1.0":         "gitlab.com/group/sub/fn",
		"registry.example.com/team/fn:v1":              "registry.example.com/team/fn",
		"registry.example.com/fn@sha256:" + sha256Zero: "registry.example.com/fn",
		"localhost:5000/fn:v1":                         "",
		"registry.example.com:5000/fn":                 "",
		"acme/fn":                                      "",
		"fn":                                           "",
		"docker.io/acme/fn":                            "",
	} {
		if got := ModuleFromImage(image); got != want {
			t.Errorf("ModuleFromImage(%q) = %q, want %q", image, got, want)
		}
	}
	if got := DefaultModule("sms-send", "ghcr.io/acme/sms-send:v1"); got != "github.com/acme/sms-send" {
		t.Errorf("DefaultModule(sms-send, ghcr.io/acme/sms-send:v1) = %q", got)
	}
}

// sha256Zero is a digest's hex part.
const sha256Zero = "0000000000000000000000000000000000000000000000000000000000000000"

func TestBuildTag(t *testing.T) {
	d := "@sha256:0123456789abcdef0123456789abcdef"
	for in, want := range map[string]string{
		"fn":                      "fn",
		"fn:v1":                   "fn:v1",
		"fn" + d:                  "fn:latest",
		"fn:v1" + d:               "fn:v1",
		"localhost:5000/fn" + d:   "localhost:5000/fn:latest",
		"localhost:5000/fn:v" + d: "localhost:5000/fn:v",
		"r.io/a/b:1.2" + d:        "r.io/a/b:1.2",
	} {
		if got := BuildTag(in); got != want {
			t.Errorf("BuildTag(%q) = %q, want %q", in, got, want)
		}
	}
}

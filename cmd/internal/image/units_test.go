package image

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParsePlatforms(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{in: "linux/amd64", want: "linux/amd64"},
		{in: "linux/amd64, linux/arm64,linux/arm/v7", want: "linux/amd64 linux/arm64 linux/arm/v7"},
		{in: "linux/amd64/v3", want: "linux/amd64/v3"},
		{in: "windows/amd64", err: `platform "windows/amd64": Direktiv runs Linux containers; write linux/amd64`},
		{in: "linux/amd64,linux/amd64", err: `platform "linux/amd64" is given twice`},
		{in: "linux/amd64,", err: "has an empty entry"},
		{in: "amd64", err: `platform "amd64": write os/arch[/variant]`},
		{in: "linux/arm/v9", err: `variant "v9" is not one Go builds for`},
	} {
		ps, err := ParsePlatforms(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParsePlatforms(%q): %v; want %q", tc.in, err, tc.err)
			}
			continue
		}
		var got []string
		for _, p := range ps {
			got = append(got, p.String())
		}
		if err != nil || strings.Join(got, " ") != tc.want {
			t.Errorf("ParsePlatforms(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestReadCACerts(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.pem")
	os.WriteFile(good, append([]byte("# a comment\n"), testCA()...), 0o644)
	junk := filepath.Join(dir, "junk.pem")
	os.WriteFile(junk, []byte("not a certificate\n"), 0o644)

	b, from, err := ReadCACerts("", []string{filepath.Join(dir, "missing.pem"), good})
	if err != nil || from != good || !strings.Contains(string(b), "BEGIN CERTIFICATE") {
		t.Errorf("the first existing candidate: %q %v", from, err)
	}
	if _, _, err := ReadCACerts(junk, nil); err == nil || !strings.Contains(err.Error(), "holds no PEM certificate") {
		t.Errorf("a file without certificates: %v", err)
	}
	if _, _, err := ReadCACerts(dir, nil); err == nil || !strings.Contains(err.Error(), "is not a file") {
		t.Errorf("a folder: %v", err)
	}
	_, _, err = ReadCACerts("", []string{filepath.Join(dir, "a"), filepath.Join(dir, "b")})
	if err == nil || !strings.Contains(err.Error(), "no CA certificate bundle on this machine (looked for "+filepath.Join(dir, "a")+", ") || !strings.Contains(err.Error(), "--ca-certs FILE") {
		t.Errorf("no candidate: %v", err)
	}
}

func TestSourceURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/org/fn.git":            "https://github.com/org/fn.git",
		"https://user:ghp_token@github.com/org/fn": "https://github.com/org/fn",
		"git@github.com:org/fn.git":                "https://github.com/org/fn",
		"ssh://git@gitlab.example.com:2222/org/fn": "ssh://gitlab.example.com:2222/org/fn",
		"/srv/git/fn.git":                          "",
		"../fn":                                    "",
	} {
		if got := sourceURL(in); got != want {
			t.Errorf("sourceURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReadStamp reads a real git repository: the commit's hash and time,
// a dirty tree, the origin without its credentials; SOURCE_DATE_EPOCH
// wins over the commit time.
func TestReadStamp(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	gitRun := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE=2024-05-06T07:08:09Z", "GIT_COMMITTER_DATE=2024-05-06T07:08:09Z",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	ctx := context.Background()
	s, err := ReadStamp(ctx, dir, "")
	if err != nil || s.CreatedFrom != "epoch" || !s.Created.Equal(time.Unix(0, 0)) || s.Revision != "" {
		t.Errorf("outside git: %+v %v", s, err)
	}
	gitRun("init", "-q")
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n"), 0o644)
	gitRun("add", ".")
	gitRun("commit", "-q", "-m", "first")
	gitRun("remote", "add", "origin", "https://user:secret@example.com/org/fn.git")
	s, err = ReadStamp(ctx, dir, "")
	if err != nil || s.CreatedFrom != "commit" || s.Created.Format(time.RFC3339) != "2024-05-06T07:08:09Z" || len(s.Revision) != 40 || s.Dirty || s.Source != "https://example.com/org/fn.git" {
		t.Errorf("a clean commit: %+v %v", s, err)
	}
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main // edited\n"), 0o644)
	s, err = ReadStamp(ctx, dir, "1700000000")
	if err != nil || !s.Dirty || s.CreatedFrom != "SOURCE_DATE_EPOCH" || s.Created.Unix() != 1700000000 {
		t.Errorf("a dirty tree with SOURCE_DATE_EPOCH: %+v %v", s, err)
	}
	if _, err := ReadStamp(ctx, dir, "yesterday"); err == nil || !strings.Contains(err.Error(), `SOURCE_DATE_EPOCH="yesterday" is not a number`) {
		t.Errorf("a bad SOURCE_DATE_EPOCH: %v", err)
	}
}

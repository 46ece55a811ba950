package image

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Stamp is what an image records about the source it was built from.
type Stamp struct {
	// Created is the image's creation time: SOURCE_DATE_EPOCH, else the
	// time of the commit, else the Unix epoch. It is the same for every
	// build of a commit, so that the builds give the same digest.
	Created time.Time
	// CreatedFrom says where Created came from: "SOURCE_DATE_EPOCH",
	// "commit" or "epoch" (neither was there).
	CreatedFrom string
	// Revision is the commit's hash; empty outside a git repository.
	Revision string
	// Dirty is true when the folder has uncommitted changes: the image is
	// built from the working tree, though its revision names the commit.
	Dirty bool
	// Source is the repository's URL: the remote "origin", without
	// credentials, an scp-like address (git@host:path) as https.
	Source string
}

// ReadStamp reads the stamp of the repository holding dir. sourceDateEpoch
// is $SOURCE_DATE_EPOCH ("" when unset). Outside a git repository, or
// without git, the revision and the source are empty.
func ReadStamp(ctx context.Context, dir, sourceDateEpoch string) (Stamp, error) {
	var s Stamp
	commitTime := ""
	if out, err := git(ctx, dir, "log", "-1", "--format=%H %ct"); err == nil {
		s.Revision, commitTime, _ = strings.Cut(out, " ")
		if st, err := git(ctx, dir, "status", "--porcelain", "--", "."); err == nil && st != "" {
			s.Dirty = true
		}
		if u, err := git(ctx, dir, "config", "--get", "remote.origin.url"); err == nil {
			s.Source = sourceURL(u)
		}
	} else if ctx.Err() != nil {
		return s, ctx.Err()
	}
	switch {
	case sourceDateEpoch != "":
		sec, err := strconv.ParseInt(sourceDateEpoch, 10, 64)
		if err != nil || sec < 0 {
			return s, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds since 1970-01-01 (try: export SOURCE_DATE_EPOCH=$(git log -1 --format=%%ct))", sourceDateEpoch)
		}
		s.Created, s.CreatedFrom = time.Unix(sec, 0).UTC(), "SOURCE_DATE_EPOCH"
	case commitTime != "":
		sec, err := strconv.ParseInt(commitTime, 10, 64)
		if err != nil {
			return s, fmt.Errorf("git log gave the commit time %q, not a number", commitTime)
		}
		s.Created, s.CreatedFrom = time.Unix(sec, 0).UTC(), "commit"
	default:
		s.Created, s.CreatedFrom = time.Unix(0, 0).UTC(), "epoch"
	}
	return s, nil
}

// git runs git in dir and returns its trimmed output.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", errors.Join(err, errors.New(strings.TrimSpace(errOut.String())))
	}
	return strings.TrimSpace(out.String()), nil
}

// sourceURL turns a git remote into the URL an image label can show: the
// credentials of an https remote are dropped (a token must never reach an
// image), and an scp-like address, git@github.com:org/repo.git, becomes
// https://github.com/org/repo.
func sourceURL(remote string) string {
	if u, err := url.Parse(remote); err == nil && u.Scheme != "" && u.Host != "" {
		u.User = nil
		return u.String()
	}
	userHost, p, ok := strings.Cut(remote, ":")
	if !ok || strings.Contains(userHost, "/") || p == "" {
		return "" // a local path: nothing anyone else can fetch
	}
	host := userHost[strings.LastIndexByte(userHost, '@')+1:]
	return "https://" + host + "/" + strings.TrimSuffix(strings.TrimPrefix(p, "/"), ".git")
}

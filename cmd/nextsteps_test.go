package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// nextStepsFakeDocker stands for "docker run" on the data folder: it fails
// unless the folders Direktiv creates are there and the last run's outputs
// are gone, then writes out.log, output.json (the input) or, with
// $FAKE_FAIL, error.json, and done.
const nextStepsFakeDocker = `#!/bin/sh
user= dir=
while [ $# -gt 0 ]; do
	case $1 in
	--user) user=$2; shift ;;
	-v) dir=${2%:/direktiv-data}; shift ;;
	esac
	shift
done
[ "$user" = "$(id -u):$(id -g)" ] || { echo "user $user" >&2; exit 1; }
for d in namespace workflow instance; do
	[ -d "$dir/vars/out/$d" ] || { echo "no vars/out/$d" >&2; exit 1; }
done
for f in out.log output.json error.json done; do
	[ ! -e "$dir/$f" ] || { echo "$f left by the last run" >&2; exit 1; }
done
echo "a log line" >"$dir/out.log"
if [ -n "$FAKE_FAIL" ]; then
	echo '{"code":"myfunc.failed","message":"boom"}' >"$dir/error.json"
else
	cat "$dir/input.json" >"$dir/output.json"
fi
: >"$dir/done"
`

// TestNewIsolatedNextStepsRun runs the isolated next steps' data folder
// lines twice, with a fake docker: the second run, which fails, must show
// its own error, not the first run's output.
func TestNewIsolatedNextStepsRun(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the next steps are POSIX shell")
	}
	dir := inTempDir(t)
	if err := os.WriteFile("my.schema.json", []byte(smallSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	res := run{args: []string{"new", "myfunc", "--mode", "isolated", "--schema", "my.schema.json",
		"--image", "registry.example.com/myfunc", "--dir", "fn", "--no-input"}}.exec(t)
	if res.code != ExitOK {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	_, steps, ok := strings.Cut(res.stdout, "# run one call")
	if !ok {
		t.Fatalf("no data folder run in the next steps:\n%s", res.stdout)
	}
	steps, _, _ = strings.Cut(steps, "\n  docker push")
	_, steps, _ = strings.Cut(steps, "\n")

	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "docker"), []byte(nextStepsFakeDocker), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		fail string
		want string
	}{
		{"", `{"n":3}`},
		{"1", `"message":"boom"`},
	} {
		cmd := exec.Command("sh", "-e", "-c", steps)
		cmd.Dir = filepath.Join(dir, "fn")
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "FAKE_FAIL="+tt.fail, "PWD="+cmd.Dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("FAKE_FAIL=%q: %v\n%s\nsteps:\n%s", tt.fail, err, out, steps)
		}
		if got := string(out); !strings.Contains(got, "a log line\n") || !strings.Contains(got, tt.want) || tt.fail != "" && strings.Contains(got, `{"n":3}`) {
			t.Errorf("FAKE_FAIL=%q: output %q, want the log and %s only", tt.fail, got, tt.want)
		}
	}
}

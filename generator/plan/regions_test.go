package plan

import (
	"strings"
	"testing"
)

func TestReplaceRegions(t *testing.T) {
	fresh := "# T\n<!-- direktiv-fn:input:begin -->\nnew input\n<!-- direktiv-fn:input:end -->\ntext\n<!-- direktiv-fn:errors:begin -->\n| new |\n| rows |\n<!-- direktiv-fn:errors:end -->\n"
	for _, tt := range []struct {
		name, existing, want, missing, err string
	}{
		{
			name:     "both regions, user text kept",
			existing: "# My title\nmine\n<!-- direktiv-fn:errors:begin -->\n| old |\n<!-- direktiv-fn:errors:end -->\nmore of mine\n<!-- direktiv-fn:input:begin -->\nold\n<!-- direktiv-fn:input:end -->",
			want:     "# My title\nmine\n<!-- direktiv-fn:errors:begin -->\n| new |\n| rows |\n<!-- direktiv-fn:errors:end -->\nmore of mine\n<!-- direktiv-fn:input:begin -->\nnew input\n<!-- direktiv-fn:input:end -->",
		},
		{
			name:     "a region removed by the user",
			existing: "x\n<!-- direktiv-fn:errors:begin -->\n<!-- direktiv-fn:errors:end -->\n",
			want:     "x\n<!-- direktiv-fn:errors:begin -->\n| new |\n| rows |\n<!-- direktiv-fn:errors:end -->\n",
			missing:  "input",
		},
		{
			name:     "unknown regions are left alone",
			existing: "<!-- direktiv-fn:other:begin -->\nz\n<!-- direktiv-fn:other:end -->\n",
			want:     "<!-- direktiv-fn:other:begin -->\nz\n<!-- direktiv-fn:other:end -->\n",
			missing:  "input,errors",
		},
		{name: "no end", existing: "<!-- direktiv-fn:errors:begin -->\n", err: `region "errors" has no end marker (direktiv-fn:errors:end)`},
		{name: "nested", existing: "<!-- direktiv-fn:errors:begin -->\n<!-- direktiv-fn:input:begin -->\n", err: `line 2: region "input" begins inside region "errors"`},
		{name: "stray end", existing: "a\n<!-- direktiv-fn:errors:end -->\n", err: `line 2: region "errors" ends but was not begun`},
		{name: "twice", existing: "<!-- direktiv-fn:errors:begin -->\n<!-- direktiv-fn:errors:end -->\n<!-- direktiv-fn:errors:begin -->\n<!-- direktiv-fn:errors:end -->\n", err: `line 3: region "errors" appears twice`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, missing, err := ReplaceRegions([]byte(tt.existing), []byte(fresh))
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			if strings.Join(missing, ",") != tt.missing {
				t.Errorf("missing %v, want %s", missing, tt.missing)
			}
		})
	}
}

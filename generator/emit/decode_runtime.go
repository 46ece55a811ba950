package emit

import "sort"

// Runtime lists the optional parts of jsondecode.gen.go that the
// generated decoder uses, so that the runtime holds no dead code.
type Runtime struct {
	used map[string]bool
}

// runtimeDeps lists, for each optional part of the runtime, the other
// parts and the imports it needs.
var runtimeDeps = map[string][]string{
	"readInt":           {"inputSmallInt", "inputInt"},
	"readFloat":         {"inputSmallInt"},
	"inputInt":          {"inputNumber"},
	"inputCompare":      {"inputNumber", "cmp"},
	"inputNumIn":        {"inputCompare", "num"},
	"inputMultiple":     {"math/big", "inputNumber"},
	"inputRat":          {"math/big"},
	"readAny":           {"encoding/json"},
	"failNum":           {"num"},
	"failQuote":         {"quote"},
	"failAny":           {"quote", "encoding/json"},
	"failOneOf":         {"fail"},
	"inputMember":       {"encoding/json"},
	"inputTypeOf":       {"encoding/json", "inputNumber"},
	"inputEqual":        {"encoding/json", "inputCompare"},
	"inputIn":           {"inputEqual"},
	"inputDuplicateAny": {"inputNumber"},
	"recheck":           {"readCache"},
	"uniqueAgain":       {"readCache", "inputDuplicateAny", "failUnique"},
	"readCache":         {"readAny"},
	"reject":            {"push", "pop", "fail"},
	"checkName":         {"push", "pop", "quote"},
	"missing":           {"push", "pop", "fail"},
	"push":              {"pop"},
	"pushIndex":         {"pop"},
}

// use records that the generated code uses the named runtime parts.
func (r *Runtime) use(names ...string) {
	if r.used == nil {
		r.used = map[string]bool{}
	}
	for _, n := range names {
		if !r.used[n] {
			r.used[n] = true
			r.use(runtimeDeps[n]...)
		}
	}
}

// Uses reports whether the runtime part (a function, method, field or
// import) named name is used.
func (r Runtime) Uses(name string) bool { return r.used[name] }

// Used returns the names of the runtime parts used, sorted.
func (r Runtime) Used() []string {
	var out []string
	for n := range r.used {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

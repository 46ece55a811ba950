// Package workflow checks a Direktiv workflow file the way the Direktiv
// versions of a function mode's era parse it: every object strictly (an
// unknown key is an error), the function and state ids, the function types
// of the era, the top-level id and direktiv_api of the era, the functions
// the actions call, the transitions and the retry policies. It reports every
// problem with file:line:col. It is a clean-room reading of Direktiv's
// model (pkg/model, v0.4.0 to v0.10.0); what it does not model precisely
// (some state types) it reports as a warning rather than accept silently.
package workflow

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
	"github.com/direktiv-fn/direktiv-fn/schema/suggest"
)

// Options say what to check a workflow for.
type Options struct {
	// Era is the Direktiv era whose rules apply.
	Era direktiv.Era
	// Function, when set, is the function of the repository the workflow
	// belongs to: the catch and retries patterns of the actions that call
	// it are checked against its codes.
	Function *Function
}

// Function is what the checker knows of the repository's function.
type Function struct {
	// ID and Image are the manifest's: a function entry with that id, or
	// with an image of the same repository, is this function.
	ID, Image string
	// Service, for a namespace service, is the path of its service file: a
	// knative-namespace entry naming it is this function too.
	Service string
	// Codes are every error code the function returns ("fn.badInput").
	Codes []string
}

// Check parses data, the content of file, as a workflow and returns every
// problem found under the rules of opt.Era, sorted by position. An era
// without a model is a programming error: it panics.
func Check(file string, data []byte, opt Options) Diagnostics {
	e := models()[opt.Era.Key]
	if e == nil {
		panic(fmt.Sprintf("workflow.Check: no model of era %q", opt.Era.Key))
	}
	c := &checker{file: file, era: e, fn: opt.Function, functions: map[string]bool{}, states: map[string]bool{}, images: map[string]string{}, services: map[string]string{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 1
		if m := yamlLine().FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = yamlLine().ReplaceAllString(msg, "")
		c.diags = append(c.diags, Diagnostic{File: file, Line: line, Col: 1, Message: "invalid YAML: " + msg})
		return c.diags
	}
	if len(doc.Content) == 0 {
		c.diags = append(c.diags, Diagnostic{File: file, Line: 1, Col: 1, Message: "the file is empty: a workflow needs at least states"})
		return c.diags
	}
	c.workflow(resolve(doc.Content[0]))
	c.fileName()
	return sortDiagnostics(c.diags)
}

// fileName warns when the file's name cannot be a segment of the path
// Direktiv stores the workflow under (the knative era names a workflow by
// its path, not by a top-level id).
func (c *checker) fileName() {
	if c.era.pathPattern == nil || c.file == "" {
		return
	}
	if base := filepath.Base(c.file); !c.era.pathPattern().MatchString(base) {
		c.diags = append(c.diags, Diagnostic{File: c.file, Line: 1, Col: 1, Severity: Warning,
			Message: fmt.Sprintf("the file name %q is not a valid name in a Direktiv path (%s): store the workflow under a name that matches", base, c.era.pathPattern())})
	}
}

// yamlLine finds the line number in a yaml.v3 error.
var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line (\d+): `) })

// ref is a name used somewhere that must be declared elsewhere.
type ref struct {
	name string
	at   *yaml.Node
}

// checker collects the diagnostics of one file.
type checker struct {
	file  string
	era   *era
	fn    *Function
	diags Diagnostics
	// images are the image of each declared function that has one;
	// services the service of each that has one.
	images, services map[string]string
	// functions and states are the declared ids.
	functions, states map[string]bool
	// transitions name states; calls name functions.
	transitions, called []ref
}

func (c *checker) report(n *yaml.Node, sev Severity, format string, args ...any) {
	c.diags = append(c.diags, Diagnostic{File: c.file, Line: n.Line, Col: n.Column, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) errorf(n *yaml.Node, format string, args ...any) {
	c.report(n, Error, format, args...)
}

func (c *checker) warnf(n *yaml.Node, format string, args ...any) {
	c.report(n, Warning, format, args...)
}

// workflow checks the document's root.
func (c *checker) workflow(root *yaml.Node) {
	if root.Kind != yaml.MappingNode {
		c.errorf(root, "a workflow must be a mapping, not %s", describe(root))
		return
	}
	c.object(root, c.era.top)
	if v := lookup(root, "functions"); v != nil {
		c.functionList(v)
	}
	if v := lookup(root, "states"); v != nil {
		c.stateList(v)
	}
	if v := lookup(root, "start"); v != nil {
		c.start(v)
	}
	for _, r := range c.transitions {
		if !c.states[r.name] {
			c.errorf(r.at, "transition to %q: no state has that id%s%s", r.name, suggest.Hint(r.name, sortedKeys(c.states)), c.known("states", c.states))
		}
	}
	c.ownCodes(root)
	c.unreachable(root)
	for _, r := range c.called {
		if !c.functions[r.name] {
			c.errorf(r.at, "action function %q is not declared in functions%s%s", r.name, suggest.Hint(r.name, sortedKeys(c.functions)), c.known("functions", c.functions))
		}
	}
}

// known lists the declared names, for a message.
func (c *checker) known(what string, names map[string]bool) string {
	if len(names) == 0 {
		return " (there are no " + what + ")"
	}
	return " (" + what + ": " + strings.Join(sortedKeys(names), ", ") + ")"
}

// object checks a mapping against o: unknown and duplicate keys, the shape
// of each value, the required keys, then o's own rules.
func (c *checker) object(n *yaml.Node, o *object) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		c.errorf(n, "%s must be a mapping, not %s", o.what, describe(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		key := k.Value
		if seen[key] {
			c.errorf(k, "duplicate key %q in %s", key, o.what)
			continue
		}
		seen[key] = true
		f, ok := o.fields[key]
		if !ok {
			if o.lenient {
				c.warnf(k, "unknown key %q in %s%s: Direktiv ignores it (%s reads: %s)", key, o.what, suggest.Hint(key, fieldNames(o)), c.era.name, strings.Join(fieldNames(o), ", "))
			} else if hint, ok := o.hints[key]; ok {
				c.errorf(k, "unknown key %q in %s: %s", key, o.what, hint)
			} else {
				c.errorf(k, "unknown key %q in %s%s (%s accepts: %s)", key, o.what, suggest.Hint(key, fieldNames(o)), c.era.name, strings.Join(fieldNames(o), ", "))
			}
			continue
		}
		if v.Tag == "!!null" {
			continue
		}
		c.value(k, v, f)
	}
	for _, name := range fieldNames(o) {
		if o.fields[name].required {
			if v := lookup(n, name); v == nil || resolve(v).Tag == "!!null" {
				c.errorf(n, "%s needs %q", o.what, name)
			}
		}
	}
	if o.check != nil {
		o.check(c, n)
	}
}

// value checks the shape of v, the value of key k.
func (c *checker) value(k, v *yaml.Node, f field) {
	key := k.Value
	switch f.kind {
	case kAny:
	case kString:
		if !isScalar(v, "!!str") {
			c.errorf(v, "%q must be a string, not %s", key, describe(v))
			return
		}
		if len(f.enum) > 0 && !contains(f.enum, v.Value) {
			c.errorf(v, "%q must be one of %s, not %q", key, strings.Join(f.enum, ", "), v.Value)
		}
	case kInt:
		if !isScalar(v, "!!int") {
			c.errorf(v, "%q must be an integer, not %s", key, describe(v))
		}
	case kNumber:
		if !isScalar(v, "!!int") && !isScalar(v, "!!float") {
			c.errorf(v, "%q must be a number, not %s", key, describe(v))
		}
	case kBool:
		if !isScalar(v, "!!bool") {
			c.errorf(v, "%q must be true or false, not %s", key, describe(v))
		}
	case kDuration:
		if !isScalar(v, "!!str") {
			c.errorf(v, "%q must be an ISO-8601 duration string such as PT15M, not %s", key, describe(v))
		} else if !ValidDuration(v.Value) {
			c.errorf(v, "%q: %q is not an ISO-8601 duration such as PT15M or P1DT2H", key, v.Value)
		}
	case kStrings:
		if v.Kind != yaml.SequenceNode {
			c.errorf(v, "%q must be a list of strings, not %s", key, describe(v))
			return
		}
		for _, e := range v.Content {
			if e = resolve(e); !isScalar(e, "!!str") {
				c.errorf(e, "%q must hold strings only, not %s", key, describe(e))
			}
		}
	case kMap:
		if v.Kind != yaml.MappingNode {
			c.errorf(v, "%q must be a mapping, not %s", key, describe(v))
		}
	case kObject:
		c.object(v, f.obj)
	case kObjects:
		if v.Kind != yaml.SequenceNode {
			c.errorf(v, "%q must be a list of %s entries, not %s", key, key, describe(v))
			return
		}
		for _, e := range v.Content {
			c.object(e, f.obj)
		}
	}
}

// functionList checks the functions: each by its type, ids well formed and
// unique.
func (c *checker) functionList(v *yaml.Node) {
	v = resolve(v)
	if v.Tag == "!!null" {
		return
	}
	if v.Kind != yaml.SequenceNode {
		c.errorf(v, "functions must be a list, not %s", describe(v))
		return
	}
	for _, fn := range v.Content {
		fn = resolve(fn)
		if fn.Kind != yaml.MappingNode {
			c.errorf(fn, "a function must be a mapping, not %s", describe(fn))
			continue
		}
		typ, obj := c.typed(fn, "function", c.era.functionTypes, c.era.functionTypeHints)
		if obj == nil {
			if _, hinted := c.era.functionTypeHints[typ]; typ != "" && !hinted {
				c.errorf(lookup(fn, "type"), "unknown function type %q%s (%s accepts: %s)", typ, suggest.Hint(typ, sortedKeys(c.era.functionTypes)), c.era.name, strings.Join(sortedKeys(c.era.functionTypes), ", "))
			}
			c.declare(fn, "function", c.functions)
			continue
		}
		c.object(fn, obj)
		id := c.declare(fn, "function", c.functions)
		if img := resolve(lookup(fn, "image")); id != "" && isScalar(img, "!!str") {
			c.images[id] = img.Value
		}
		if svc := resolve(lookup(fn, "service")); id != "" && isScalar(svc, "!!str") {
			c.services[id] = svc.Value
		}
	}
}

// typed finds the object of a mapping by its "type" key, reporting a
// missing or unknown type.
func (c *checker) typed(n *yaml.Node, what string, types map[string]*object, hints map[string]string) (string, *object) {
	t := lookup(n, "type")
	if t == nil || resolve(t).Tag == "!!null" {
		c.errorf(n, "a %s needs a type (%s accepts: %s)", what, c.era.name, strings.Join(sortedKeys(types), ", "))
		return "", nil
	}
	t = resolve(t)
	if !isScalar(t, "!!str") {
		c.errorf(t, "a %s's type must be a string, not %s", what, describe(t))
		return "", nil
	}
	if obj, ok := types[t.Value]; ok {
		return t.Value, obj
	}
	if hint, ok := hints[t.Value]; ok {
		c.errorf(t, "%s (%s)", hint, c.era.name)
		return t.Value, nil
	}
	return t.Value, nil
}

// declare records the id of a function or state, checking its form and
// that it is unique.
func (c *checker) declare(n *yaml.Node, what string, ids map[string]bool) string {
	idNode := lookup(n, "id")
	if idNode == nil {
		return ""
	}
	idNode = resolve(idNode)
	if !isScalar(idNode, "!!str") {
		return ""
	}
	id := idNode.Value
	switch {
	case !c.era.idPattern().MatchString(id):
		c.errorf(idNode, "%s id %q must match %s", what, id, portableIDPattern())
	case !portableIDPattern().MatchString(id):
		c.warnf(idNode, "%s id %q does not match %s: %s", what, id, portableIDPattern(), c.era.portableNote)
	}
	if ids[id] {
		c.errorf(idNode, "%s id %q is used more than once", what, id)
	}
	ids[id] = true
	return id
}

// stateList checks the states: each by its type, ids well formed and
// unique; it collects the transitions and the functions called.
func (c *checker) stateList(v *yaml.Node) {
	v = resolve(v)
	if v.Kind != yaml.SequenceNode {
		c.errorf(v, "states must be a list, not %s", describe(v))
		return
	}
	if len(v.Content) == 0 {
		c.errorf(v, "the workflow has no states")
		return
	}
	for _, s := range v.Content {
		s = resolve(s)
		if s.Kind != yaml.MappingNode {
			c.errorf(s, "a state must be a mapping, not %s", describe(s))
			continue
		}
		typ, obj := c.typed(s, "state", c.era.states, nil)
		switch {
		case obj != nil:
			c.object(s, obj)
		case c.era.unmodelled[typ]:
			c.warnf(lookup(s, "type"), "state type %q is not modelled by this checker: its keys are not checked", typ)
		case typ != "":
			types := append(sortedKeys(c.era.states), sortedKeys(c.era.unmodelled)...)
			sort.Strings(types)
			c.errorf(lookup(s, "type"), "unknown state type %q%s (%s accepts: %s)", typ, suggest.Hint(typ, types), c.era.name, strings.Join(types, ", "))
		}
		c.declare(s, "state", c.states)
		c.collect(s)
		if l := lookup(s, "catch"); l != nil {
			c.shadowed(resolve(l), "catch error", "error")
		}
	}
}

// collect records the transitions of a state and the functions its
// actions call.
func (c *checker) collect(s *yaml.Node) {
	for _, key := range transitionFields {
		c.transition(lookup(s, key))
	}
	for _, list := range []string{"catch", "conditions", "events"} {
		if l := lookup(s, list); l != nil && resolve(l).Kind == yaml.SequenceNode {
			for _, e := range resolve(l).Content {
				if e = resolve(e); e.Kind == yaml.MappingNode {
					c.transition(lookup(e, "transition"))
				}
			}
		}
	}
	call := func(a *yaml.Node) {
		if a = resolve(a); a.Kind != yaml.MappingNode {
			return
		}
		if fn := lookup(a, "function"); fn != nil && isScalar(resolve(fn), "!!str") && resolve(fn).Value != "" {
			c.called = append(c.called, ref{name: resolve(fn).Value, at: resolve(fn)})
		}
	}
	if a := lookup(s, "action"); a != nil {
		call(a)
	}
	if l := lookup(s, "actions"); l != nil && resolve(l).Kind == yaml.SequenceNode {
		for _, a := range resolve(l).Content {
			call(a)
		}
	}
}

// transition records a transition value, if it is a non-empty string.
func (c *checker) transition(v *yaml.Node) {
	if v == nil {
		return
	}
	if v = resolve(v); isScalar(v, "!!str") && v.Value != "" {
		c.transitions = append(c.transitions, ref{name: v.Value, at: v})
	}
}

// start checks the start definition.
func (c *checker) start(v *yaml.Node) {
	v = resolve(v)
	if v.Tag == "!!null" {
		return
	}
	if v.Kind != yaml.MappingNode {
		c.errorf(v, "start must be a mapping, not %s", describe(v))
		return
	}
	typ, obj := c.typed(v, "start definition", c.era.startTypes, nil)
	if obj == nil {
		if typ != "" {
			c.errorf(lookup(v, "type"), "unknown start type %q%s (%s accepts: %s)", typ, suggest.Hint(typ, sortedKeys(c.era.startTypes)), c.era.name, strings.Join(sortedKeys(c.era.startTypes), ", "))
		}
		return
	}
	c.object(v, obj)
	c.transition(lookup(v, "state"))
}

// checkWorkflowID: the isolated era's top-level id is a lowercase name.
func checkWorkflowID(c *checker, n *yaml.Node) {
	v := lookup(n, "id")
	if v = resolve(v); isScalar(v, "!!str") && !isolatedWorkflowIDPattern().MatchString(v.Value) {
		c.errorf(v, "workflow id %q must match %s (lowercase letters, digits, '_' and '-'; a letter first, no '-' or '_' last)", v.Value, isolatedWorkflowIDPattern())
	}
}

// servicePathPattern is what Direktiv v0.8.1 and later require of a
// knative-namespace function's service: the path of a service file.
var servicePathPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/([^/]+/?)+[^/]*$`) })

// checkServicePath: a namespace service is named by the path of its
// service file (Direktiv v0.8.1 and later; v0.8.0 took a service name).
func checkServicePath(c *checker, n *yaml.Node) {
	if v := resolve(lookup(n, "service")); isScalar(v, "!!str") && v.Value != "" && !servicePathPattern().MatchString(v.Value) {
		c.warnf(v, "service %q is not the path of a service file (%s), which Direktiv v0.8.1 and later require: write it as /%s.yaml, the service file's path in the namespace", v.Value, servicePathPattern(), v.Value)
	}
}

// checkFileKey returns the rule of a file entry: its key is a variable
// name (pattern, compiled on first use).
func checkFileKey(pattern func() *regexp.Regexp) func(c *checker, n *yaml.Node) {
	return func(c *checker, n *yaml.Node) {
		if v := lookup(n, "key"); v != nil {
			if v = resolve(v); isScalar(v, "!!str") && v.Value != "" && !pattern().MatchString(v.Value) {
				c.errorf(v, "file key %q is not a variable name (%s)", v.Value, pattern())
			}
		}
	}
}

// isoDuration is the ISO-8601 duration form Direktiv parses.
var isoDuration = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$`)
})

// ValidDuration reports whether s is an ISO-8601 duration as Direktiv
// accepts it: "PT15M", "P1DT2H", "PT30S".
func ValidDuration(s string) bool {
	if !isoDuration().MatchString(s) || s == "P" || strings.HasSuffix(s, "T") {
		return false
	}
	return true
}

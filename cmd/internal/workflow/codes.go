package workflow

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/schema/suggest"
)

// checkRetries: max_attempts above 0, at least one code, codes that
// compile as regular expressions.
func checkRetries(c *checker, n *yaml.Node) {
	if v := lookup(n, "max_attempts"); v != nil {
		if v = resolve(v); isScalar(v, "!!int") {
			if i, err := strconv.Atoi(v.Value); err == nil && i <= 0 {
				c.errorf(v, "max_attempts must be more than 0, not %d", i)
			}
		}
	}
	if v := lookup(n, "codes"); v != nil {
		v = resolve(v)
		if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
			c.errorf(v, "a retries policy needs at least one code")
		}
		if v.Kind == yaml.SequenceNode {
			for _, code := range v.Content {
				checkCode(c, resolve(code), "retries code")
			}
			c.shadowed(v, "retries code", "")
		}
	}
}

// checkCatch: the error pattern compiles.
func checkCatch(c *checker, n *yaml.Node) {
	if v := lookup(n, "error"); v != nil {
		checkCode(c, resolve(v), "catch error")
	}
}

// checkCode warns about an error pattern that is not a regular expression:
// Direktiv matches codes as unanchored regular expressions ("*" alone
// matches everything).
func checkCode(c *checker, v *yaml.Node, what string) {
	if !isScalar(v, "!!str") {
		return
	}
	if v.Value == "" {
		c.errorf(v, "a %s must not be empty", what)
		return
	}
	if v.Value == "*" {
		return
	}
	if _, err := regexp.Compile(v.Value); err != nil {
		c.warnf(v, "%s %q is not a valid regular expression, which is how Direktiv matches error codes: %v", what, v.Value, err)
	}
}

// shadowed warns about each error pattern of list (the catch entries, whose
// pattern is under key, or the retries codes when key is "") that reads as
// one literal code which an earlier pattern of the list also matches.
// Direktiv matches the patterns as unanchored regular expressions and takes
// the first catch that matches, so with "fn.failed" first a later
// "fn.failedUpload" never catches fn.failedUpload; the fix is to anchor and
// escape the earlier one: '^fn\.failed$'.
func (c *checker) shadowed(list *yaml.Node, what, key string) {
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	var earlier []*yaml.Node
	for _, e := range list.Content {
		v := resolve(e)
		if key != "" {
			v = resolve(lookup(v, key))
		}
		if !isScalar(v, "!!str") || v.Value == "" {
			continue
		}
		if code, ok := literalCode(v.Value); ok {
			for _, p := range earlier {
				if !codeMatches(p.Value, code) {
					continue
				}
				fix := "anchor and escape it to match only its own code"
				if lit, ok := literalCode(p.Value); ok {
					fix = fmt.Sprintf("anchor and escape it to match only %s: '%s'", lit, exactPattern(lit))
				} else {
					fix = "put it after this one, or " + fix
				}
				if key != "" {
					c.warnf(v, "%s %q never catches %s: the earlier catch error %q (line %d) also matches it, and Direktiv takes the first catch that matches (the patterns are unanchored regular expressions); %s",
						what, v.Value, code, p.Value, p.Line, fix)
				} else {
					c.warnf(v, "%s %q is never needed for %s: the earlier retries code %q (line %d) already matches it (the codes are unanchored regular expressions, so it also retries codes it was not meant to); %s",
						what, v.Value, code, p.Value, p.Line, fix)
				}
				break
			}
		}
		earlier = append(earlier, v)
	}
}

// literalCode returns the one error code pattern is meant to match: the
// literal of a pattern that is only a literal, anchored or not
// ('^fn\.failed$', "fn_failed"), or the pattern itself when it is made of the
// characters of a code only ("fn.failed", read as the plain code the docs
// show, although its '.' matches any character).
func literalCode(pattern string) (string, bool) {
	if codeChars().MatchString(pattern) {
		return pattern, true
	}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	if len(subs) > 0 && (subs[0].Op == syntax.OpBeginText || subs[0].Op == syntax.OpBeginLine) {
		subs = subs[1:]
	}
	if n := len(subs); n > 0 && (subs[n-1].Op == syntax.OpEndText || subs[n-1].Op == syntax.OpEndLine) {
		subs = subs[:n-1]
	}
	if len(subs) != 1 || subs[0].Op != syntax.OpLiteral || subs[0].Flags&syntax.FoldCase != 0 {
		return "", false
	}
	return string(subs[0].Rune), true
}

// codeChars are the characters the contract recommends for error codes.
var codeChars = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._-]+$`) })

// codeMatches reports whether Direktiv's pattern matches code: "*" alone
// matches everything, anything else is an unanchored regular expression
// (one that does not compile matches nothing).
func codeMatches(pattern, code string) bool {
	if pattern == "*" {
		return true
	}
	re, err := regexp.Compile(pattern)
	return err == nil && re.MatchString(code)
}

// exactPattern is the pattern that matches exactly code.
func exactPattern(code string) string {
	return "^" + regexp.QuoteMeta(code) + "$"
}

// direktivCodes are error codes Direktiv itself raises (v0.8.10); a pattern
// that matches one of them is not about the function's own codes.
var direktivCodes = []string{
	"container failed", "direktiv.cancels.api", "direktiv.cancels.parent", "direktiv.cancels.timeout.hard",
	"direktiv.cancels.timeout.soft", "direktiv.retries.exceeded", "direktiv.jq.badCommand",
	"direktiv.schema.failed", "direktiv.internal.error",
}

// ownCodes checks, when the repository's function is known, each catch
// error and retries code of the states that call only that function: a
// pattern that matches none of its codes (nor one of Direktiv's own) never
// applies.
func (c *checker) ownCodes(root *yaml.Node) {
	if c.fn == nil {
		return
	}
	list := resolve(lookup(root, "states"))
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	for _, s := range list.Content {
		s = resolve(s)
		var actions []*yaml.Node
		if a := resolve(lookup(s, "action")); a != nil && a.Kind == yaml.MappingNode {
			actions = append(actions, a)
		}
		if l := resolve(lookup(s, "actions")); l != nil && l.Kind == yaml.SequenceNode {
			for _, a := range l.Content {
				if a = resolve(a); a.Kind == yaml.MappingNode {
					actions = append(actions, a)
				}
			}
		}
		only := len(actions) > 0
		for _, a := range actions {
			fn := resolve(lookup(a, "function"))
			if !isScalar(fn, "!!str") || !c.calls(fn.Value) {
				only = false
				continue
			}
			if codes := resolve(lookup(resolve(lookup(a, "retries")), "codes")); codes != nil && codes.Kind == yaml.SequenceNode {
				for _, code := range codes.Content {
					c.ownCode(resolve(code), "retries code", fn.Value)
				}
			}
		}
		if !only {
			continue
		}
		if l := resolve(lookup(s, "catch")); l != nil && l.Kind == yaml.SequenceNode {
			for _, e := range l.Content {
				c.ownCode(resolve(lookup(resolve(e), "error")), "catch error", resolve(lookup(actions[0], "function")).Value)
			}
		}
	}
}

// calls reports whether the function id names the repository's function:
// the same id, an image of the same repository, or its service file.
func (c *checker) calls(id string) bool {
	return id == c.fn.ID ||
		c.images[id] != "" && imageRepository(c.images[id]) == imageRepository(c.fn.Image) ||
		c.services[id] != "" && c.services[id] == c.fn.Service
}

// imageRepository strips the tag and the digest of an image reference.
func imageRepository(image string) string {
	if i := strings.Index(image, "@"); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		image = image[:i]
	}
	return image
}

// ownCode warns when pattern v, of a state or action that calls function
// id, matches none of the function's codes and none of Direktiv's.
func (c *checker) ownCode(v *yaml.Node, what, id string) {
	if !isScalar(v, "!!str") || v.Value == "" || v.Value == "*" {
		return
	}
	if _, err := regexp.Compile(v.Value); err != nil {
		return // reported by checkCode
	}
	for _, code := range append(append([]string(nil), c.fn.Codes...), direktivCodes...) {
		if codeMatches(v.Value, code) {
			return
		}
	}
	hint := ""
	if lit, ok := literalCode(v.Value); ok {
		if near := suggest.Nearest(lit, c.fn.Codes); near != "" {
			hint = fmt.Sprintf(" (did you mean %q, matched exactly by '%s'?)", near, exactPattern(near))
		}
	}
	c.warnf(v, "%s %q matches none of the codes function %q returns%s, so it never applies to it (its codes: %s)", what, v.Value, id, hint, strings.Join(c.fn.Codes, ", "))
}

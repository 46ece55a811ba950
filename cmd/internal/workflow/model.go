package workflow

import (
	"regexp"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
)

// kind is the shape a field's value must have.
type kind int

const (
	kString   kind = iota // a string scalar
	kInt                  // an integer scalar
	kNumber               // a number scalar
	kBool                 // a boolean scalar
	kAny                  // anything: jq expressions, inputs, schemas
	kDuration             // an ISO-8601 duration string ("PT15M")
	kStrings              // a list of strings
	kObject               // a mapping described by field.obj
	kObjects              // a list of mappings described by field.obj
	kMap                  // a mapping with any keys
)

// field describes one key of an object.
type field struct {
	kind     kind
	obj      *object
	required bool
	// enum, when set, lists the values a string may take.
	enum []string
}

// object describes a mapping: its keys, Direktiv decodes it strictly.
type object struct {
	// what names the object in messages: "a retries policy".
	what   string
	fields map[string]field
	// hints explain, by key, why a key that is not a field is refused
	// (usually: it belongs to the other era).
	hints map[string]string
	// check runs extra rules on the mapping after its fields.
	check func(c *checker, n *yaml.Node)
	// lenient objects are decoded without strictness: an unknown key is
	// ignored, so it is a warning, not an error.
	lenient bool
}

// era is what the Direktiv versions of one mode accept.
type era struct {
	// name says which versions: "Direktiv v0.8.0–v0.10.0".
	name string
	top  *object
	// functionTypes are the function types of the era, each with its keys.
	functionTypes map[string]*object
	// functionTypeHints explain types of the other era.
	functionTypeHints map[string]string
	// states are the state types modelled precisely, with their keys.
	states map[string]*object
	// unmodelled are the other state types of the era: reported as a
	// warning, never silently accepted.
	unmodelled map[string]bool
	// startTypes are the start definitions, with their keys.
	startTypes map[string]*object
	// idPattern is what the era accepts for function and state ids.
	idPattern func() *regexp.Regexp
	// portableID explains idPattern's extra freedom, when it has some.
	portableNote string
	// pathPattern, when set, is what each segment of the path Direktiv
	// stores the workflow under must match: its file name is one.
	pathPattern func() *regexp.Regexp
}

// portableIDPattern is accepted as a function or state id by every
// Direktiv version.
var portableIDPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]([a-z0-9_-]*[a-z0-9])?$`) })

// knativeIDPattern is what Direktiv v0.8.0 and later accept as a name.
var knativeIDPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(([a-zA-Z][a-zA-Z0-9_\-.]*[a-zA-Z0-9])|([a-zA-Z]))$`)
})

// fileKeyPattern is what an action file's key must match (a variable name).
var fileKeyPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(([a-zA-Z][a-zA-Z0-9_\-.]*[a-zA-Z0-9])|([a-zA-Z]))$`)
})

// isolatedWorkflowIDPattern is what the isolated era (Direktiv v0.4.0 to
// v0.6.0) requires of the top-level workflow id.
var isolatedWorkflowIDPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(([a-z][a-z0-9_\-]*[a-z0-9])|([a-z]))$`) })

// knativePathPattern is what Direktiv v0.8.0 to v0.10.0 require of each
// segment of a workflow's path, its file name included.
var knativePathPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(([a-zA-Z][a-zA-Z0-9_\-.]*[a-zA-Z0-9])|([a-zA-Z]))$`)
})

// isolatedFileKeyPattern is the isolated era's variable name.
var isolatedFileKeyPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(([a-zA-Z][a-zA-Z0-9_\-]*[a-zA-Z0-9])|([a-zA-Z]))$`)
})

// Shared objects.
var (
	retriesObject = &object{
		what: "a retries policy",
		fields: map[string]field{
			"max_attempts": {kind: kInt, required: true},
			"delay":        {kind: kDuration},
			"multiplier":   {kind: kNumber},
			"codes":        {kind: kStrings, required: true},
		},
		check: checkRetries,
	}
	catchObject = &object{
		what: "a catch entry",
		fields: map[string]field{
			"error":      {kind: kString, required: true},
			"transition": {kind: kString},
		},
		check: checkCatch,
	}
	timeoutsObject = &object{
		what: "the workflow timeouts",
		fields: map[string]field{
			"interrupt": {kind: kDuration},
			"kill":      {kind: kDuration},
		},
	}
	fileTypes = []string{"plain", "base64", "tar", "tar.gz"}
)

// transitionFields are the keys of a state whose value names a state.
var transitionFields = []string{"transition", "defaultTransition"}

// state builds a state object from the era's common fields and its own.
func state(what string, common map[string]field, hints map[string]string, own map[string]field) *object {
	fields := map[string]field{}
	for k, f := range common {
		fields[k] = f
	}
	for k, f := range own {
		fields[k] = f
	}
	return &object{what: what, fields: fields, hints: hints}
}

// flowFields are the transform and transition most states share.
func flowFields(own map[string]field) map[string]field {
	own["transform"] = field{kind: kAny}
	own["transition"] = field{kind: kString}
	return own
}

// stateTypes are the state types both eras share, built from the era's
// common state fields, its hints for keys of another era, and its action.
func stateTypes(common map[string]field, hints map[string]string, action *object) map[string]*object {
	return map[string]*object{
		"action": state("an action state", common, hints, flowFields(map[string]field{
			"action":  {kind: kObject, obj: action, required: true},
			"async":   {kind: kBool},
			"timeout": {kind: kDuration},
		})),
		"noop": state("a noop state", common, hints, flowFields(map[string]field{})),
		"error": state("an error state", common, hints, flowFields(map[string]field{
			"error":   {kind: kString, required: true},
			"message": {kind: kString, required: true},
			"args":    {kind: kStrings},
		})),
		"validate": state("a validate state", common, hints, flowFields(map[string]field{
			"subject": {kind: kString},
			"schema":  {kind: kAny, required: true},
		})),
		"switch": state("a switch state", common, hints, map[string]field{
			"conditions":        {kind: kObjects, obj: conditionObject, required: true},
			"defaultTransform":  {kind: kAny},
			"defaultTransition": {kind: kString},
		}),
		"delay": state("a delay state", common, hints, flowFields(map[string]field{
			"duration": {kind: kDuration, required: true},
		})),
		"foreach": state("a foreach state", common, hints, flowFields(map[string]field{
			"array":   {kind: kAny, required: true},
			"action":  {kind: kObject, obj: action, required: true},
			"timeout": {kind: kDuration},
		})),
		"parallel": state("a parallel state", common, hints, flowFields(map[string]field{
			"actions": {kind: kObjects, obj: action, required: true},
			"mode":    {kind: kString, enum: []string{"and", "or"}},
			"timeout": {kind: kDuration},
		})),
	}
}

// startTypes are the workflow start types of an era: filterKey names the
// key of an event's filter, and andExtra are the eventsAnd start's keys
// beyond events and lifespan.
func startTypes(filterKey string, andExtra map[string]field) map[string]*object {
	and := map[string]field{
		"events":   {kind: kObjects, obj: startEvent(filterKey), required: true},
		"lifespan": {kind: kDuration},
	}
	for k, f := range andExtra {
		and[k] = f
	}
	return map[string]*object{
		"default":   startObject(nil),
		"scheduled": startObject(map[string]field{"cron": {kind: kString, required: true}}),
		"event":     startObject(map[string]field{"event": {kind: kObject, obj: startEvent(filterKey), required: true}}),
		"eventsXor": startObject(map[string]field{"events": {kind: kObjects, obj: startEvent(filterKey), required: true}}),
		"eventsAnd": startObject(and),
	}
}

// models are the checker's model of each era of the table, by key, built
// on first use (not at every start of direktiv-fn).
var models = sync.OnceValue(func() map[string]*era {
	return map[string]*era{
		"isolated":     isolatedEra(),
		"knative-v0.6": knativeModel("knative-v0.6"),
		"knative-v0.8": knativeModel("knative-v0.8"),
	}
})

// tableEra returns the table's era of key; the models and the table are
// kept in step by a test.
func tableEra(key string) direktiv.Era {
	e, ok := direktiv.ByKey(key)
	if !ok {
		panic("workflow: no era " + key + " in the table")
	}
	return e
}

// knative07IDPattern is what Direktiv v0.7.0 to v0.7.2 accept as a name:
// lowercase, dots allowed (v0.6.x: portableIDPattern).
var knative07IDPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(([a-z][a-z0-9_\-.]*[a-z0-9])|([a-z]))$`) })

// knativeModel builds a knative era: Direktiv v0.6.1 to v0.7.2 (no
// direktiv_api, lowercase names, no namespace services of its own making)
// or v0.8.0 to v0.10.0.
func knativeModel(key string) *era {
	t := tableEra(key)
	v08 := t.DirektivAPI
	fileScopes := []string{"namespace", "workflow", "instance", "thread"}
	fileFields := map[string]field{
		"key":   {kind: kString, required: true},
		"as":    {kind: kString},
		"scope": {kind: kString, enum: fileScopes},
		"type":  {kind: kString, enum: fileTypes},
	}
	keyPattern := isolatedFileKeyPattern
	if v08 {
		fileFields["scope"] = field{kind: kString, enum: []string{"namespace", "workflow", "instance", "file"}}
		fileFields["permissions"] = field{kind: kString}
		keyPattern = fileKeyPattern
	}
	file := &object{what: "an action file", fields: fileFields, check: checkFileKey(keyPattern)}
	action := &object{
		what: "an action",
		fields: map[string]field{
			"function": {kind: kString, required: true},
			"input":    {kind: kAny},
			"secrets":  {kind: kStrings},
			"retries":  {kind: kObject, obj: retriesObject},
			"files":    {kind: kObjects, obj: file},
		},
	}
	common := map[string]field{
		"id":       {kind: kString, required: true},
		"type":     {kind: kString, required: true},
		"log":      {kind: kAny},
		"metadata": {kind: kAny},
		"catch":    {kind: kObjects, obj: catchObject},
	}
	var noHints map[string]string
	top := &object{
		what: "the workflow",
		fields: map[string]field{
			"url":         {kind: kString},
			"description": {kind: kString},
			"functions":   {kind: kAny}, // checked by checkFunctions
			"states":      {kind: kAny, required: true},
			"timeouts":    {kind: kObject, obj: timeoutsObject},
			"start":       {kind: kAny}, // checked by checkStart
		},
		hints: map[string]string{
			"id":       "a top-level id is rejected since Direktiv v0.6.1: the workflow's path names it",
			"name":     "removed in Direktiv v0.6.1",
			"version":  "removed in Direktiv v0.6.1",
			"singular": "removed in Direktiv v0.6.1",
		},
	}
	service := func(typ string) *object {
		o := &object{what: "a function of type " + typ, fields: map[string]field{
			"id": {kind: kString, required: true}, "type": {kind: kString, required: true},
			"service": {kind: kString, required: true},
		}}
		if v08 {
			o.check = checkServicePath
		}
		return o
	}
	m := &era{
		name: t.String(),
		top:  top,
		functionTypes: map[string]*object{
			"knative-workflow":  knativeFunction(v08),
			"reusable":          knativeFunction(v08),
			"knative-namespace": service("knative-namespace"),
			"subflow":           subflowFunction(),
		},
		functionTypeHints: map[string]string{
			"isolated":       "function type isolated was removed in Direktiv v0.6.1; knative-workflow replaced it",
			"knative-global": "function type knative-global was removed in Direktiv v0.7.0",
		},
		states: stateTypes(common, noHints, action),
		unmodelled: map[string]bool{
			"consumeEvent": true, "eventsAnd": true, "eventsXor": true, "eventAnd": true, "eventXor": true,
			"generateEvent": true, "getter": true, "setter": true,
		},
		startTypes:   startTypes("context", nil),
		idPattern:    knative07IDPattern,
		portableNote: "Direktiv v0.7.0 and later accept it, but v0.6.x does not",
		pathPattern:  knative07IDPattern,
	}
	if v08 {
		top.fields["direktiv_api"] = field{kind: kString, enum: []string{"workflow/v1"}}
		m.functionTypes["knative-system"] = service("knative-system")
		m.idPattern, m.pathPattern = knativeIDPattern, knativePathPattern
		m.portableNote = "Direktiv v0.8.0 and later accept it, but earlier versions do not"
	} else {
		top.hints["direktiv_api"] = "direktiv_api arrived in Direktiv v0.8.0: " + t.Versions() + " rejects it"
		m.functionTypeHints["knative-system"] = "function type knative-system arrived in Direktiv v0.8.10"
		m.unmodelled["callback"] = true
	}
	return m
}

// knativeFunction is a knative-workflow function entry of Direktiv v0.8.0
// and later (v08), or of v0.6.1 to v0.7.2.
func knativeFunction(v08 bool) *object {
	o := &object{
		what: "a function of type knative-workflow",
		fields: map[string]field{
			"id":    {kind: kString, required: true},
			"type":  {kind: kString, required: true},
			"image": {kind: kString, required: true},
			"size":  {kind: kString, enum: []string{"small", "medium", "large"}},
			"cmd":   {kind: kString},
			"envs": {kind: kObjects, obj: &object{what: "an environment variable", fields: map[string]field{
				"name": {kind: kString, required: true}, "value": {kind: kString},
			}}},
			"patches": {kind: kObjects, obj: &object{what: "a service patch", fields: map[string]field{
				"op": {kind: kString, required: true}, "path": {kind: kString, required: true}, "value": {kind: kAny},
			}}},
		},
		hints: map[string]string{
			"scale": "removed in Direktiv v0.7.0",
			"files": "function files moved to the action (action.files) in Direktiv v0.6.1",
		},
	}
	if !v08 {
		delete(o.fields, "envs")
		delete(o.fields, "patches")
		o.hints["envs"] = "arrived in Direktiv v0.8.1"
		o.hints["patches"] = "arrived in Direktiv v0.8.1"
	}
	return o
}

// subflowFunction is a subflow function entry (both eras).
func subflowFunction() *object {
	return &object{what: "a function of type subflow", fields: map[string]field{
		"id": {kind: kString, required: true}, "type": {kind: kString, required: true},
		"workflow": {kind: kString, required: true},
	}}
}

// conditionObject is one condition of a switch state.
var conditionObject = &object{
	what: "a switch condition",
	fields: map[string]field{
		"condition":  {kind: kAny, required: true},
		"transform":  {kind: kAny},
		"transition": {kind: kString},
	},
}

// startObject is a start definition with its type's own fields.
func startObject(own map[string]field) *object {
	fields := map[string]field{
		"type":  {kind: kString},
		"state": {kind: kString},
	}
	for k, f := range own {
		fields[k] = f
	}
	return &object{what: "the start definition", fields: fields}
}

// startEvent is an event of a start definition; filterKey is "context"
// (knative era) or "filters" (isolated era).
func startEvent(filterKey string) *object {
	return &object{what: "a start event", fields: map[string]field{
		"type":    {kind: kString, required: true},
		filterKey: {kind: kMap},
	}}
}

// isolatedEra builds the era of Direktiv v0.4.0 to v0.6.0, whose functions
// include isolated.
func isolatedEra() *era {
	file := &object{
		what: "a function file",
		fields: map[string]field{
			"key":   {kind: kString, required: true},
			"as":    {kind: kString},
			"scope": {kind: kString, enum: []string{"namespace", "workflow", "instance", "thread"}},
			"type":  {kind: kString, enum: fileTypes},
		},
		check: checkFileKey(isolatedFileKeyPattern),
	}
	action := &object{
		what: "an action",
		fields: map[string]field{
			"function": {kind: kString, required: true},
			"input":    {kind: kAny},
			"secrets":  {kind: kStrings},
			"retries":  {kind: kObject, obj: retriesObject},
		},
		hints: map[string]string{
			"files": "action files arrived in Direktiv v0.6.1: in this era the function entry lists its files",
		},
	}
	common := map[string]field{
		"id":    {kind: kString, required: true},
		"type":  {kind: kString, required: true},
		"log":   {kind: kAny},
		"catch": {kind: kObjects, obj: catchObject},
	}
	hints := map[string]string{"metadata": "a state's metadata arrived in Direktiv v0.6.1"}
	imageFunction := func(typ string, extra map[string]field) *object {
		fields := map[string]field{
			"id":    {kind: kString, required: true},
			"type":  {kind: kString, required: true},
			"image": {kind: kString, required: true},
			"size":  {kind: kString, enum: []string{"small", "medium", "large"}},
			"cmd":   {kind: kString},
			"files": {kind: kObjects, obj: file},
		}
		for k, f := range extra {
			fields[k] = f
		}
		return &object{what: "a function of type " + typ, fields: fields, hints: map[string]string{
			"envs":    "arrived in Direktiv v0.8.1 (knative-workflow functions)",
			"patches": "arrived in Direktiv v0.8.1 (knative-workflow functions)",
		}}
	}
	serviceFunction := func(typ string) *object {
		return &object{what: "a function of type " + typ, fields: map[string]field{
			"id": {kind: kString, required: true}, "type": {kind: kString, required: true},
			"service": {kind: kString, required: true},
			"files":   {kind: kObjects, obj: file},
		}}
	}
	return &era{
		name: tableEra("isolated").String(),
		top: &object{
			what: "the workflow",
			fields: map[string]field{
				"id":          {kind: kString, required: true},
				"name":        {kind: kString},
				"description": {kind: kString},
				"version":     {kind: kString},
				"singular":    {kind: kBool},
				"functions":   {kind: kAny},
				"states":      {kind: kAny, required: true},
				"timeouts":    {kind: kObject, obj: timeoutsObject},
				"start":       {kind: kAny},
			},
			check: checkWorkflowID,
			hints: map[string]string{
				"direktiv_api": "direktiv_api arrived in Direktiv v0.8.0: the isolated era (v0.4.0–v0.6.0) rejects it",
				"url":          "arrived in Direktiv v0.6.1",
				"schemas":      "only Direktiv v0.4.x accepts it",
			},
		},
		functionTypes: map[string]*object{
			"isolated":          imageFunction("isolated", nil),
			"reusable":          imageFunction("reusable", map[string]field{"scale": {kind: kInt}}),
			"knative-namespace": serviceFunction("knative-namespace"),
			"knative-global":    serviceFunction("knative-global"),
			"subflow":           subflowFunction(),
		},
		functionTypeHints: map[string]string{
			"knative-workflow": "function type knative-workflow arrived in Direktiv v0.6.1, when isolated was removed",
			"knative-system":   "function type knative-system arrived in Direktiv v0.8.10",
		},
		states: stateTypes(common, hints, action),
		unmodelled: map[string]bool{
			"consumeEvent": true, "eventAnd": true, "eventXor": true, "generateEvent": true,
			"getter": true, "setter": true, "callback": true,
		},
		startTypes: startTypes("filters", map[string]field{"correlate": {kind: kStrings}}),
		idPattern:  portableIDPattern,
	}
}

package workflow

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
)

// serviceAPI is the direktiv_api of a service file.
const serviceAPI = "service/v1"

// ServiceEra names the releases that read service files, for messages.
func ServiceEra() string {
	e, _ := direktiv.ByKey("knative-v0.8")
	return "Direktiv " + direktiv.ServicesSince + "–" + e.Last + " (service files)"
}

// serviceModel is a service file as Direktiv v0.8.1 to v0.10.0 read it
// (pkg/core/service.go ParseServiceFile): decoded without strictness, so
// an unknown key is ignored, and lint warns about it.
var serviceModel = &era{
	name: ServiceEra(),
	top: &object{
		what:    "the service file",
		lenient: true,
		fields: map[string]field{
			"direktiv_api": {kind: kString, required: true},
			"image":        {kind: kString, required: true},
			"cmd":          {kind: kString},
			"size":         {kind: kString, enum: []string{"small", "medium", "large"}},
			"scale":        {kind: kInt},
			"envs": {kind: kObjects, obj: &object{what: "an environment variable", lenient: true, fields: map[string]field{
				"name": {kind: kString, required: true}, "value": {kind: kString},
			}}},
			"patches": {kind: kObjects, obj: &object{what: "a service patch", lenient: true, fields: map[string]field{
				"op":    {kind: kString, required: true, enum: []string{"add", "remove", "replace", "move", "copy", "test"}},
				"path":  {kind: kString, required: true},
				"value": {kind: kAny},
			}}},
		},
		check: checkService,
	},
}

// IsService reports whether data reads as a service file: a mapping whose
// direktiv_api starts with "service/".
func IsService(data []byte) bool {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return false
	}
	v := resolve(lookup(resolve(doc.Content[0]), "direktiv_api"))
	return isScalar(v, "!!str") && strings.HasPrefix(v.Value, "service/")
}

// CheckService checks data, the content of file, as a service file: the
// direktiv_api, the image (required, a valid reference), size (small,
// medium or large), scale (an integer, 0 or more), envs and patches. Keys
// Direktiv does not read are warnings: it ignores them.
func CheckService(file string, data []byte) Diagnostics {
	c := &checker{file: file, era: serviceModel, functions: map[string]bool{}, states: map[string]bool{}, images: map[string]string{}, services: map[string]string{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		c.errorf(&yaml.Node{Line: 1, Column: 1}, "invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return c.diags
	}
	if len(doc.Content) == 0 {
		c.errorf(&yaml.Node{Line: 1, Column: 1}, "the file is empty: a service file needs direktiv_api: %s and an image", serviceAPI)
		return c.diags
	}
	c.object(resolve(doc.Content[0]), serviceModel.top)
	return sortDiagnostics(c.diags)
}

// checkService: the api version, the image reference and the scale.
func checkService(c *checker, n *yaml.Node) {
	if v := resolve(lookup(n, "direktiv_api")); isScalar(v, "!!str") {
		switch {
		case v.Value == serviceAPI:
		case strings.HasPrefix(v.Value, serviceAPI):
			c.warnf(v, "direktiv_api %q: Direktiv reads it as %s (it checks the prefix only); write %s", v.Value, serviceAPI, serviceAPI)
		default:
			c.errorf(v, "direktiv_api %q: Direktiv refuses it (\"invalid service api version\"); a service file has direktiv_api: %s", v.Value, serviceAPI)
		}
	}
	if v := resolve(lookup(n, "image")); isScalar(v, "!!str") {
		if err := config.ValidateImage(v.Value); err != nil {
			c.errorf(v, "%v", err)
		}
	}
	if v := resolve(lookup(n, "scale")); isScalar(v, "!!int") {
		if i, err := strconv.Atoi(v.Value); err != nil || i < 0 {
			c.errorf(v, "scale %s: the number of instances kept running is 0 or more", v.Value)
		}
	}
}

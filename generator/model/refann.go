package model

import "github.com/direktiv-fn/direktiv-fn/schema"

// defaultHolder returns the schema whose "default" a property gets: s, or
// the first along its chain of "$ref"s that has one (as
// schema.Annotations finds it), so that a problem with the default is
// reported where it is written.
func defaultHolder(s *schema.Schema) *schema.Schema {
	for i := 0; i <= 64 && s.Default == nil && s.Ref != nil; i++ {
		s = s.Ref.Target
	}
	return s
}

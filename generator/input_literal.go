package generator

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// isZeroValue reports whether a scalar value is its Go type's zero value.
func isZeroValue(v *schema.Value) bool {
	switch v.Kind {
	case schema.KindBool:
		return !v.Bool
	case schema.KindString:
		return v.String == ""
	case schema.KindNumber:
		return v.Number.Rat().Sign() == 0
	}
	return false
}

// goLiteral returns the Go literal of value v for the schema of n, for
// defaults. Absent properties with a default get it, as when decoding.
func goLiteral(n *node, v *schema.Value) (string, error) {
	if !n.nullable {
		return valueLiteral(n, v)
	}
	if v.Kind == schema.KindNull {
		return "nil", nil
	}
	lit, err := valueLiteral(n, v)
	switch {
	case err != nil || !n.pointerNull():
		return lit, err
	case n.kind == schema.TypeObject:
		return "&" + lit, nil
	}
	return "inputPtr[" + n.valType + "](" + lit + ")", nil
}

// valueLiteral is goLiteral for a value that is not null.
func valueLiteral(n *node, v *schema.Value) (string, error) {
	if !valueHasType(v, n.kind) {
		return "", fmt.Errorf("the default %s is not of type %s", valueJSONLine(v), n.kind)
	}
	var lit string
	switch n.kind {
	case anyKind:
		return anyLiteral(v), nil
	case schema.TypeString:
		lit = strconv.Quote(v.String)
		for i, e := range n.enum {
			if e.String == v.String {
				return n.consts[i].Name, nil
			}
		}
	case schema.TypeInteger:
		i, ok := v.Number.Int64()
		if !ok {
			return "", fmt.Errorf("the default %s does not fit in an int64", v.Number.Lit)
		}
		lit = strconv.FormatInt(i, 10)
	case schema.TypeNumber:
		f := v.Number.Float64()
		if math.IsInf(f, 0) {
			return "", fmt.Errorf("the default %s does not fit in a float64", v.Number.Lit)
		}
		lit = formatFloat(f)
	case schema.TypeBoolean:
		lit = strconv.FormatBool(v.Bool)
	case schema.TypeArray:
		elems := make([]string, len(v.Array))
		for i, e := range v.Array {
			l, err := goLiteral(n.item, e)
			if err != nil {
				return "", err
			}
			elems[i] = l
		}
		return n.valType + "{" + strings.Join(elems, ", ") + "}", nil
	case schema.TypeObject:
		return objectLiteral(n, v)
	}
	if n.named != nil {
		lit = n.valType + "(" + lit + ")"
	}
	return lit, nil
}

// objectLiteral returns the Go literal of object value v for the struct of n.
func objectLiteral(n *node, v *schema.Value) (string, error) {
	for _, m := range v.Members {
		found := false
		for _, p := range n.props {
			found = found || p.name == m.Key
		}
		if !found {
			return "", fmt.Errorf("the default has the property %q, which \"properties\" does not declare", m.Key)
		}
	}
	var fields []string
	for _, p := range n.props {
		mv := v.Get(p.name)
		if mv == nil {
			if p.defLit != "" {
				fields = append(fields, p.field.Name+": "+p.defLit)
			}
			continue
		}
		l, err := goLiteral(p.node, mv)
		if err != nil {
			return "", err
		}
		switch {
		case p.ptr && p.node.kind == schema.TypeObject:
			l = "&" + l
		case p.ptr:
			l = "func() *" + p.node.goType + " { x := " + p.node.goType + "(" + l + "); return &x }()"
		}
		fields = append(fields, p.field.Name+": "+l)
	}
	return n.valType + "{" + strings.Join(fields, ", ") + "}", nil
}

// formatFloat returns the shortest Go literal of a finite float64.
func formatFloat(f float64) string {
	return strconv.FormatFloat(f, 'g', -1, 64)
}

package model

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
func goLiteral(n *Node, v *schema.Value) (string, error) {
	if !n.Nullable {
		return valueLiteral(n, v)
	}
	if v.Kind == schema.KindNull {
		return "nil", nil
	}
	lit, err := valueLiteral(n, v)
	switch {
	case err != nil || !n.PointerNull():
		return lit, err
	case n.Kind == schema.TypeObject:
		return "&" + lit, nil
	}
	return "decode.Ptr[" + n.ValType + "](" + lit + ")", nil
}

// valueLiteral is goLiteral for a value that is not null.
func valueLiteral(n *Node, v *schema.Value) (string, error) {
	if n.Kind == UnionKind {
		return unionLiteral(n, v)
	}
	if !ValueHasType(v, n.Kind) {
		return "", fmt.Errorf("the default %s is not of type %s", ValueJSONLine(v), n.Kind)
	}
	var lit string
	switch n.Kind {
	case AnyKind:
		return anyLiteral(v), nil
	case schema.TypeString:
		if n.ValType == "time.Time" {
			return timeLiteral(v.String)
		}
		lit = strconv.Quote(v.String)
		for i, e := range n.Enum {
			if e.String == v.String {
				return n.Consts[i].Name, nil
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
		lit = FormatFloat(f)
	case schema.TypeBoolean:
		lit = strconv.FormatBool(v.Bool)
	case schema.TypeArray:
		elems := make([]string, len(v.Array))
		for i, e := range v.Array {
			l, err := goLiteral(n.Item, e)
			if err != nil {
				return "", err
			}
			elems[i] = l
		}
		return n.ValType + "{" + strings.Join(elems, ", ") + "}", nil
	case schema.TypeObject:
		return objectLiteral(n, v)
	}
	if n.Named != nil {
		lit = n.ValType + "(" + lit + ")"
	}
	return lit, nil
}

// objectLiteral returns the Go literal of object value v for the struct of n.
func objectLiteral(n *Node, v *schema.Value) (string, error) {
	for _, m := range v.Members {
		found := false
		for _, p := range n.Props {
			found = found || p.Name == m.Key
		}
		if !found {
			return "", fmt.Errorf("the default has the property %q, which \"properties\" does not declare", m.Key)
		}
	}
	var fields []string
	for _, p := range n.Props {
		mv := v.Get(p.Name)
		if mv == nil {
			if p.DefLit != "" {
				fields = append(fields, p.Field.Name+": "+p.DefLit)
			}
			continue
		}
		l, err := goLiteral(p.Node, mv)
		if err != nil {
			return "", err
		}
		switch {
		case p.IsPointer && p.Node.Kind == schema.TypeObject:
			l = "&" + l
		case p.IsPointer:
			l = "func() *" + p.Node.GoType + " { x := " + p.Node.GoType + "(" + l + "); return &x }()"
		}
		fields = append(fields, p.Field.Name+": "+l)
	}
	return n.ValType + "{" + strings.Join(fields, ", ") + "}", nil
}

// FormatFloat returns the shortest Go literal of a finite float64.
func FormatFloat(f float64) string {
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// unionLiteral returns the Go literal of value v of union node n: the
// union with the field of v's branch set.
func unionLiteral(n *Node, v *schema.Value) (string, error) {
	br := BranchOf(n, v)
	if br == nil {
		return "", fmt.Errorf("the default %s is none of the %s schemas", ValueJSONLine(v), n.Union.Keyword)
	}
	lit, err := valueLiteral(br.Node, v)
	if err != nil {
		return "", err
	}
	if br.Node.Kind == schema.TypeObject && br.Node.Named != nil && br.Node.Named.Struct {
		return n.ValType + "{" + br.Field.Name + ": &" + lit + "}", nil
	}
	return n.ValType + "{" + br.Field.Name + ": decode.Ptr[" + br.Node.GoType + "](" + lit + ")}", nil
}

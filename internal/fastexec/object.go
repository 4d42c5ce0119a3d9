package fastexec

import (
	"io"

	"github.com/99designs/gqlgen/graphql"
)

// Object returns the marshaller of an object's resolved fields: the JSON
// object *graphql.FieldSet writes, each alias once in the order collected,
// without its per-field copy and its map of written aliases. values[i] is
// the value of fields[i]; a missing one is written as null.
func Object(fields []graphql.CollectedField, values []graphql.Marshaler) graphql.Marshaler {
	return &object{fields: fields, values: values}
}

type object struct {
	fields []graphql.CollectedField
	values []graphql.Marshaler
}

func (o *object) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, "{")
	first := true
	for i := range o.fields {
		if repeatsAlias(o.fields[:i], o.fields[i].Alias) {
			continue
		}
		if !first {
			_, _ = io.WriteString(w, ",")
		}
		first = false
		writeKey(w, o.fields[i].Alias)
		_, _ = io.WriteString(w, ":")
		if o.values[i] == nil {
			_, _ = io.WriteString(w, "null")
			continue
		}
		o.values[i].MarshalGQL(w)
	}
	_, _ = io.WriteString(w, "}")
}

// repeatsAlias reports whether alias was written already (gqlgen merges
// fields by alias when collecting them, so this is a guard; objects have a
// handful of fields, so a scan beats a map).
func repeatsAlias(before []graphql.CollectedField, alias string) bool {
	for i := range before {
		if before[i].Alias == alias {
			return true
		}
	}
	return false
}

// writeKey writes alias as a JSON string. An alias is a GraphQL name
// ([_A-Za-z][_0-9A-Za-z]*), which needs no escaping; anything else goes
// through gqlgen's string marshaller.
func writeKey(w io.Writer, alias string) {
	for i := 0; i < len(alias); i++ {
		if c := alias[i]; !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			graphql.MarshalString(alias).MarshalGQL(w)
			return
		}
	}
	_, _ = io.WriteString(w, `"`)
	_, _ = io.WriteString(w, alias)
	_, _ = io.WriteString(w, `"`)
}

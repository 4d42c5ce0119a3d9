package auth

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func TestDecodeObject(t *testing.T) {
	const (
		ok = iota
		duplicate
		invalid
	)
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"empty object", `{}`, ok},
		{"claims of every JSON type", `{"s":"x","n":1.5,"b":true,"z":null,"a":[1,"y"],"o":{"k":"v"}}`, ok},
		{"surrounding whitespace", " \n{\"a\":1}\t\n", ok},
		{"same name in a nested object is not checked", `{"o":{"k":1,"k":2}}`, ok},
		{"names differing in case are distinct", `{"sub":"a","Sub":"b"}`, ok},
		{"repeated name", `{"a":1,"a":1}`, duplicate},
		{"repeated name with other members between", `{"a":1,"b":2,"a":3}`, duplicate},
		{"repeated name with null values", `{"a":null,"a":null}`, duplicate},
		{"repeated name spelled with an escape", `{"sub":"a","s\u0075b":"b"}`, duplicate},
		{"empty input", ``, invalid},
		{"null", `null`, invalid},
		{"array", `[{"a":1}]`, invalid},
		{"string", `"a"`, invalid},
		{"unterminated", `{"a":1`, invalid},
		{"trailing comma", `{"a":1,}`, invalid},
		{"missing colon", `{"a" 1}`, invalid},
		{"name not a string", `{1:2}`, invalid},
		{"second object after the first", `{"a":1}{"a":2}`, invalid},
		{"garbage after the object", `{"a":1} x`, invalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeObject([]byte(tc.in))
			switch tc.want {
			case ok:
				if err != nil {
					t.Fatalf("decodeObject: %v", err)
				}
				var want map[string]any
				if err := json.Unmarshal([]byte(tc.in), &want); err != nil {
					t.Fatalf("json.Unmarshal: %v", err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("decodeObject = %#v, json.Unmarshal = %#v", got, want)
				}
			case duplicate:
				if !errors.Is(err, errDuplicateName) {
					t.Fatalf("err = %v, want errDuplicateName", err)
				}
			case invalid:
				if err == nil || errors.Is(err, errDuplicateName) {
					t.Fatalf("err = %v, want an invalid-JSON error", err)
				}
			}
		})
	}
}

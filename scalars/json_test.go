package scalars

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

// panicky is a json.Marshaler that panics.
type panicky struct{}

func (panicky) MarshalJSON() ([]byte, error) { panic("boom") }

func TestJSONUnmarshalGQL(t *testing.T) {
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	tests := []struct {
		name string
		in   any
		want JSON // "" means an error is expected
	}{
		{"object string", `{"a":1}`, `{"a":1}`},
		{"object string compacted", "{ \"a\" : [ 1, 2 ],\n \"b\": null }", `{"a":[1,2],"b":null}`},
		{"string literal", `"hello"`, `"hello"`},
		{"number string", `42`, `42`},
		{"null string", `null`, `null`},
		{"escapes kept", `"\u003c\n"`, `"\u003c\n"`},
		{"unicode kept", `{"k":"日本"}`, `{"k":"日本"}`},
		{"json type", JSON(`[1, 2]`), `[1,2]`},
		{"raw message", json.RawMessage(` {"x": true} `), `{"x":true}`},
		{"map", map[string]any{"b": 2, "a": []any{"x", nil}}, `{"a":["x",null],"b":2}`},
		{"slice", []any{1, "two", true}, `[1,"two",true]`},
		{"json number", json.Number("1.50"), `1.50`},
		{"int64", int64(7), `7`},
		{"float64", 1.5, `1.5`},
		{"bool", false, `false`},
		{"nil", nil, `null`},
		{"html not escaped", map[string]any{"h": "<a&b>"}, `{"h":"<a&b>"}`},
		{"bare word", "hello", ""},
		{"empty string", "", ""},
		{"whitespace", "   ", ""},
		{"trailing garbage", `{"a":1} x`, ""},
		{"two values", `1 2`, ""},
		{"single quotes", `{'a':1}`, ""},
		{"trailing comma", `[1,]`, ""},
		{"invalid utf8", "\"\xff\"", ""},
		{"too deep", strings.Repeat("[", 20000) + strings.Repeat("]", 20000), ""},
		{"NaN", math.NaN(), ""},
		{"Inf", math.Inf(1), ""},
		{"func", func() {}, ""},
		{"chan", make(chan int), ""},
		{"cycle", cyclic, ""},
		{"panicking marshaler", panicky{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := JSON("keep")
			err := j.UnmarshalGQL(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("UnmarshalGQL = %q, want error", j)
				}
				if !strings.HasPrefix(err.Error(), "AWSJSON: ") || j != "keep" {
					t.Errorf("error %q, receiver %q", err, j)
				}
				if strings.Contains(err.Error(), "chan") || strings.Contains(err.Error(), "json:") {
					t.Errorf("error %q leaks internals", err)
				}
				return
			}
			if err != nil || j != tt.want {
				t.Fatalf("UnmarshalGQL = %q, %v; want %q", j, err, tt.want)
			}
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"object", `{"a":1,"b":[true,null,"x\"y"]}`},
		{"string with controls", `"tab\tnl\n"`},
		{"number", `-1.5e10`},
		{"null", `null`},
		{"unicode", `["é","🎉","\u2028"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := ParseJSON(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			out := marshal(j)
			if !json.Valid([]byte(out)) {
				t.Fatalf("MarshalGQL = %s: not valid JSON", out)
			}
			var content string
			if err := json.Unmarshal([]byte(out), &content); err != nil {
				t.Fatalf("MarshalGQL = %s: not a JSON string: %v", out, err)
			}
			if content != string(j) {
				t.Errorf("content %q, want %q", content, j)
			}
			var back JSON
			if err := back.UnmarshalGQL(content); err != nil || back != j {
				t.Errorf("re-parse = %q, %v; want %q", back, err, j)
			}
			var v1, v2 any
			if err := json.Unmarshal([]byte(tt.in), &v1); err != nil {
				t.Fatal(err)
			}
			if err := back.Decode(&v2); err != nil {
				t.Fatal(err)
			}
			if a, b := marshalAny(t, v1), marshalAny(t, v2); a != b {
				t.Errorf("decoded values differ: %s vs %s", a, b)
			}
		})
	}
}

func marshalAny(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestJSONMarshalGQL(t *testing.T) {
	tests := []struct {
		name string
		in   JSON
		want string
	}{
		{"object", `{"a":1}`, `"{\"a\":1}"`},
		{"zero is null", "", `"null"`},
		{"string", `"x"`, `"\"x\""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := marshal(tt.in); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestJSONOfAndDecode(t *testing.T) {
	j, err := JSONOf(map[string]int{"n": 1})
	if err != nil || j != `{"n":1}` {
		t.Fatalf("JSONOf = %q, %v", j, err)
	}
	var m map[string]int
	if err := j.Decode(&m); err != nil || m["n"] != 1 {
		t.Errorf("Decode = %v, %v", m, err)
	}
	var p *int
	if err := JSON("").Decode(&p); err != nil || p != nil {
		t.Errorf("zero JSON Decode = %v, %v", p, err)
	}
	_, err = JSONOf(math.NaN())
	var unsupported *json.UnsupportedValueError
	if !errors.As(err, &unsupported) {
		t.Errorf("JSONOf(NaN) error %v does not wrap *json.UnsupportedValueError", err)
	}
	_, err = ParseJSON("{")
	var syntax *json.SyntaxError
	if !errors.As(err, &syntax) {
		t.Errorf("ParseJSON error %v does not wrap *json.SyntaxError", err)
	}
}

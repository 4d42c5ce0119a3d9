package scalars

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
)

// marshal renders m the way gqlgen writes it into a response.
func marshal(m graphql.Marshaler) string {
	var buf bytes.Buffer
	m.MarshalGQL(&buf)
	return buf.String()
}

// gqlScalar is implemented by pointers to every scalar type of the package.
type gqlScalar interface {
	graphql.Unmarshaler
}

// wrongTypes are inputs of the wrong Go type for string scalars.
var wrongTypes = map[string]any{
	"nil":        nil,
	"bool":       true,
	"int64":      int64(1),
	"float64":    1.5,
	"map":        map[string]any{"a": 1},
	"slice":      []any{"a"},
	"json":       json.Number("1"),
	"nil ptr":    (*string)(nil),
	"func":       func() {},
	"byte slice": []byte("2024-01-01"),
}

// checkWrongTypes asserts that every wrong-type input is rejected with an
// error naming the scalar and that the receiver, created by newValue, keeps
// its value.
func checkWrongTypes(t *testing.T, scalar string, newValue func() gqlScalar) {
	t.Helper()
	for name, in := range wrongTypes {
		t.Run("wrong type/"+name, func(t *testing.T) {
			v := newValue()
			before := reflect.ValueOf(v).Elem().Interface()
			err := v.UnmarshalGQL(in)
			if err == nil {
				t.Fatalf("UnmarshalGQL(%#v) = nil error, want error", in)
			}
			if !strings.HasPrefix(err.Error(), scalar+": ") {
				t.Errorf("error %q does not start with %q", err, scalar+": ")
			}
			if strings.Contains(err.Error(), "interface") || strings.Contains(err.Error(), "[]") {
				t.Errorf("error %q leaks a Go type name", err)
			}
			if after := reflect.ValueOf(v).Elem().Interface(); after != before {
				t.Errorf("receiver changed on error: %v -> %v", before, after)
			}
		})
	}
}

func TestMarshalStringEscaping(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"empty", ""},
		{"plain", "hello"},
		{"double quote", `say "hi"`},
		{"backslash", `C:\path\n`},
		{"newline tab cr", "a\nb\tc\rd"},
		{"backspace formfeed", "a\bb\fc"},
		{"nul and control", "\x00\x01\x1f\x7f"},
		{"unicode", "héllo wörld 日本語 🎉"},
		{"line separators", "a\u2028b\u2029c"},
		{"html", "<script>&</script>"},
		{"invalid utf8", "a\xffb\xc3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, m := range []graphql.Marshaler{Email(tt.in), URL(tt.in), Phone(tt.in), IPAddress(tt.in), Date(tt.in), Time(tt.in)} {
				out := marshal(m)
				if !json.Valid([]byte(out)) {
					t.Fatalf("%T.MarshalGQL(%q) = %s: not valid JSON", m, tt.in, out)
				}
				var got string
				if err := json.Unmarshal([]byte(out), &got); err != nil {
					t.Fatal(err)
				}
				want := strings.ToValidUTF8(tt.in, "\uFFFD")
				if utf8.ValidString(tt.in) {
					want = tt.in
				}
				if got != want {
					t.Errorf("%T round trip: got %q, want %q", m, got, want)
				}
			}
		})
	}
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for c := 0; c < 0x80; c++ {
		s := "x" + string(rune(c)) + "y"
		got := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil || back != s {
			t.Errorf("byte %#x: %s decodes to %q (%v)", c, got, back, err)
		}
	}
}

func TestKindOf(t *testing.T) {
	s := "x"
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil", nil, "null"},
		{"nil pointer", (*int)(nil), "null"},
		{"bool", false, "boolean"},
		{"string", "x", "string"},
		{"string pointer", &s, "string"},
		{"json.Number", json.Number("1"), "number"},
		{"int", 1, "number"},
		{"uint8", uint8(1), "number"},
		{"float32", float32(1), "number"},
		{"map", map[string]any{}, "object"},
		{"struct", struct{}{}, "object"},
		{"slice", []any{}, "list"},
		{"array", [2]int{}, "list"},
		{"func", func() {}, "an unsupported value"},
		{"chan", make(chan int), "an unsupported value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := kindOf(tt.in); got != tt.want {
				t.Errorf("kindOf(%T) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestQuoteTruncates(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"short", "abc", `"abc"`},
		{"exact", strings.Repeat("a", maxQuoted), `"` + strings.Repeat("a", maxQuoted) + `"`},
		{"long", strings.Repeat("a", 1000), `"` + strings.Repeat("a", maxQuoted) + `"...`},
		{"rune boundary", strings.Repeat("a", maxQuoted-1) + "é" + "zzz", `"` + strings.Repeat("a", maxQuoted-1) + `"...`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quote(tt.in); got != tt.want {
				t.Errorf("quote() = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestErrorMessageFormat(t *testing.T) {
	var d Date
	err := d.UnmarshalGQL("2023-02-30")
	want := `AWSDate: "2023-02-30" is not a valid date (want YYYY-MM-DD with an optional offset such as Z or +05:30)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	long := strings.Repeat("x", 10000)
	if err := d.UnmarshalGQL(long); err == nil || len(err.Error()) > 300 {
		t.Errorf("error for a long input is too long or missing: %d bytes", len(err.Error()))
	}
}

// FuzzUnmarshal feeds arbitrary strings (and their json.Number form) to every
// scalar. It asserts that nothing panics, that accepted values marshal to
// valid JSON and that what is written back is accepted again. Under plain
// `go test` it only runs the seed corpus, which is fast; run it with
// `go test -fuzz=FuzzUnmarshal ./scalars/` to explore.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{
		"", "2024-02-29", "2023-02-29Z", "1970-01-01+05:30", "12:30:15.123456789Z",
		"12:30:15.1234567890", "2024-02-29T12:30:15.5-07:00", "2024-02-29T12:30",
		"a@example.com", `"a b"@x`, "https://x", "mailto:a@b", "//x",
		"+1 (415) 555-2671", "2001:db8::/32", "1.2.3.4/33", "fe80::1%eth0",
		`{"a":[1,2,{"b":null}]}`, `"\u2028"`, "1e99999999999", "-0.0e-5", "1.5",
		"\x00\xff\"\\", "[[[[[[[[",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, newValue := range []func() gqlScalar{
			func() gqlScalar { return new(Date) }, func() gqlScalar { return new(Time) },
			func() gqlScalar { return new(Email) }, func() gqlScalar { return new(URL) },
			func() gqlScalar { return new(Phone) }, func() gqlScalar { return new(IPAddress) },
			func() gqlScalar { return new(JSON) }, func() gqlScalar { return new(Timestamp) },
		} {
			for _, in := range []any{s, json.Number(s)} {
				v := newValue()
				if v.UnmarshalGQL(in) != nil {
					continue
				}
				out := marshal(v.(graphql.Marshaler))
				dec := json.NewDecoder(strings.NewReader(out))
				dec.UseNumber()
				var back any
				if err := dec.Decode(&back); err != nil || dec.More() {
					t.Fatalf("%T: %q marshals to invalid JSON %s", v, s, out)
				}
				again := newValue()
				if err := again.UnmarshalGQL(back); err != nil {
					t.Fatalf("%T: %q marshals to %s, which is rejected: %v", v, s, out, err)
				}
				if a, b := reflect.ValueOf(v).Elem().Interface(), reflect.ValueOf(again).Elem().Interface(); a != b {
					t.Fatalf("%T: %q round trips to %v, want %v", v, s, b, a)
				}
			}
		}
		if tm, err := UnmarshalDateTime(s); err == nil {
			out := marshal(MarshalDateTime(tm))
			var back string
			if json.Unmarshal([]byte(out), &back) != nil {
				t.Fatalf("MarshalDateTime wrote invalid JSON %s", out)
			}
			if again, err := UnmarshalDateTime(back); err != nil || !again.Equal(tm) {
				t.Fatalf("%q -> %s -> %v, %v", s, out, again, err)
			}
		}
		d := Date(s)
		d.Civil()
		d.Day()
		Time(s).Clock()
	})
}

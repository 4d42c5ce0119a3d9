package scalars

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"
)

const wantJSON = "a string holding valid JSON, or any JSON value"

// JSON is an AWSJSON value: it always holds serialized, compact JSON text,
// e.g. `{"a":1}`, `[1,2]`, `"text"` or `null`. Its zero value stands for
// null.
type JSON string

// ParseJSON validates s as JSON text and returns it compacted (insignificant
// whitespace removed; everything else, including escape sequences and key
// order, is kept). s must be valid UTF-8 and a single valid JSON value;
// otherwise ParseJSON returns a client-safe error naming AWSJSON and the zero
// JSON.
func ParseJSON(s string) (JSON, error) {
	if !utf8.ValidString(s) {
		return "", inputErrorf("%s: the string is not valid UTF-8 (want %s)", nameJSON, wantJSON)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(s)); err != nil {
		return "", &InputError{
			msg:   fmt.Sprintf("%s: %s is not valid JSON (want %s)", nameJSON, quote(s), wantJSON),
			cause: err,
		}
	}
	return JSON(buf.String()), nil
}

// JSONOf serializes v with encoding/json (HTML characters are not escaped)
// and returns the result as a JSON. Values that encoding/json cannot encode
// (NaN, channels, functions, cycles, failing or panicking MarshalJSON methods)
// yield a client-safe error naming AWSJSON, wrapping the encoder's error, and
// the zero JSON.
func JSONOf(v any) (j JSON, err error) {
	defer func() {
		if r := recover(); r != nil { // a panicking MarshalJSON method
			j, err = "", &InputError{
				msg:   fmt.Sprintf("%s: the %s value cannot be serialized as JSON", nameJSON, kindOf(v)),
				cause: fmt.Errorf("panic while encoding: %v", r),
			}
		}
	}()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", &InputError{
			msg:   fmt.Sprintf("%s: the %s value cannot be serialized as JSON", nameJSON, kindOf(v)),
			cause: err,
		}
	}
	return JSON(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// Decode unmarshals j into dst with encoding/json; the zero JSON decodes as
// null. It returns encoding/json's error unchanged.
func (j JSON) Decode(dst any) error {
	if j == "" {
		return json.Unmarshal([]byte("null"), dst)
	}
	return json.Unmarshal([]byte(j), dst)
}

// MarshalGQL writes j as a JSON string literal whose content is the
// serialized JSON, e.g. {"a":1} is written as "{\"a\":1}". The zero JSON is
// written as "null".
func (j JSON) MarshalGQL(w io.Writer) {
	if j == "" {
		writeString(w, "null")
		return
	}
	writeString(w, string(j))
}

// UnmarshalGQL sets j from either serialized JSON or a decoded JSON value:
//   - a string (or JSON, or json.RawMessage) must hold valid JSON text and is
//     kept compacted, as ParseJSON does; "{\"a\":1}" becomes {"a":1};
//   - any other value (map, slice, json.Number, number, bool, nil) is
//     serialized, as JSONOf does; nil becomes null.
//
// A string that is not valid JSON, or a value that cannot be serialized,
// yields a client-safe error naming AWSJSON and leaves j unchanged.
func (j *JSON) UnmarshalGQL(v any) error {
	var (
		p   JSON
		err error
	)
	switch x := v.(type) {
	case string:
		p, err = ParseJSON(x)
	case JSON:
		p, err = ParseJSON(string(x))
	case json.RawMessage:
		p, err = ParseJSON(string(x))
	default:
		p, err = JSONOf(v)
	}
	if err != nil {
		return err
	}
	*j = p
	return nil
}

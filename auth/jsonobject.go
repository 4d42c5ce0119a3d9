package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// errDuplicateName is wrapped by decodeObject when a member name repeats.
var errDuplicateName = errors.New("duplicate member name")

// decodeObject decodes data, which must be exactly one JSON object, into a
// map with the value types json.Unmarshal produces. Unlike json.Unmarshal,
// which silently keeps the last of repeated names, it returns an error
// wrapping errDuplicateName when a top-level member name occurs twice
// (compared after unescaping, so "sub" and "s\u0075b" are the same name).
// Nested objects are not checked. It returns another error for invalid JSON,
// a value that is not an object (null included) or trailing data.
func decodeObject(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.Join(errors.New("not a JSON object"), err)
	}
	obj := make(map[string]any)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, ok := tok.(string)
		if !ok { // unreachable: Token only yields strings in name position
			return nil, errors.New("object member name is not a string")
		}
		if _, dup := obj[name]; dup {
			return nil, fmt.Errorf("%w %.64q", errDuplicateName, name)
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		obj[name] = v
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.Join(errors.New("data after the JSON object"), err)
	}
	return obj, nil
}

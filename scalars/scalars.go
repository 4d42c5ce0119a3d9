// Package scalars implements AppSync's built-in AWS scalars (AWSDate, AWSTime,
// AWSDateTime, AWSTimestamp, AWSEmail, AWSURL, AWSPhone, AWSJSON, AWSIPAddress)
// for gqlgen: parsing and validation of input, and serialization of output,
// the way AppSync does it.
//
// # Input
//
// Every UnmarshalGQL method (and UnmarshalDateTime) accepts the Go values gqlgen
// hands to custom scalars: values decoded from JSON variables (string,
// json.Number, bool, nil, map[string]any, []any) and values taken from query
// literals (string, int64, float64, ...). A value of the wrong kind is an error,
// never a panic. On error the receiver is left unchanged.
//
// Errors are client-safe: their message starts with the AppSync scalar name
// (for example "AWSDate: ..."), quotes at most a short prefix of the offending
// input, states the expected format, and never mentions Go types.
//
// # Output
//
// Every MarshalGQL method writes valid JSON: strings are written as properly
// escaped JSON string literals, AWSTimestamp as a bare JSON number. MarshalGQL
// does not validate: values that did not come from the matching Parse function
// or UnmarshalGQL are written as they are.
//
// # gqlgen mapping
//
// AWSDateTime is mapped to time.Time through the MarshalDateTime and
// UnmarshalDateTime functions (model "scalars.DateTime" in gqlgen.yml), so
// this package deliberately declares no DateTime type.
package scalars

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// AppSync scalar names, used as the prefix of every error message.
const (
	nameDate      = "AWSDate"
	nameTime      = "AWSTime"
	nameDateTime  = "AWSDateTime"
	nameTimestamp = "AWSTimestamp"
	nameEmail     = "AWSEmail"
	nameURL       = "AWSURL"
	namePhone     = "AWSPhone"
	nameJSON      = "AWSJSON"
	nameIPAddress = "AWSIPAddress"
)

// maxQuoted is the number of bytes of an invalid input echoed back in an
// error message; longer inputs are truncated so that errors stay small.
const maxQuoted = 64

// writeString writes s to w as a JSON string literal.
func writeString(w io.Writer, s string) {
	_, _ = w.Write(appendJSONString(make([]byte, 0, len(s)+2), s))
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s to buf as a JSON string literal (RFC 8259).
// Quotes, backslashes and control characters are escaped; invalid UTF-8 is
// replaced by U+FFFD; U+2028 and U+2029 are escaped so that the output is
// also safe to embed in JavaScript.
func appendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch b {
			case '"', '\\':
				buf = append(buf, '\\', b)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			case '\b':
				buf = append(buf, '\\', 'b')
			case '\f':
				buf = append(buf, '\\', 'f')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// asString returns v if it is a string, or a client-safe error naming the
// scalar and the kind of value that was received instead.
func asString(scalar string, v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", inputErrorf("%s: expected a string, got %s", scalar, kindOf(v))
}

// kindOf describes the kind of v in GraphQL/JSON terms (null, boolean,
// number, string, object, list), never with a Go type name.
func kindOf(v any) string {
	if _, ok := v.(json.Number); ok {
		return "number"
	}
	rv := reflect.ValueOf(v)
	for depth := 0; rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface; depth++ {
		if rv.IsNil() {
			return "null"
		}
		if depth == 8 {
			return "an unsupported value"
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Invalid:
		return "null"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Uintptr, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Slice, reflect.Array:
		return "list"
	default:
		return "an unsupported value"
	}
}

// quote returns s quoted for an error message, truncated to maxQuoted bytes
// (on a rune boundary) with a trailing ellipsis when it is longer.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	n := maxQuoted
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strconv.Quote(s[:n]) + "..."
}

// invalid returns the standard client-safe error for a string input s that is
// not a valid value of scalar: `<scalar>: "<s>" is not a valid <what> (want <want>)`.
func invalid(scalar, s, what, want string) error {
	return inputErrorf("%s: %s is not a valid %s (want %s)", scalar, quote(s), what, want)
}

// InputError is the error of every invalid scalar input: its message is
// safe to show a client (it names the scalar and what was wanted); a
// wrapped cause, if any, stays available to errors.Is and errors.As for
// logs. IsInputError tells it apart from other errors.
type InputError struct {
	msg   string
	cause error
}

func (e *InputError) Error() string { return e.msg }
func (e *InputError) Unwrap() error { return e.cause }

// inputErrorf returns an *InputError with a formatted message.
func inputErrorf(format string, args ...any) error {
	return &InputError{msg: fmt.Sprintf(format, args...)}
}

// IsInputError reports whether err's chain holds an *InputError: an input
// value was not a valid AWS scalar.
func IsInputError(err error) bool {
	var e *InputError
	return errors.As(err, &e)
}

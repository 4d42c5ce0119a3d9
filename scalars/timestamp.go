package scalars

import (
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

const wantTimestamp = "an integer number of seconds since 1970-01-01T00:00:00Z"

// Timestamp is an AWSTimestamp: a whole number of seconds since the Unix
// epoch (1970-01-01T00:00:00Z); negative values are instants before it.
type Timestamp int64

// TimestampOf returns t as a Timestamp, truncating to whole seconds towards
// the past (as time.Time.Unix does).
func TimestampOf(t time.Time) Timestamp { return Timestamp(t.Unix()) }

// Time returns ts as a time.Time in UTC.
func (ts Timestamp) Time() time.Time { return time.Unix(int64(ts), 0).UTC() }

// MarshalGQL writes ts as a bare JSON number.
func (ts Timestamp) MarshalGQL(w io.Writer) {
	var buf [20]byte
	_, _ = w.Write(strconv.AppendInt(buf[:0], int64(ts), 10))
}

// UnmarshalGQL sets ts from a number: any Go integer type, Timestamp,
// json.Number, or float32/float64 holding an integral value. json.Number is
// decoded exactly, so 1e3 and 2.0 are accepted while 1.5 is not. Strings,
// fractional numbers, NaN, ±Inf, values outside the int64 range and any other
// input yield a client-safe error naming AWSTimestamp and leave ts unchanged.
func (ts *Timestamp) UnmarshalGQL(v any) error {
	var (
		n   int64
		err error
	)
	switch x := v.(type) {
	case int:
		n = int64(x)
	case int8:
		n = int64(x)
	case int16:
		n = int64(x)
	case int32:
		n = int64(x)
	case int64:
		n = x
	case Timestamp:
		n = int64(x)
	case uint:
		n, err = fromUint64(uint64(x))
	case uint8:
		n = int64(x)
	case uint16:
		n = int64(x)
	case uint32:
		n = int64(x)
	case uint64:
		n, err = fromUint64(x)
	case float32:
		n, err = fromFloat(float64(x))
	case float64:
		n, err = fromFloat(x)
	case json.Number:
		n, err = fromDecimal(string(x))
	case string:
		err = inputErrorf("%s: expected a number, got the string %s (want %s)", nameTimestamp, quote(x), wantTimestamp)
	default:
		err = inputErrorf("%s: expected a number, got %s (want %s)", nameTimestamp, kindOf(v), wantTimestamp)
	}
	if err != nil {
		return err
	}
	*ts = Timestamp(n)
	return nil
}

func errNotInteger(s string) error {
	return inputErrorf("%s: %s is not a whole number of seconds (want %s)", nameTimestamp, quote(s), wantTimestamp)
}

func errOutOfRange(s string) error {
	return inputErrorf("%s: %s is out of range for a 64-bit timestamp (want %s)", nameTimestamp, quote(s), wantTimestamp)
}

func fromUint64(u uint64) (int64, error) {
	if u > math.MaxInt64 {
		return 0, errOutOfRange(strconv.FormatUint(u, 10))
	}
	return int64(u), nil
}

func fromFloat(f float64) (int64, error) {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f):
		return 0, errNotInteger(strconv.FormatFloat(f, 'g', -1, 64))
	case f < -0x1p63 || f >= 0x1p63:
		return 0, errOutOfRange(strconv.FormatFloat(f, 'g', -1, 64))
	default:
		return int64(f), nil
	}
}

// fromDecimal converts the decimal number s (JSON number syntax, as held by
// a json.Number) to an int64 exactly, without going through float64: it
// normalizes the digits and the exponent and only accepts integral values in
// range. Huge exponents are handled without expanding them.
func fromDecimal(s string) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	notNumber := func() error {
		return inputErrorf("%s: %s is not a number (want %s)", nameTimestamp, quote(s), wantTimestamp)
	}
	rest, neg := strings.CutPrefix(s, "-")
	intPart, rest := leadingDigits(rest)
	if intPart == "" {
		return 0, notNumber()
	}
	var frac string
	if after, ok := strings.CutPrefix(rest, "."); ok {
		if frac, rest = leadingDigits(after); frac == "" {
			return 0, notNumber()
		}
	}
	var exp int64 // saturated at ±1e18, far beyond any input length
	if len(rest) > 0 && (rest[0] == 'e' || rest[0] == 'E') {
		rest = rest[1:]
		expNeg := false
		if len(rest) > 0 && (rest[0] == '+' || rest[0] == '-') {
			expNeg = rest[0] == '-'
			rest = rest[1:]
		}
		var e string
		if e, rest = leadingDigits(rest); e == "" {
			return 0, notNumber()
		}
		if e = strings.TrimLeft(e, "0"); len(e) > 18 {
			exp = 1e18
		} else if e != "" {
			exp, _ = strconv.ParseInt(e, 10, 64)
		}
		if expNeg {
			exp = -exp
		}
	}
	if rest != "" {
		return 0, notNumber()
	}
	// value = ±mant × 10^scale, with mant free of leading and trailing zeros.
	mant := strings.TrimLeft(intPart+frac, "0")
	if mant == "" {
		return 0, nil
	}
	trimmed := strings.TrimRight(mant, "0")
	scale := exp - int64(len(frac)) + int64(len(mant)-len(trimmed))
	switch {
	case scale < 0: // the last significant digit is after the decimal point
		return 0, errNotInteger(s)
	case int64(len(trimmed))+scale > 19:
		return 0, errOutOfRange(s)
	}
	d := trimmed + strings.Repeat("0", int(scale))
	if neg {
		d = "-" + d
	}
	n, err := strconv.ParseInt(d, 10, 64)
	if err != nil {
		return 0, errOutOfRange(s)
	}
	return n, nil
}

// leadingDigits splits s after its leading ASCII digits.
func leadingDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}

package scalars

import (
	"io"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

const (
	wantDate     = "YYYY-MM-DD with an optional offset such as Z or +05:30"
	wantTime     = "hh:mm, hh:mm:ss or hh:mm:ss.sss (1-9 fraction digits) with an optional offset such as Z or +05:30"
	wantDateTime = "YYYY-MM-DDThh:mm[:ss[.sss]] followed by an offset such as Z or +05:30"
)

// Date is an AWSDate: an ISO 8601 calendar date YYYY-MM-DD with an optional
// UTC offset, e.g. "1970-01-01", "1970-01-01Z", "1970-01-01-07:00". A Date
// obtained from ParseDate or UnmarshalGQL holds the input exactly as given.
type Date string

// ParseDate validates s as an AWSDate and returns it unchanged as a Date.
// The date must exist in the Gregorian calendar (2024-02-29 is valid,
// 2023-02-29 is not) with a 4-digit year; the optional offset is Z or ±hh:mm
// with hh 00-23 and mm 00-59. Otherwise ParseDate returns a client-safe error
// naming AWSDate and the zero Date.
func ParseDate(s string) (Date, error) {
	if _, _, ok := splitDate(s); !ok {
		return "", invalid(nameDate, s, "date", wantDate)
	}
	return Date(s), nil
}

// DateOf returns the calendar date of t in t's own location as a Date
// without offset (YYYY-MM-DD). It returns the zero Date, which is not a valid
// AWSDate, when t's year is outside 0000-9999.
func DateOf(t time.Time) Date {
	if y := t.Year(); y < 0 || y > 9999 {
		return ""
	}
	return Date(t.Format(time.DateOnly))
}

// Civil returns the calendar date, ignoring any offset. It returns
// (0, 0, 0) if d is not a valid AWSDate; it never panics.
func (d Date) Civil() (year int, month time.Month, day int) {
	c, _, ok := splitDate(string(d))
	if !ok {
		return 0, 0, 0
	}
	return c.year, c.month, c.day
}

// Day returns the date as YYYY-MM-DD without any offset. It returns "" if d
// is not a valid AWSDate; it never panics.
func (d Date) Day() string {
	if _, _, ok := splitDate(string(d)); !ok {
		return ""
	}
	return string(d)[:10]
}

// MarshalGQL writes d as a JSON string, exactly as stored.
func (d Date) MarshalGQL(w io.Writer) { writeString(w, string(d)) }

// UnmarshalGQL sets d from a string input validated by ParseDate. Any other
// input, or an invalid date, yields a client-safe error naming AWSDate and
// leaves d unchanged.
func (d *Date) UnmarshalGQL(v any) error {
	s, err := asString(nameDate, v)
	if err != nil {
		return err
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Time is an AWSTime: hh:mm, hh:mm:ss or hh:mm:ss.sss (1 to 9 fraction
// digits) with an optional UTC offset, e.g. "12:30", "12:30:00.123Z",
// "23:59:59+05:30". A Time obtained from ParseTime or UnmarshalGQL holds the
// input exactly as given.
type Time string

// ParseTime validates s as an AWSTime and returns it unchanged as a Time.
// Hours must be 00-23, minutes and seconds 00-59 (no leap second), a
// fraction needs seconds and has 1 to 9 digits, and the optional offset is Z
// or ±hh:mm. Otherwise ParseTime returns a client-safe error naming AWSTime
// and the zero Time.
func ParseTime(s string) (Time, error) {
	if _, _, ok := splitTime(s); !ok {
		return "", invalid(nameTime, s, "time", wantTime)
	}
	return Time(s), nil
}

// TimeOf returns the wall-clock time of t in t's own location as a Time
// without offset: hh:mm:ss, followed by the fraction (without trailing
// zeros) when t has a non-zero nanosecond.
func TimeOf(t time.Time) Time {
	return Time(t.Format("15:04:05.999999999"))
}

// Clock returns the wall-clock parts, ignoring any offset; nsec comes from
// the fraction ("12:00:00.5" gives nsec 500000000). It returns all zeros if t
// is not a valid AWSTime; it never panics.
func (t Time) Clock() (hour, min, sec, nsec int) {
	c, _, ok := splitTime(string(t))
	if !ok {
		return 0, 0, 0, 0
	}
	return c.hour, c.min, c.sec, c.nsec
}

// MarshalGQL writes t as a JSON string, exactly as stored.
func (t Time) MarshalGQL(w io.Writer) { writeString(w, string(t)) }

// UnmarshalGQL sets t from a string input validated by ParseTime. Any other
// input, or an invalid time, yields a client-safe error naming AWSTime and
// leaves t unchanged.
func (t *Time) UnmarshalGQL(v any) error {
	s, err := asString(nameTime, v)
	if err != nil {
		return err
	}
	p, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = p
	return nil
}

// MarshalDateTime returns a gqlgen marshaler writing t as an AWSDateTime:
// an RFC 3339 JSON string in t's own offset ("Z" for UTC), with seconds always
// present and fractional seconds only when non-zero, trailing zeros removed
// (time.RFC3339Nano). Years outside 0000-9999 cannot be expressed in RFC 3339
// and are written in Go's extended form, which clients may reject.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		// RFC 3339 text never needs JSON escaping: quote it in one buffer.
		buf := make([]byte, 0, len(`"2006-01-02T15:04:05.999999999-07:00"`))
		buf = append(t.AppendFormat(append(buf, '"'), time.RFC3339Nano), '"')
		_, _ = w.Write(buf)
	})
}

// UnmarshalDateTime parses an AWSDateTime, YYYY-MM-DDThh:mm[:ss[.sss]]
// followed by a required offset (Z or ±hh:mm); seconds are optional and the
// fraction has 1 to 9 digits. The result carries the input's offset (UTC for
// Z and ±00:00, otherwise a fixed zone). Non-string input, a missing offset or
// any invalid field yields a client-safe error naming AWSDateTime and the zero
// time.Time.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, err := asString(nameDateTime, v)
	if err != nil {
		return time.Time{}, err
	}
	return ParseDateTime(s)
}

// ParseDateTime is UnmarshalDateTime for a string: it parses s as an
// AWSDateTime with the same rules and the same error contract.
func ParseDateTime(s string) (time.Time, error) {
	d, c, z, ok := splitDateTime(s)
	if !ok {
		return time.Time{}, invalid(nameDateTime, s, "date-time", wantDateTime)
	}
	if !z.present {
		return time.Time{}, inputErrorf("%s: %s has no offset (want %s)", nameDateTime, quote(s), wantDateTime)
	}
	return time.Date(d.year, d.month, d.day, c.hour, c.min, c.sec, c.nsec, z.location()), nil
}

package scalars

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

func TestTimestampUnmarshalGQL(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want int64
		err  string // substring of the expected error; "" means success
	}{
		{"int", 1700000000, 1700000000, ""},
		{"int64", int64(-1), -1, ""},
		{"int32", int32(-86400), -86400, ""},
		{"int8", int8(-5), -5, ""},
		{"uint32", uint32(5), 5, ""},
		{"uint64 max int64", uint64(math.MaxInt64), math.MaxInt64, ""},
		{"uint64 too big", uint64(math.MaxInt64) + 1, 0, "out of range"},
		{"timestamp", Timestamp(9), 9, ""},
		{"zero", 0, 0, ""},
		{"min int64", int64(math.MinInt64), math.MinInt64, ""},
		{"float integral", 1700000000.0, 1700000000, ""},
		{"float negative", -62135596800.0, -62135596800, ""},
		{"float min int64", -0x1p63, math.MinInt64, ""},
		{"float32 integral", float32(1024), 1024, ""},
		{"float fraction", 1.5, 0, "not a whole number"},
		{"float tiny fraction", 1e-300, 0, "not a whole number"},
		{"float NaN", math.NaN(), 0, "not a whole number"},
		{"float +Inf", math.Inf(1), 0, "not a whole number"},
		{"float -Inf", math.Inf(-1), 0, "not a whole number"},
		{"float 2^63", 0x1p63, 0, "out of range"},
		{"float huge", 1e300, 0, "out of range"},
		{"json number", json.Number("1700000000"), 1700000000, ""},
		{"json number negative", json.Number("-42"), -42, ""},
		{"json number max", json.Number("9223372036854775807"), math.MaxInt64, ""},
		{"json number min", json.Number("-9223372036854775808"), math.MinInt64, ""},
		{"json number min with fraction", json.Number("-9223372036854775808.000"), math.MinInt64, ""},
		{"json number integral fraction", json.Number("2.0"), 2, ""},
		{"json number exponent", json.Number("1e3"), 1000, ""},
		{"json number exponent fraction", json.Number("1.25E2"), 125, ""},
		{"json number negative exponent", json.Number("1500e-3"), 0, "not a whole number"},
		{"json number exact big", json.Number("9007199254740993.0"), 9007199254740993, ""},
		{"json number zero exponent huge", json.Number("0e99999999999999999999"), 0, ""},
		{"json number 1.5", json.Number("1.5"), 0, "not a whole number"},
		{"json number tiny", json.Number("1e-99999999999999999999"), 0, "not a whole number"},
		{"json number over max", json.Number("9223372036854775808"), 0, "out of range"},
		{"json number under min", json.Number("-9223372036854775809"), 0, "out of range"},
		{"json number huge exponent", json.Number("1e99999999999999999999"), 0, "out of range"},
		{"json number 1e19", json.Number("1e19"), 0, "out of range"},
		{"json number empty", json.Number(""), 0, "not a number"},
		{"json number garbage", json.Number("12abc"), 0, "not a number"},
		{"json number dot", json.Number("1."), 0, "not a number"},
		{"json number bare exponent", json.Number("1e"), 0, "not a number"},
		{"json number hex", json.Number("0x10"), 0, "not a number"},
		{"string", "1700000000", 0, "got the string"},
		{"nil", nil, 0, "got null"},
		{"bool", true, 0, "got boolean"},
		{"map", map[string]any{}, 0, "got object"},
		{"slice", []any{1}, 0, "got list"},
		{"time", time.Unix(0, 0), 0, "got object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := Timestamp(123)
			err := ts.UnmarshalGQL(tt.in)
			if tt.err != "" {
				if err == nil {
					t.Fatalf("UnmarshalGQL = %d, want error containing %q", ts, tt.err)
				}
				if !strings.HasPrefix(err.Error(), "AWSTimestamp: ") || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %q, want AWSTimestamp prefix and %q", err, tt.err)
				}
				if ts != 123 {
					t.Errorf("receiver changed to %d on error", ts)
				}
				return
			}
			if err != nil || int64(ts) != tt.want {
				t.Fatalf("UnmarshalGQL = %d, %v; want %d", ts, err, tt.want)
			}
		})
	}
}

func TestTimestampMarshalGQL(t *testing.T) {
	tests := []struct {
		name string
		in   Timestamp
		want string
	}{
		{"zero", 0, "0"},
		{"positive", 1700000000, "1700000000"},
		{"negative", -1, "-1"},
		{"max", math.MaxInt64, "9223372036854775807"},
		{"min", math.MinInt64, "-9223372036854775808"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := marshal(tt.in)
			if got != tt.want || !json.Valid([]byte(got)) {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			var back Timestamp
			if err := back.UnmarshalGQL(json.Number(got)); err != nil || back != tt.in {
				t.Errorf("round trip = %d, %v", back, err)
			}
		})
	}
}

func TestTimestampTime(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want Timestamp
	}{
		{"epoch", time.Unix(0, 0), 0},
		{"before epoch", time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC), -1},
		{"truncates", time.Unix(10, 999999999), 10},
		{"zone independent", time.Date(1970, 1, 1, 1, 0, 0, 0, time.FixedZone("", 3600)), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := TimestampOf(tt.in)
			if ts != tt.want {
				t.Errorf("TimestampOf = %d, want %d", ts, tt.want)
			}
			if got := ts.Time(); got.Unix() != int64(tt.want) || got.Location() != time.UTC {
				t.Errorf("Time() = %v", got)
			}
		})
	}
}

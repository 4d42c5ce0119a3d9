package scalars

import (
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		day  string
		y, d int
		m    time.Month
	}{
		{in: "1970-01-01", ok: true, day: "1970-01-01", y: 1970, m: 1, d: 1},
		{in: "1970-01-01Z", ok: true, day: "1970-01-01", y: 1970, m: 1, d: 1},
		{in: "1970-01-01-07:00", ok: true, day: "1970-01-01", y: 1970, m: 1, d: 1},
		{in: "1970-01-01+05:30", ok: true, day: "1970-01-01", y: 1970, m: 1, d: 1},
		{in: "2024-02-29", ok: true, day: "2024-02-29", y: 2024, m: 2, d: 29},
		{in: "2000-02-29", ok: true, day: "2000-02-29", y: 2000, m: 2, d: 29},
		{in: "9999-12-31+23:59", ok: true, day: "9999-12-31", y: 9999, m: 12, d: 31},
		{in: "0000-01-01-00:00", ok: true, day: "0000-01-01", y: 0, m: 1, d: 1},
		{in: "2023-02-29"},
		{in: "1900-02-29"},
		{in: "2023-02-30"},
		{in: "2023-04-31"},
		{in: "2023-13-01"},
		{in: "2023-00-10"},
		{in: "2023-01-00"},
		{in: "2023-01-32"},
		{in: ""},
		{in: "2023-1-01"},
		{in: "23-01-01"},
		{in: "20231-01-01"},
		{in: "2023/01/01"},
		{in: "2023-01-01T00:00Z"},
		{in: "2023-01-01z"},
		{in: "2023-01-01 "},
		{in: " 2023-01-01"},
		{in: "2023-01-01+24:00"},
		{in: "2023-01-01+05:60"},
		{in: "2023-01-01+0530"},
		{in: "2023-01-01+05"},
		{in: "2023-01-01+5:30"},
		{in: "+2023-01-01"},
		{in: "２０２３-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseDate(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if !tt.ok {
				if got != "" || !strings.HasPrefix(err.Error(), "AWSDate: ") {
					t.Errorf("got %q, %v", got, err)
				}
				var d Date = "keep"
				if d.UnmarshalGQL(tt.in) == nil || d != "keep" {
					t.Errorf("UnmarshalGQL accepted %q or changed the receiver", tt.in)
				}
				return
			}
			if string(got) != tt.in {
				t.Errorf("ParseDate(%q) = %q, want input unchanged", tt.in, got)
			}
			var d Date
			if err := d.UnmarshalGQL(tt.in); err != nil || d != got {
				t.Fatalf("UnmarshalGQL: %q, %v", d, err)
			}
			if out := marshal(d); out != `"`+tt.in+`"` {
				t.Errorf("MarshalGQL = %s", out)
			}
			if d.Day() != tt.day {
				t.Errorf("Day() = %q, want %q", d.Day(), tt.day)
			}
			if y, m, dd := d.Civil(); y != tt.y || m != tt.m || dd != tt.d {
				t.Errorf("Civil() = %d %v %d, want %d %v %d", y, m, dd, tt.y, tt.m, tt.d)
			}
		})
	}
	checkWrongTypes(t, "AWSDate", func() gqlScalar { d := Date("keep"); return &d })
}

func TestDateAccessorsOnInvalidValues(t *testing.T) {
	for _, d := range []Date{"", "x", "2023", "2023-02-30", "2023-01-01junk", "2023-01-0"} {
		t.Run(string(d), func(t *testing.T) {
			if y, m, dd := d.Civil(); y != 0 || m != 0 || dd != 0 {
				t.Errorf("Civil() = %d %v %d, want zeros", y, m, dd)
			}
			if got := d.Day(); got != "" {
				t.Errorf("Day() = %q, want empty", got)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in                   string
		ok                   bool
		hour, min, sec, nsec int
	}{
		{in: "00:00", ok: true},
		{in: "12:30", ok: true, hour: 12, min: 30},
		{in: "23:59:59", ok: true, hour: 23, min: 59, sec: 59},
		{in: "12:30:15.1", ok: true, hour: 12, min: 30, sec: 15, nsec: 100000000},
		{in: "12:30:15.123", ok: true, hour: 12, min: 30, sec: 15, nsec: 123000000},
		{in: "12:30:15.123456789", ok: true, hour: 12, min: 30, sec: 15, nsec: 123456789},
		{in: "12:30:15.000000001Z", ok: true, hour: 12, min: 30, sec: 15, nsec: 1},
		{in: "12:30Z", ok: true, hour: 12, min: 30},
		{in: "12:30:15-07:00", ok: true, hour: 12, min: 30, sec: 15},
		{in: "12:30:15.5+05:30", ok: true, hour: 12, min: 30, sec: 15, nsec: 500000000},
		{in: "12:30:15.1234567890"},
		{in: "12:30:15."},
		{in: "12:30.5"},
		{in: "24:00"},
		{in: "12:60"},
		{in: "12:30:60"},
		{in: "1:30"},
		{in: "12:3"},
		{in: "1230"},
		{in: "12"},
		{in: ""},
		{in: "12:30:15,5"},
		{in: "12:30+24:00"},
		{in: "12:30 Z"},
		{in: "12:30z"},
		{in: "12:30:15.5+05"},
		{in: "T12:30"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTime(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseTime(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			var v Time = "keep"
			uerr := v.UnmarshalGQL(tt.in)
			if !tt.ok {
				if !strings.HasPrefix(err.Error(), "AWSTime: ") || uerr == nil || v != "keep" {
					t.Errorf("got %q, %v, UnmarshalGQL %v, receiver %q", got, err, uerr, v)
				}
				return
			}
			if uerr != nil || string(v) != tt.in || string(got) != tt.in {
				t.Fatalf("got %q / %q, %v", got, v, uerr)
			}
			if out := marshal(v); out != `"`+tt.in+`"` {
				t.Errorf("MarshalGQL = %s", out)
			}
			h, m, s, ns := v.Clock()
			if h != tt.hour || m != tt.min || s != tt.sec || ns != tt.nsec {
				t.Errorf("Clock() = %d %d %d %d, want %d %d %d %d", h, m, s, ns, tt.hour, tt.min, tt.sec, tt.nsec)
			}
		})
	}
	checkWrongTypes(t, "AWSTime", func() gqlScalar { v := Time("keep"); return &v })
}

func TestTimeClockOnInvalidValues(t *testing.T) {
	for _, v := range []Time{"", "1", "12:", "25:00", "12:30:15.", "12:30junk"} {
		t.Run(string(v), func(t *testing.T) {
			if h, m, s, ns := v.Clock(); h != 0 || m != 0 || s != 0 || ns != 0 {
				t.Errorf("Clock() = %d %d %d %d, want zeros", h, m, s, ns)
			}
		})
	}
}

func TestUnmarshalDateTime(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		want string // RFC 3339 rendering via MarshalDateTime content
	}{
		{in: "1970-01-01T00:00Z", ok: true, want: "1970-01-01T00:00:00Z"},
		{in: "1970-01-01T00:00:00Z", ok: true, want: "1970-01-01T00:00:00Z"},
		{in: "2024-02-29T12:30:15.5+05:30", ok: true, want: "2024-02-29T12:30:15.5+05:30"},
		{in: "2024-02-29T12:30:15.123456789-07:00", ok: true, want: "2024-02-29T12:30:15.123456789-07:00"},
		{in: "2024-02-29T12:30:15.100+00:00", ok: true, want: "2024-02-29T12:30:15.1Z"},
		{in: "2024-02-29T12:30:15.000Z", ok: true, want: "2024-02-29T12:30:15Z"},
		{in: "2024-02-29T23:59-00:00", ok: true, want: "2024-02-29T23:59:00Z"},
		{in: "2024-02-29T12:30:15"},
		{in: "2024-02-29T12:30"},
		{in: "2024-02-29T12:30:15.1234567890Z"},
		{in: "2023-02-29T12:30:15Z"},
		{in: "2024-02-29 12:30:15Z"},
		{in: "2024-02-29t12:30:15Z"},
		{in: "2024-02-29T24:00:00Z"},
		{in: "2024-02-29T12:30:15+24:00"},
		{in: "2024-02-29T12Z"},
		{in: "2024-02-29Z"},
		{in: "2024-02-29"},
		{in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := UnmarshalDateTime(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("UnmarshalDateTime(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if !tt.ok {
				if !got.IsZero() || !strings.HasPrefix(err.Error(), "AWSDateTime: ") {
					t.Errorf("got %v, %v", got, err)
				}
				return
			}
			if out := marshal(MarshalDateTime(got)); out != `"`+tt.want+`"` {
				t.Errorf("MarshalDateTime = %s, want %q", out, tt.want)
			}
			back, err := UnmarshalDateTime(tt.want)
			if err != nil || !back.Equal(got) {
				t.Errorf("round trip of %q: %v, %v", tt.want, back, err)
			}
		})
	}
	t.Run("missing offset message", func(t *testing.T) {
		_, err := UnmarshalDateTime("2024-02-29T12:30:15")
		if err == nil || !strings.Contains(err.Error(), "has no offset") {
			t.Errorf("got %v", err)
		}
	})
	for name, in := range wrongTypes {
		t.Run("wrong type/"+name, func(t *testing.T) {
			if _, err := UnmarshalDateTime(in); err == nil || !strings.HasPrefix(err.Error(), "AWSDateTime: ") {
				t.Errorf("UnmarshalDateTime(%#v) = %v", in, err)
			}
		})
	}
}

func TestMarshalDateTime(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"utc", time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC), `"2024-02-29T12:00:00Z"`},
		{"fixed zone", time.Date(2024, 2, 29, 12, 0, 0, 0, time.FixedZone("X", -7*3600)), `"2024-02-29T12:00:00-07:00"`},
		{"fraction", time.Date(2024, 2, 29, 12, 0, 0, 120000000, time.UTC), `"2024-02-29T12:00:00.12Z"`},
		{"zero", time.Time{}, `"0001-01-01T00:00:00Z"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := marshal(MarshalDateTime(tt.in)); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDateOfTimeOf(t *testing.T) {
	tests := []struct {
		name     string
		in       time.Time
		wantDate Date
		wantTime Time
	}{
		{"utc", time.Date(2024, 2, 29, 7, 5, 9, 0, time.UTC), "2024-02-29", "07:05:09"},
		{"fraction", time.Date(2024, 2, 29, 7, 5, 9, 500, time.UTC), "2024-02-29", "07:05:09.0000005"},
		{"local zone", time.Date(2024, 3, 1, 1, 0, 0, 0, time.FixedZone("", 5*3600)), "2024-03-01", "01:00:00"},
		{"year 0", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "0000-01-01", "00:00:00"},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "", "00:00:00"},
		{"negative year", time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), "", "00:00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DateOf(tt.in); got != tt.wantDate {
				t.Errorf("DateOf = %q, want %q", got, tt.wantDate)
			}
			if got := TimeOf(tt.in); got != tt.wantTime {
				t.Errorf("TimeOf = %q, want %q", got, tt.wantTime)
			}
			if tt.wantDate != "" {
				if _, err := ParseDate(string(DateOf(tt.in))); err != nil {
					t.Error(err)
				}
			}
			if _, err := ParseTime(string(TimeOf(tt.in))); err != nil {
				t.Error(err)
			}
		})
	}
}

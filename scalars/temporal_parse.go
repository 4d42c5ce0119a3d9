package scalars

import "time"

// This file holds the strict, allocation-free lexer shared by AWSDate,
// AWSTime and AWSDateTime. Every function takes the remaining input and
// reports ok=false instead of failing loudly; callers turn that into a
// client-safe error. Only ASCII digits are accepted, so no locale or Unicode
// digit ever sneaks through.

// civil is a validated calendar date.
type civil struct {
	year  int
	month time.Month
	day   int
}

// clock is a validated wall-clock time of day.
type clock struct {
	hour, min, sec, nsec int
}

// zone is a validated UTC offset suffix.
type zone struct {
	present bool // a suffix (Z or ±hh:mm) was given
	secs    int  // offset east of UTC, in seconds
}

// location returns the *time.Location for z: UTC for Z, +00:00 and -00:00,
// otherwise an unnamed fixed zone so that formatting prints the offset.
func (z zone) location() *time.Location {
	if z.secs == 0 {
		return time.UTC
	}
	return time.FixedZone("", z.secs)
}

// digits parses exactly n ASCII digits at the start of s.
func digits(s string, n int) (int, bool) {
	if len(s) < n {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// daysIn returns the number of days of month m in the proleptic Gregorian
// year y.
func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	default:
		return 31
	}
}

// parseCivil parses YYYY-MM-DD at the start of s (a real calendar date,
// year 0000-9999) and returns the rest of s.
func parseCivil(s string) (civil, string, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return civil{}, "", false
	}
	y, okY := digits(s, 4)
	m, okM := digits(s[5:], 2)
	d, okD := digits(s[8:], 2)
	if !okY || !okM || !okD || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return civil{}, "", false
	}
	return civil{year: y, month: time.Month(m), day: d}, s[10:], true
}

// parseClock parses hh:mm[:ss[.f]] at the start of s, where hh is 00-23,
// mm and ss are 00-59 and the fraction f has 1 to 9 digits, and returns the
// rest of s. A fraction is only allowed after seconds.
func parseClock(s string) (clock, string, bool) {
	if len(s) < 5 || s[2] != ':' {
		return clock{}, "", false
	}
	h, okH := digits(s, 2)
	m, okM := digits(s[3:], 2)
	if !okH || !okM || h > 23 || m > 59 {
		return clock{}, "", false
	}
	c := clock{hour: h, min: m}
	s = s[5:]
	if len(s) == 0 || s[0] != ':' {
		return c, s, true
	}
	sec, ok := digits(s[1:], 2)
	if !ok || sec > 59 {
		return clock{}, "", false
	}
	c.sec = sec
	s = s[3:]
	if len(s) == 0 || s[0] != '.' {
		return c, s, true
	}
	n := 0
	for n < 10 && 1+n < len(s) && s[1+n] >= '0' && s[1+n] <= '9' {
		n++
	}
	if n == 0 || n > 9 {
		return clock{}, "", false
	}
	frac, _ := digits(s[1:], n)
	for i := n; i < 9; i++ {
		frac *= 10
	}
	c.nsec = frac
	return c, s[1+n:], true
}

// parseZone parses s, which must be exactly empty (no offset), "Z", or
// ±hh:mm with hh 00-23 and mm 00-59.
func parseZone(s string) (zone, bool) {
	switch {
	case s == "":
		return zone{}, true
	case s == "Z":
		return zone{present: true}, true
	case len(s) == 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':':
		h, okH := digits(s[1:], 2)
		m, okM := digits(s[4:], 2)
		if !okH || !okM || h > 23 || m > 59 {
			return zone{}, false
		}
		secs := h*3600 + m*60
		if s[0] == '-' {
			secs = -secs
		}
		return zone{present: true, secs: secs}, true
	default:
		return zone{}, false
	}
}

// splitDate parses a complete AWSDate: YYYY-MM-DD plus an optional zone.
func splitDate(s string) (civil, zone, bool) {
	c, rest, ok := parseCivil(s)
	if !ok {
		return civil{}, zone{}, false
	}
	z, ok := parseZone(rest)
	if !ok {
		return civil{}, zone{}, false
	}
	return c, z, true
}

// splitTime parses a complete AWSTime: a clock plus an optional zone.
func splitTime(s string) (clock, zone, bool) {
	c, rest, ok := parseClock(s)
	if !ok {
		return clock{}, zone{}, false
	}
	z, ok := parseZone(rest)
	if !ok {
		return clock{}, zone{}, false
	}
	return c, z, true
}

// splitDateTime parses YYYY-MM-DDThh:mm[:ss[.f]] plus an optional zone; the
// caller decides whether a missing zone is an error.
func splitDateTime(s string) (civil, clock, zone, bool) {
	d, rest, ok := parseCivil(s)
	if !ok || len(rest) == 0 || rest[0] != 'T' {
		return civil{}, clock{}, zone{}, false
	}
	c, rest, ok := parseClock(rest[1:])
	if !ok {
		return civil{}, clock{}, zone{}, false
	}
	z, ok := parseZone(rest)
	if !ok {
		return civil{}, clock{}, zone{}, false
	}
	return d, c, z, true
}

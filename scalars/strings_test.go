package scalars

import (
	"strings"
	"testing"
)

// stringCase is one input for a string scalar and whether it is valid.
type stringCase struct {
	name string
	in   string
	ok   bool
}

// runStringCases checks parse, UnmarshalGQL (receiver untouched on error)
// and MarshalGQL for a string scalar.
func runStringCases(t *testing.T, scalar string, cases []stringCase,
	parse func(string) (string, error), newValue func() gqlScalar, value func(gqlScalar) string) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("parse(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			v := newValue()
			uerr := v.UnmarshalGQL(tt.in)
			if !tt.ok {
				if got != "" || !strings.HasPrefix(err.Error(), scalar+": ") {
					t.Errorf("got %q, %v", got, err)
				}
				if uerr == nil || value(v) != "keep" {
					t.Errorf("UnmarshalGQL: %v, receiver %q", uerr, value(v))
				}
				return
			}
			if got != tt.in || uerr != nil || value(v) != tt.in {
				t.Errorf("got %q / %q, %v; want the input unchanged", got, value(v), uerr)
			}
		})
	}
	checkWrongTypes(t, scalar, newValue)
}

func TestEmail(t *testing.T) {
	cases := []stringCase{
		{"simple", "a@example.com", true},
		{"plus and dots", "first.last+tag@sub.example.co.uk", true},
		{"single label domain", "root@localhost", true},
		{"quoted local part", `"a b"@example.com`, true},
		{"unicode", "jörg@exämple.de", true},
		{"empty", "", false},
		{"no at", "example.com", false},
		{"empty local", "@example.com", false},
		{"empty domain", "a@", false},
		{"display name", "Ann <a@example.com>", false},
		{"angle brackets", "<a@example.com>", false},
		{"leading space", " a@example.com", false},
		{"trailing space", "a@example.com ", false},
		{"comment", "a@example.com (Ann)", false},
		{"two ats", "a@b@example.com", false},
		{"space in local", "a b@example.com", false},
		{"list", "a@example.com, b@example.com", false},
		{"newline", "a@example.com\n", false},
	}
	runStringCases(t, "AWSEmail", cases,
		func(s string) (string, error) { v, err := ParseEmail(s); return string(v), err },
		func() gqlScalar { v := Email("keep"); return &v },
		func(v gqlScalar) string { return string(*v.(*Email)) })
}

func TestURL(t *testing.T) {
	cases := []stringCase{
		{"https", "https://x", true},
		{"full", "https://user@example.com:8443/a/b?q=1&r=%20#frag", true},
		{"mailto", "mailto:a@b", true},
		{"file", "file:///etc/hosts", true},
		{"urn", "urn:isbn:0451450523", true},
		{"ipv6 host", "http://[::1]:8080/", true},
		{"no scheme", "example.com", false},
		{"scheme relative", "//x", false},
		{"path only", "/a/b", false},
		{"empty", "", false},
		{"scheme only", "https:", false},
		{"empty authority", "https://", false},
		{"space", "https://example.com/a b", false},
		{"leading space", " https://example.com", false},
		{"control char", "https://example.com/\x7f", false},
		{"bad escape", "https://example.com/%zz", false},
		{"bad port", "http://example.com:port/", false},
		{"unclosed ipv6", "http://[::1/", false},
		{"invalid utf8", "https://example.com/\xff", false},
	}
	runStringCases(t, "AWSURL", cases,
		func(s string) (string, error) { v, err := ParseURL(s); return string(v), err },
		func() gqlScalar { v := URL("keep"); return &v },
		func(v gqlScalar) string { return string(*v.(*URL)) })
}

func TestPhone(t *testing.T) {
	cases := []stringCase{
		{"e164", "+14155552671", true},
		{"formatted us", "(415) 555-2671", true},
		{"dots", "415.555.2671", true},
		{"international spaced", "+44 20 7946 0958", true},
		{"three digits", "911", true},
		{"twenty digits", "+12345678901234567890", true},
		{"two digits", "12", false},
		{"twenty one digits", "123456789012345678901", false},
		{"empty", "", false},
		{"plus only", "+", false},
		{"letters", "1-800-FLOWERS", false},
		{"extension", "415 555 2671 x12", false},
		{"double plus", "++14155552671", false},
		{"inner plus", "1+4155552671", false},
		{"leading space", " 4155552671", false},
		{"trailing space", "4155552671 ", false},
		{"unicode digits", "٤١٥٥٥٥٢٦٧١", false},
		{"slash", "415/555/2671", false},
	}
	runStringCases(t, "AWSPhone", cases,
		func(s string) (string, error) { v, err := ParsePhone(s); return string(v), err },
		func() gqlScalar { v := Phone("keep"); return &v },
		func(v gqlScalar) string { return string(*v.(*Phone)) })
}

func TestIPAddress(t *testing.T) {
	cases := []stringCase{
		{"ipv4", "192.0.2.1", true},
		{"ipv4 zero", "0.0.0.0", true},
		{"ipv4 cidr", "10.0.0.0/8", true},
		{"ipv4 host bits cidr", "10.1.2.3/8", true},
		{"ipv4 /32", "1.2.3.4/32", true},
		{"ipv4 /0", "0.0.0.0/0", true},
		{"ipv6", "2001:db8::1", true},
		{"ipv6 loopback", "::1", true},
		{"ipv6 prefix", "2001:db8::/32", true},
		{"ipv6 /128", "2001:db8::1/128", true},
		{"ipv4 mapped", "::ffff:192.0.2.1", true},
		{"three octets", "1.2.3", false},
		{"octet too big", "256.1.1.1", false},
		{"prefix too long", "1.2.3.4/33", false},
		{"ipv6 prefix too long", "2001:db8::/129", false},
		{"leading zero octet", "01.2.3.4", false},
		{"empty", "", false},
		{"empty prefix", "1.2.3.4/", false},
		{"negative prefix", "1.2.3.4/-1", false},
		{"zone", "fe80::1%eth0", false},
		{"zone with prefix", "fe80::1%eth0/64", false},
		{"hostname", "localhost", false},
		{"spaces", " 1.2.3.4", false},
		{"bad ipv6", "2001:db8:::1", false},
		{"port", "1.2.3.4:80", false},
	}
	runStringCases(t, "AWSIPAddress", cases,
		func(s string) (string, error) { v, err := ParseIPAddress(s); return string(v), err },
		func() gqlScalar { v := IPAddress("keep"); return &v },
		func(v gqlScalar) string { return string(*v.(*IPAddress)) })
}

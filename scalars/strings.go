package scalars

import (
	"io"
	"net/mail"
	"net/netip"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	wantEmail     = "a bare address local@domain, without display name or angle brackets"
	wantURL       = "an absolute URL with a scheme, such as https://example.com or mailto:a@example.com"
	wantPhone     = "an optional + then 3 to 20 digits, optionally separated by spaces, dashes, dots or parentheses"
	wantIPAddress = "an IPv4 or IPv6 address with an optional /prefix, such as 192.0.2.1 or 2001:db8::/32"
)

// Email is an AWSEmail: an RFC 822 address of the form local@domain.
// An Email obtained from ParseEmail or UnmarshalGQL holds the input exactly as
// given.
type Email string

// ParseEmail validates s as an AWSEmail and returns it unchanged as an Email.
// s must be exactly a bare address as accepted by net/mail.ParseAddress, with
// a non-empty local part and domain: display names ("Ann <a@example.com>"),
// angle brackets, comments and surrounding whitespace are rejected. A quoted
// local part is accepted when written in its canonical form
// ("\"a b\"@example.com"). Otherwise ParseEmail returns a client-safe error
// naming AWSEmail and the zero Email.
func ParseEmail(s string) (Email, error) {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "", invalid(nameEmail, s, "email address", wantEmail)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || (a.Address != s && a.String() != "<"+s+">") {
		return "", invalid(nameEmail, s, "email address", wantEmail)
	}
	return Email(s), nil
}

// MarshalGQL writes e as a JSON string, exactly as stored.
func (e Email) MarshalGQL(w io.Writer) { writeString(w, string(e)) }

// UnmarshalGQL sets e from a string input validated by ParseEmail. Any other
// input, or an invalid address, yields a client-safe error naming AWSEmail and
// leaves e unchanged.
func (e *Email) UnmarshalGQL(v any) error {
	s, err := asString(nameEmail, v)
	if err != nil {
		return err
	}
	p, err := ParseEmail(s)
	if err != nil {
		return err
	}
	*e = p
	return nil
}

// URL is an AWSURL: an absolute URL with a scheme, e.g. "https://example.com"
// or "mailto:a@example.com". A URL obtained from ParseURL or UnmarshalGQL
// holds the input exactly as given.
type URL string

// ParseURL validates s as an AWSURL and returns it unchanged as a URL. s must
// parse with net/url, have a scheme and something after it (a host, a path or
// opaque data), be valid UTF-8 and contain no whitespace; "example.com", "//example.com",
// "https://" and "" are rejected. Otherwise ParseURL returns a client-safe
// error naming AWSURL and the zero URL.
func ParseURL(s string) (URL, error) {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsSpace) {
		return "", invalid(nameURL, s, "URL", wantURL)
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || (u.Opaque == "" && u.Host == "" && u.Path == "") {
		return "", invalid(nameURL, s, "URL", wantURL)
	}
	return URL(s), nil
}

// MarshalGQL writes u as a JSON string, exactly as stored.
func (u URL) MarshalGQL(w io.Writer) { writeString(w, string(u)) }

// UnmarshalGQL sets u from a string input validated by ParseURL. Any other
// input, or an invalid URL, yields a client-safe error naming AWSURL and
// leaves u unchanged.
func (u *URL) UnmarshalGQL(v any) error {
	s, err := asString(nameURL, v)
	if err != nil {
		return err
	}
	p, err := ParseURL(s)
	if err != nil {
		return err
	}
	*u = p
	return nil
}

// Phone is an AWSPhone: a phone number, validated loosely. A Phone obtained
// from ParsePhone or UnmarshalGQL holds the input exactly as given.
type Phone string

// ParsePhone validates s as an AWSPhone and returns it unchanged as a Phone.
// s may start with "+"; the rest may only contain ASCII digits, spaces,
// dashes, dots and parentheses, with 3 to 20 digits in total, and s must not
// start or end with a space. Letters (including vanity numbers) and the empty
// string are rejected. Otherwise ParsePhone returns a client-safe error naming
// AWSPhone and the zero Phone.
func ParsePhone(s string) (Phone, error) {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return "", invalid(namePhone, s, "phone number", wantPhone)
	}
	n := 0
	for _, c := range []byte(strings.TrimPrefix(s, "+")) {
		switch {
		case c >= '0' && c <= '9':
			n++
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", invalid(namePhone, s, "phone number", wantPhone)
		}
	}
	if n < 3 || n > 20 {
		return "", invalid(namePhone, s, "phone number", wantPhone)
	}
	return Phone(s), nil
}

// MarshalGQL writes p as a JSON string, exactly as stored.
func (p Phone) MarshalGQL(w io.Writer) { writeString(w, string(p)) }

// UnmarshalGQL sets p from a string input validated by ParsePhone. Any other
// input, or an invalid number, yields a client-safe error naming AWSPhone and
// leaves p unchanged.
func (p *Phone) UnmarshalGQL(v any) error {
	s, err := asString(namePhone, v)
	if err != nil {
		return err
	}
	q, err := ParsePhone(s)
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// IPAddress is an AWSIPAddress: an IPv4 or IPv6 address, optionally with a
// CIDR prefix length. An IPAddress obtained from ParseIPAddress or
// UnmarshalGQL holds the input exactly as given.
type IPAddress string

// ParseIPAddress validates s as an AWSIPAddress and returns it unchanged as an
// IPAddress. Without "/" s must be accepted by netip.ParseAddr and carry no
// IPv6 zone ("fe80::1%eth0" is rejected); with "/" it must be accepted by
// netip.ParsePrefix (prefix length at most 32 for IPv4, 128 for IPv6; host
// bits may be set). "1.2.3", "256.1.1.1" and "1.2.3.4/33" are rejected.
// Otherwise ParseIPAddress returns a client-safe error naming AWSIPAddress and
// the zero IPAddress.
func ParseIPAddress(s string) (IPAddress, error) {
	if strings.Contains(s, "/") {
		if _, err := netip.ParsePrefix(s); err != nil {
			return "", invalid(nameIPAddress, s, "IP address", wantIPAddress)
		}
		return IPAddress(s), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return "", invalid(nameIPAddress, s, "IP address", wantIPAddress)
	}
	return IPAddress(s), nil
}

// MarshalGQL writes a as a JSON string, exactly as stored.
func (a IPAddress) MarshalGQL(w io.Writer) { writeString(w, string(a)) }

// UnmarshalGQL sets a from a string input validated by ParseIPAddress. Any
// other input, or an invalid address, yields a client-safe error naming
// AWSIPAddress and leaves a unchanged.
func (a *IPAddress) UnmarshalGQL(v any) error {
	s, err := asString(nameIPAddress, v)
	if err != nil {
		return err
	}
	p, err := ParseIPAddress(s)
	if err != nil {
		return err
	}
	*a = p
	return nil
}

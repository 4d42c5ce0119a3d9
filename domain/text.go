package domain

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Text limits, in bytes of UTF-8 (what a stored item and a DynamoDB key
// are measured in; for ASCII text a byte is a character). Every string a
// client can store has one: together with MaxTaskNotesBytes and
// MaxTaskIconBytes (schedule.go) this is the complete list, and the README's
// "Input limits" table repeats it.
//
// MaxIDBytes and MaxEmailBytes also bound DynamoDB keys: the longest key
// part is an email claim's sort key, "EMAIL#" plus the normalized email
// (260 bytes, DynamoDB allows 1,024), and no partition key exceeds
// "ORG#" + MaxIDBytes + "#MEMBERS" (140 bytes, DynamoDB allows 2,048).
const (
	// MaxIDBytes bounds every id: client-supplied user ids (Cognito subs
	// are 36) and every id given as an argument. Generated ids are ULIDs
	// of 26.
	MaxIDBytes = 128
	// MaxNameBytes bounds user and organisation names.
	MaxNameBytes = 200
	// MaxTitleBytes bounds schedule and task titles.
	MaxTitleBytes = 200
	// MaxTimezoneBytes bounds a schedule's IANA timezone name (the longest
	// in the database has 32).
	MaxTimezoneBytes = 64
	// MaxEmailBytes is RFC 5321's limit on an address (a "path" of 256
	// octets less the angle brackets).
	MaxEmailBytes = 254
	// MaxPhoneBytes bounds a phone number as entered (AWSPhone allows 20
	// digits with separators between them).
	MaxPhoneBytes = 40
)

// Line handling of CheckText.
const (
	SingleLine = false // no tab, newline or line separator
	MultiLine  = true  // tab and newline allowed (task notes)
)

// CheckText returns a BadRequest error naming field unless s is valid user
// text of at most max bytes: valid UTF-8 without U+FFFD (the replacement
// character JSON and GraphQL decoders put where a lone surrogate such as
// \ud800 was sent), without control characters (C0, DEL, C1: NUL, ESC of
// ANSI sequences, ...; multiline text may hold tab and newline), without
// the line and paragraph separators U+2028 and U+2029 (multiline text may),
// and without the Unicode bidirectional embedding, override and isolate
// controls U+202A–U+202E and U+2066–U+2069, which reorder the text around
// them on screen ("Trojan Source"). The marks U+200E, U+200F and U+061C are
// allowed: names and titles in Arabic or Hebrew need them, and they affect
// only the neutral characters next to them.
//
// The message names the field and the rule, and a bad character by its code
// point and byte offset; it never holds the bytes of s.
func CheckText(field, s string, max int, multiline bool) error {
	if len(s) > max {
		return BadRequest("%s must be at most %d bytes of UTF-8 (got %d)", field, max, len(s))
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return BadRequest("%s must be valid UTF-8 (invalid byte 0x%02X at byte %d)", field, s[i], i)
		case r == utf8.RuneError:
			return BadRequest("%s must be valid Unicode text: U+FFFD at byte %d replaces text that was not (such as a lone surrogate)", field, i)
		case multiline && (r == '\t' || r == '\n' || r == '\u2028' || r == '\u2029'):
		case unicode.IsControl(r):
			return BadRequest("%s must not contain control characters (%s at byte %d)%s", field, codePoint(r), i, lineHint(multiline))
		case r == '\u2028' || r == '\u2029':
			return BadRequest("%s must be one line (%s at byte %d)", field, codePoint(r), i)
		case isBidiControl(r):
			return BadRequest("%s must not contain bidirectional override or isolate characters (%s at byte %d)", field, codePoint(r), i)
		}
		i += size
	}
	return nil
}

// CheckRequiredText is CheckText for a field that must hold more than
// white space.
func CheckRequiredText(field, s string, max int, multiline bool) error {
	if isBlank(s) {
		return BadRequest("%s must not be empty", field)
	}
	return CheckText(field, s, max, multiline)
}

// CheckID returns a BadRequest error naming field unless id is a non-empty
// id of at most MaxIDBytes that passes CheckText.
func CheckID(field, id string) error {
	if id == "" {
		return BadRequest("%s must not be empty", field)
	}
	return CheckText(field, id, MaxIDBytes, SingleLine)
}

// ValidID reports whether id passes CheckID. An id that does not can name
// nothing stored: lookups answer NotFound for it without asking the store
// (whose keys it might not even fit).
func ValidID(id string) bool { return CheckID("id", id) == nil }

// isBidiControl reports whether r is a bidirectional embedding, override
// or isolate control (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

func codePoint(r rune) string { return fmt.Sprintf("U+%04X", r) }

func lineHint(multiline bool) string {
	if multiline {
		return ": only tab and newline are allowed"
	}
	return ""
}

// printableID returns id for a message when it is a valid id, else a short
// escaped form: messages never carry control, bidi or invalid bytes, nor a
// 10,000-byte argument.
func printableID(id string) string {
	if ValidID(id) {
		return id
	}
	const keep = 32
	if len(id) <= keep {
		return strconv.QuoteToASCII(id)
	}
	n := keep
	for n > 0 && !utf8.RuneStart(id[n]) {
		n--
	}
	return strconv.QuoteToASCII(id[:n]) + fmt.Sprintf("... (%d bytes)", len(id))
}

package domain_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

// badText is every class of text CheckText refuses, with a part of the
// message that says which rule was broken.
var badText = []struct {
	name, s, rule string
}{
	{"NUL", "a\x00b", "U+0000"},
	{"other C0 control (BEL)", "a\x07b", "U+0007"},
	{"carriage return", "a\rb", "U+000D"},
	{"DEL", "a\x7fb", "U+007F"},
	{"C1 control (NEL)", "a\u0085b", "U+0085"},
	{"ANSI escape", "\x1b[31mred\x1b[0m", "U+001B"},
	{"bidi override RLO", "abc\u202Edef", "U+202E"},
	{"bidi embedding LRE", "abc\u202Adef", "U+202A"},
	{"bidi pop PDF", "abc\u202Cdef", "U+202C"},
	{"bidi isolate LRI", "abc\u2066def", "U+2066"},
	{"bidi isolate PDI", "abc\u2069def", "U+2069"},
	{"invalid UTF-8", "a\xffb", "UTF-8"},
	{"encoded lone surrogate (WTF-8)", "a\xed\xa0\x80b", "UTF-8"},
	{"replacement character of a decoded lone surrogate", "a\uFFFDb", "U+FFFD"},
}

func TestCheckTextRefuses(t *testing.T) {
	for _, multiline := range []bool{domain.SingleLine, domain.MultiLine} {
		for _, tc := range badText {
			t.Run(tc.name, func(t *testing.T) {
				err := domain.CheckText("task notes", tc.s, 100, multiline)
				if !domain.IsCode(err, domain.CodeBadRequest) {
					t.Fatalf("CheckText(%q) = %v, want BadRequest", tc.s, err)
				}
				msg := domain.ErrorMessage(err)
				if !strings.HasPrefix(msg, "task notes ") || !strings.Contains(msg, tc.rule) {
					t.Errorf("message %q should name the field and %s", msg, tc.rule)
				}
				assertSafeMessage(t, msg)
			})
		}
	}
}

func TestCheckTextLines(t *testing.T) {
	tests := []struct {
		name      string
		s         string
		multiline bool
		ok        bool
	}{
		{"newline in one line", "a\nb", domain.SingleLine, false},
		{"tab in one line", "a\tb", domain.SingleLine, false},
		{"line separator in one line", "a\u2028b", domain.SingleLine, false},
		{"newline in notes", "a\nb", domain.MultiLine, true},
		{"tab in notes", "a\tb", domain.MultiLine, true},
		{"paragraph separator in notes", "a\u2029b", domain.MultiLine, true},
		{"right-to-left mark", "שלום\u200F 12", domain.SingleLine, true},
		{"left-to-right mark", "abc\u200Edef", domain.SingleLine, true},
		{"Arabic letter mark", "abc\u061Cdef", domain.SingleLine, true},
		{"emoji and accents", "Café ☕ 🌅", domain.SingleLine, true},
		{"zero-width joiner", "👩\u200D💻", domain.SingleLine, true},
		{"empty", "", domain.SingleLine, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := domain.CheckText("f", tc.s, 100, tc.multiline)
			if tc.ok && err != nil {
				t.Errorf("CheckText(%q) = %v, want nil", tc.s, err)
			}
			if !tc.ok && !domain.IsCode(err, domain.CodeBadRequest) {
				t.Errorf("CheckText(%q) = %v, want BadRequest", tc.s, err)
			}
		})
	}
}

func TestCheckTextLength(t *testing.T) {
	tests := []struct {
		name string
		s    string
		ok   bool
	}{
		{"at the limit", strings.Repeat("a", 10), true},
		{"one byte over", strings.Repeat("a", 11), false},
		{"multi-byte at the limit", strings.Repeat("é", 5), true},
		{"multi-byte over", strings.Repeat("é", 5) + "a", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := domain.CheckText("schedule title", tc.s, 10, domain.SingleLine)
			if tc.ok != (err == nil) {
				t.Fatalf("CheckText(%d bytes) = %v, want ok=%v", len(tc.s), err, tc.ok)
			}
			if err != nil && !strings.Contains(domain.ErrorMessage(err), "at most 10 bytes") {
				t.Errorf("message %q should state the limit", domain.ErrorMessage(err))
			}
		})
	}
}

func TestCheckRequiredTextAndID(t *testing.T) {
	if err := domain.CheckRequiredText("user name", " \t", 10, domain.SingleLine); !domain.IsCode(err, domain.CodeBadRequest) ||
		!strings.Contains(domain.ErrorMessage(err), "must not be empty") {
		t.Errorf("blank name: %v", err)
	}
	if err := domain.CheckID("user id", ""); !domain.IsCode(err, domain.CodeBadRequest) {
		t.Errorf("empty id: %v", err)
	}
	if err := domain.CheckID("user id", strings.Repeat("x", domain.MaxIDBytes)); err != nil {
		t.Errorf("id of MaxIDBytes: %v", err)
	}
	if err := domain.CheckID("user id", strings.Repeat("x", domain.MaxIDBytes+1)); !domain.IsCode(err, domain.CodeBadRequest) {
		t.Errorf("id over MaxIDBytes: %v", err)
	}
}

// TestNotFoundDoesNotEchoBadIDs: ids given as arguments reach NotFound
// messages; a bad one is escaped and shortened.
func TestNotFoundDoesNotEchoBadIDs(t *testing.T) {
	for _, id := range []string{"a\x00b", "\x1b[31m", "x\u202Ey", "a\xffb", strings.Repeat("x", 10000)} {
		for _, err := range []*domain.Error{domain.NotFound("user", id), domain.Conflict("schedule", id), domain.Taken("user", id)} {
			assertSafeMessage(t, err.Message)
			if len(err.Message) > 200 {
				t.Errorf("message of %d bytes: %.80s...", len(err.Message), err.Message)
			}
		}
	}
	if msg := domain.NotFound("user", "a-member-1").Message; msg != "user a-member-1 not found" {
		t.Errorf("valid id: %q", msg)
	}
}

// assertSafeMessage fails unless msg is valid UTF-8 without control or bidi
// characters: a message never carries the bad bytes it complains about.
func assertSafeMessage(t *testing.T, msg string) {
	t.Helper()
	if err := domain.CheckText("message", msg, 1<<20, domain.SingleLine); err != nil || !utf8.ValidString(msg) {
		t.Errorf("message %q carries unsafe text: %v", msg, err)
	}
}

func validSchedule() domain.Schedule {
	notes, icon := "Take the\n\tblue pills", "pill"
	return domain.Schedule{ID: "s", OrganisationID: "o", OwnerID: "u", Title: "Mornings", Timezone: "Europe/Amsterdam",
		Days: []domain.Weekday{domain.Monday}, Active: true,
		Tasks: []domain.Task{{ID: "t", Title: "Pills", Notes: &notes, Icon: &icon, StartTime: "08:00", DurationMinutes: 5}}}
}

func TestScheduleValidateText(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	str := func(s string) *string { return &s }
	date := scalars.Date("2026-04-01")
	tests := []struct {
		name   string
		change func(*domain.Schedule)
		field  string // "" when valid
	}{
		{"valid", func(*domain.Schedule) {}, ""},
		{"longest values", func(s *domain.Schedule) {
			s.Title, s.Tasks[0].Title = long(domain.MaxTitleBytes), long(domain.MaxTitleBytes)
			s.Tasks[0].Notes, s.Tasks[0].Icon = str(long(domain.MaxTaskNotesBytes)), str(long(domain.MaxTaskIconBytes))
		}, ""},
		{"every weekday once", func(s *domain.Schedule) { s.Days = everyDay }, ""},
		{"duplicate day", func(s *domain.Schedule) { s.Days = []domain.Weekday{domain.Monday, domain.Tuesday, domain.Monday} }, "schedule days"},
		{"10,000 days", func(s *domain.Schedule) {
			s.Days = make([]domain.Weekday, 10000)
			for i := range s.Days {
				s.Days[i] = domain.Monday
			}
		}, "schedule days"},
		{"title too long", func(s *domain.Schedule) { s.Title = long(domain.MaxTitleBytes + 1) }, "schedule title"},
		{"title with NUL", func(s *domain.Schedule) { s.Title = "a\x00" }, "schedule title"},
		{"title with newline", func(s *domain.Schedule) { s.Title = "a\nb" }, "schedule title"},
		{"timezone with ESC", func(s *domain.Schedule) { s.Timezone = "Europe/\x1b[31mAmsterdam" }, "schedule timezone"},
		{"timezone too long", func(s *domain.Schedule) { s.Timezone = long(domain.MaxTimezoneBytes + 1) }, "schedule timezone"},
		{"id too long", func(s *domain.Schedule) { s.ID = long(domain.MaxIDBytes + 1) }, "schedule id"},
		{"task id with RLO", func(s *domain.Schedule) { s.Tasks[0].ID = "t\u202E" }, "task id"},
		{"task title with isolate", func(s *domain.Schedule) { s.Tasks[0].Title = "a\u2066b" }, "task title"},
		{"task notes with NUL", func(s *domain.Schedule) { s.Tasks[0].Notes = str("a\x00b") }, "task notes"},
		{"task notes too long", func(s *domain.Schedule) { s.Tasks[0].Notes = str(long(domain.MaxTaskNotesBytes + 1)) }, "task notes"},
		{"task icon with newline", func(s *domain.Schedule) { s.Tasks[0].Icon = str("a\nb") }, "task icon"},
		{"task icon too long", func(s *domain.Schedule) { s.Tasks[0].Icon = str(long(domain.MaxTaskIconBytes + 1)) }, "task icon"},
		{"date and days", func(s *domain.Schedule) { s.Date = &date }, "not both"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := validSchedule()
			tc.change(&s)
			err := s.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !domain.IsCode(err, domain.CodeBadRequest) || !strings.Contains(domain.ErrorMessage(err), tc.field) {
				t.Fatalf("Validate = %v, want a BadRequest naming %s", err, tc.field)
			}
			assertSafeMessage(t, domain.ErrorMessage(err))
		})
	}
}

func TestUserAndOrganisationValidate(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	email := func(n int) scalars.Email { return scalars.Email(long(n-len("@example.com")) + "@example.com") }
	phone := func(s string) *scalars.Phone { p := scalars.Phone(s); return &p }
	valid := domain.User{ID: "u", OrganisationID: "o", Name: "Ann", Email: "ann@example.com", Phone: phone("+31 6 12345678"), Role: domain.RoleMember}
	tests := []struct {
		name   string
		change func(*domain.User)
		field  string
	}{
		{"valid", func(*domain.User) {}, ""},
		{"longest values", func(u *domain.User) {
			u.ID, u.Name, u.Email = long(domain.MaxIDBytes), long(domain.MaxNameBytes), email(domain.MaxEmailBytes)
			u.Phone = phone("1" + strings.Repeat("-", domain.MaxPhoneBytes-2) + "2")
		}, ""},
		{"id too long", func(u *domain.User) { u.ID = long(domain.MaxIDBytes + 1) }, "user id"},
		{"id with NUL", func(u *domain.User) { u.ID = "a\x00" }, "user id"},
		{"name with ESC", func(u *domain.User) { u.Name = "\x1b[31mAnn" }, "user name"},
		{"name too long", func(u *domain.User) { u.Name = long(domain.MaxNameBytes + 1) }, "user name"},
		{"email too long", func(u *domain.User) { u.Email = email(domain.MaxEmailBytes + 1) }, "user email"},
		{"email with RLO", func(u *domain.User) { u.Email = "a\u202E@example.com" }, "user email"},
		{"phone too long", func(u *domain.User) {
			u.Phone = phone("1" + strings.Repeat("-", domain.MaxPhoneBytes-1) + "2")
		}, "user phone"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := valid
			tc.change(&u)
			err := u.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !domain.IsCode(err, domain.CodeBadRequest) || !strings.Contains(domain.ErrorMessage(err), tc.field) {
				t.Fatalf("Validate = %v, want a BadRequest naming %s", err, tc.field)
			}
		})
	}
	for _, name := range []string{"Org\x00", "Org\u2067", long(domain.MaxNameBytes + 1)} {
		err := domain.Organisation{ID: "o", Name: name}.Validate()
		if !domain.IsCode(err, domain.CodeBadRequest) || !strings.Contains(domain.ErrorMessage(err), "organisation name") {
			t.Errorf("organisation name %.20q: %v", name, err)
		}
	}
	if err := (domain.Organisation{ID: "o", Name: long(domain.MaxNameBytes)}).Validate(); err != nil {
		t.Errorf("organisation name of MaxNameBytes: %v", err)
	}
}

func TestCheckTaskOccurs(t *testing.T) {
	weekday := validSchedule() // Mondays
	inactive := validSchedule()
	inactive.Active = false
	oneDate := validSchedule()
	oneDate.Days, oneDate.Date = nil, ptr(scalars.Date("2026-04-01"))
	tests := []struct {
		name   string
		s      domain.Schedule
		task   string
		date   scalars.Date
		code   domain.Code // "" when it occurs
		reason string
	}{
		{"Monday of a Monday schedule", weekday, "t", "2026-03-30", "", ""},
		{"Monday with an offset", weekday, "t", "2026-03-30+02:00", "", ""},
		{"Tuesday of a Monday schedule", weekday, "t", "2026-03-31", domain.CodeBadRequest, "applies on MON only"},
		{"inactive schedule", inactive, "t", "2026-03-30", domain.CodeBadRequest, "not active"},
		{"its one date", oneDate, "t", "2026-04-01", "", ""},
		{"another date of a one-date schedule", oneDate, "t", "2026-04-02", domain.CodeBadRequest, "only on 2026-04-01"},
		{"unknown task", weekday, "nope", "2026-03-30", domain.CodeNotFound, "not found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.s.CheckTaskOccurs(tc.task, tc.date)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("CheckTaskOccurs: %v", err)
				}
				return
			}
			if !domain.IsCode(err, tc.code) || !strings.Contains(domain.ErrorMessage(err), tc.reason) {
				t.Fatalf("CheckTaskOccurs = %v, want %s saying %q", err, tc.code, tc.reason)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

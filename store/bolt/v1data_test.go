package bolt_test

import (
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

// v1Data is the data set stored in testdata/v1.db: an organisation with an
// admin, a caregiver and two members (one with a phone, one whose email and
// version changed), three schedules (weekdays with fully filled tasks, a
// dated inactive one with bare tasks, one updated to version 3), and
// completions on two days.
type v1Data struct {
	org         domain.Organisation
	users       []domain.User // final state, in creation order
	schedules   []domain.Schedule
	completions []domain.Completion
}

func v1DataSet() v1Data {
	at := func(day, hh, mm, ns int) time.Time { return time.Date(2026, 3, day, hh, mm, 0, ns, time.UTC) }
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	phone := scalars.Phone("+31612345678")
	dated := scalars.Date("2026-04-01")

	org := domain.Organisation{ID: "01JQ0000000000000000000ORG", Name: "Zonnehuis Dagbesteding", CreatedAt: at(1, 9, 0, 123456789)}
	admin := domain.User{ID: "a1b2c3d4-0000-4000-8000-00000000ad01", OrganisationID: org.ID, Name: "Anna de Vries",
		Email: "anna@zonnehuis.example", Role: domain.RoleAdmin, Version: 1, CreatedAt: at(1, 9, 0, 123456789), UpdatedAt: at(1, 9, 0, 123456789)}
	caregiver := domain.User{ID: "a1b2c3d4-0000-4000-8000-00000000ca01", OrganisationID: org.ID, Name: "Bram Jansen",
		Email: "Bram.Jansen@Zonnehuis.example", Role: domain.RoleCaregiver, Version: 1, CreatedAt: at(2, 10, 15, 1), UpdatedAt: at(2, 10, 15, 1)}
	member := domain.User{ID: "a1b2c3d4-0000-4000-8000-00000000me01", OrganisationID: org.ID, Name: "Chris Bakker",
		Email: "chris@zonnehuis.example", Phone: &phone, Role: domain.RoleMember, Version: 1, CreatedAt: at(3, 8, 30, 0), UpdatedAt: at(3, 8, 30, 0)}
	// moved changed email (and so its email claim) once: version 2.
	moved := domain.User{ID: "a1b2c3d4-0000-4000-8000-00000000me02", OrganisationID: org.ID, Name: "Dewi Smit",
		Email: "dewi.smit@zonnehuis.example", Role: domain.RoleMember, Version: 2, CreatedAt: at(3, 8, 30, 500), UpdatedAt: at(4, 12, 0, 999999999)}

	weekdays := domain.Schedule{ID: "01JQ00000000000000000SCHA1", OrganisationID: org.ID, OwnerID: member.ID,
		Title: "Weekday morning", Timezone: "Europe/Amsterdam",
		Days:   []domain.Weekday{domain.Monday, domain.Tuesday, domain.Wednesday, domain.Thursday, domain.Friday},
		Active: true, Version: 1, CreatedAt: at(5, 7, 0, 42), UpdatedAt: at(5, 7, 0, 42),
		Tasks: []domain.Task{
			{ID: "01JQ00000000000000000TSKA1", ScheduleID: "01JQ00000000000000000SCHA1", Title: "Get up", Notes: str("Curtains open,\nlight on"),
				Icon: str("sun"), StartTime: "07:00", DurationMinutes: 10, ReminderMinutesBefore: num(5), Position: 0},
			{ID: "01JQ00000000000000000TSKA2", ScheduleID: "01JQ00000000000000000SCHA1", Title: "Breakfast and medication", Notes: str(""),
				Icon: str("pill"), StartTime: "07:40:30", DurationMinutes: 20, ReminderMinutesBefore: num(0), Position: 1},
		}}
	once := domain.Schedule{ID: "01JQ00000000000000000SCHB1", OrganisationID: org.ID, OwnerID: member.ID,
		Title: "Dentist", Timezone: "America/New_York", Date: &dated, Active: false, Version: 1,
		CreatedAt: at(6, 14, 0, 0), UpdatedAt: at(6, 14, 0, 0),
		Tasks: []domain.Task{
			{ID: "01JQ00000000000000000TSKB1", ScheduleID: "01JQ00000000000000000SCHB1", Title: "Leave home", StartTime: "13:15", DurationMinutes: 0, Position: 0},
		}}
	// evening was updated twice: version 3, task C0 removed, C2 added.
	evening := domain.Schedule{ID: "01JQ00000000000000000SCHC1", OrganisationID: org.ID, OwnerID: moved.ID,
		Title: "Evening", Timezone: "Europe/Amsterdam", Days: []domain.Weekday{domain.Saturday, domain.Sunday},
		Active: true, Version: 3, CreatedAt: at(7, 18, 0, 0), UpdatedAt: at(8, 19, 30, 7),
		Tasks: []domain.Task{
			{ID: "01JQ00000000000000000TSKC2", ScheduleID: "01JQ00000000000000000SCHC1", Title: "Brush teeth", Icon: str("tooth"),
				StartTime: "21:30", DurationMinutes: 5, ReminderMinutesBefore: num(10), Position: 0},
			{ID: "01JQ00000000000000000TSKC1", ScheduleID: "01JQ00000000000000000SCHC1", Title: "Lights out", Icon: str("moon"),
				StartTime: "22:00", DurationMinutes: 0, Position: 1},
		}}

	done := at(9, 5, 41, 314159265)
	done2 := at(9, 6, 2, 0)
	done3 := at(14, 20, 31, 1)
	return v1Data{
		org:       org,
		users:     []domain.User{admin, caregiver, member, moved},
		schedules: []domain.Schedule{weekdays, once, evening},
		completions: []domain.Completion{
			{OwnerID: member.ID, OrganisationID: org.ID, ScheduleID: weekdays.ID, TaskID: "01JQ00000000000000000TSKA1",
				Date: "2026-03-09", Completed: true, CompletedAt: &done},
			{OwnerID: member.ID, OrganisationID: org.ID, ScheduleID: weekdays.ID, TaskID: "01JQ00000000000000000TSKA2",
				Date: "2026-03-09", Completed: true, CompletedAt: &done2},
			{OwnerID: moved.ID, OrganisationID: org.ID, ScheduleID: evening.ID, TaskID: "01JQ00000000000000000TSKC0",
				Date: "2026-03-14", Completed: true, CompletedAt: &done3},
		},
	}
}

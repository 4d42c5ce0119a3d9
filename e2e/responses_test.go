package e2e_test

import "github.com/dayline/dayline/domain"

// The typed forms of the GraphQL objects the tests select. A field the
// query does not select stays at its zero value; a pointer tells null (or
// absent) from a value where a test asks about it.

// userOut is a User.
type userOut struct {
	ID             string
	OrganisationID string
	Name           string
	Email          *string
	Phone          *string
	Role           domain.Role
	Version        int
	Organisation   *organisationOut
}

// organisationOut is an Organisation.
type organisationOut struct {
	ID      string
	Name    string
	Members *userPage
}

// userPage is a UserConnection.
type userPage struct {
	Items     []userOut
	NextToken *string
}

// schedulePage is a ScheduleConnection.
type schedulePage struct {
	Items     []scheduleOut
	NextToken *string
}

// scheduleOut is a Schedule.
type scheduleOut struct {
	ID       string
	OwnerID  string
	Title    string
	Timezone string
	Days     []string
	Active   bool
	Version  int
	Tasks    []taskOut
}

// taskOut is a Task.
type taskOut struct {
	ID              string
	Title           string
	StartTime       string
	DurationMinutes int
	Position        int
}

// agendaItemOut is an AgendaItem.
type agendaItemOut struct {
	StartsAt  string
	Completed bool
	Task      taskOut
}

// completionOut is a Completion.
type completionOut struct {
	TaskID      string
	OwnerID     string
	Date        string
	Completed   bool
	CompletedAt *string
}

// taskTitles lists the titles of tasks, in order.
func taskTitles(tasks []taskOut) []string {
	titles := make([]string, 0, len(tasks))
	for _, task := range tasks {
		titles = append(titles, task.Title)
	}
	return titles
}

// userIDs lists the ids of users, in order.
func userIDs(users []userOut) []string {
	ids := make([]string, 0, len(users))
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	return ids
}

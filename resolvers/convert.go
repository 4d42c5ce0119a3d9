package resolvers

import (
	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/graph/model"
)

// The GraphQL inputs as app inputs and the services' answers as GraphQL
// results: field by field, no rules.

// ref returns a pointer to v, or nil and err: a service's answer as a
// resolver returns it.
func ref[T any](v T, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	return &v, nil
}

func newAdmin(in *model.NewUserInput) app.NewUser {
	return app.NewUser{Name: in.Name, Email: in.Email, Phone: in.Phone}
}

func newUser(in model.AddUserInput) app.NewUser {
	return app.NewUser{Name: in.Name, Email: in.Email, Phone: in.Phone, Role: in.Role}
}

func userChanges(in model.UpdateUserInput) app.UserChanges {
	return app.UserChanges{Name: in.Name, Email: in.Email, Phone: in.Phone, Role: in.Role}
}

func newSchedule(in model.CreateScheduleInput) app.NewSchedule {
	s := app.NewSchedule{
		OwnerID: in.OwnerID, Title: in.Title, Timezone: in.Timezone,
		Days: in.Days, Date: in.Date, Active: in.Active,
	}
	for _, t := range in.Tasks {
		s.Tasks = append(s.Tasks, newTask(t))
	}
	return s
}

func scheduleChanges(in model.UpdateScheduleInput) app.ScheduleChanges {
	return app.ScheduleChanges{Title: in.Title, Timezone: in.Timezone, Days: in.Days, Date: in.Date, Active: in.Active}
}

func newTask(in model.TaskInput) app.NewTask {
	return app.NewTask{
		Title: in.Title, Notes: in.Notes, Icon: in.Icon, StartTime: in.StartTime,
		DurationMinutes: in.DurationMinutes, ReminderMinutesBefore: in.ReminderMinutesBefore,
	}
}

func taskChanges(in model.UpdateTaskInput) app.TaskChanges {
	return app.TaskChanges{
		Title: in.Title, Notes: in.Notes, Icon: in.Icon, StartTime: in.StartTime,
		DurationMinutes: in.DurationMinutes, ReminderMinutesBefore: in.ReminderMinutesBefore,
	}
}

func userConnection(p domain.Page[domain.User], err error) (*model.UserConnection, error) {
	if err != nil {
		return nil, err
	}
	return &model.UserConnection{Items: p.Items, NextToken: p.NextToken}, nil
}

func scheduleConnection(p domain.Page[domain.Schedule], err error) (*model.ScheduleConnection, error) {
	if err != nil {
		return nil, err
	}
	return &model.ScheduleConnection{Items: p.Items, NextToken: p.NextToken}, nil
}

func pageArgs(limit *int, nextToken *string) app.PageArgs {
	return app.PageArgs{Limit: limit, NextToken: nextToken}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Package app is Dayline's application layer: one service per aggregate
// (Users for organisations and their users, Schedules with their tasks,
// Completions, Agenda) holding the business rules every mode shares — the
// GraphQL resolvers today, the Lambda/AppSync adapter, subscriptions and
// admin verbs tomorrow. A service builds aggregates (new ids, version 1,
// timestamps from its clock), checks and bumps versions, validates, and
// decides tenant, ownership and role (actor.go) before it reads or writes.
//
// Services know nothing of GraphQL: they take small input structs
// (inputs.go) and return domain types and domain errors (domain.NotFound,
// domain.Conflict, domain.BadRequest, domain.Unauthorized). Each declares
// the narrow store interface it writes through; reads go through the
// operation's loaders, passed explicitly, so that they batch and are read
// once per operation.
package app

import (
	"log/slog"
	"time"
)

// Store is every store method the services use: what New needs.
// store.Store satisfies it.
type Store interface {
	UserStore
	ScheduleStore
	CompletionStore
}

// Env is what the services take from their surroundings: the clock of
// stored times (CreatedAt, UpdatedAt, CompletedAt) and the generator of new
// ids (time-sortable, see store.ListSchedules' order).
//
// Events, when set, receives an event after each successful change that
// a subscription reports (see Publisher); Logger, when set, logs the
// events that could not be published.
type Env struct {
	Now    func() time.Time
	NewID  func() string
	Events Publisher
	Logger *slog.Logger
}

// Services is one of each service, sharing one store and one Env.
type Services struct {
	Users       *Users
	Schedules   *Schedules
	Completions *Completions
	Agenda      *Agenda
	// Subscriptions refuses every subscription unless replaced by one
	// with a Feed (NewSubscriptions): only a long-lived server has one.
	Subscriptions *Subscriptions
}

// New returns the services over st.
func New(st Store, env Env) *Services {
	users := NewUsers(st, env)
	return &Services{
		Users:         users,
		Schedules:     NewSchedules(st, env),
		Completions:   NewCompletions(st, env),
		Agenda:        NewAgenda(),
		Subscriptions: NewSubscriptions(nil, users, nil, nil),
	}
}

// Package pubsub carries change events between Dayline instances, for
// subscriptions. An event names what changed by ids and a version, never by
// data: each instance that receives one re-reads what it names through its
// own loaders, under each subscriber's identity, so no authorization decision
// rests on what a message says.
//
// Delivery is at most once: an event published while the bus is degraded
// (Redis unreachable, say) is lost, and subscribers see the next one.
//
// Implementations: the in-process bus (one instance) and pubsub/redis
// (several instances on one Redis, one Redis subscription per instance).
package pubsub

import "context"

// Kind names what an Event reports.
type Kind string

const (
	// ScheduleChanged: a schedule was created, changed or deleted, or one of
	// its tasks was (the mutations of Subscription.onScheduleChanged).
	ScheduleChanged Kind = "scheduleChanged"
	// TaskCompleted: a task was ticked or unticked on a date (the
	// mutations of Subscription.onTaskCompleted).
	TaskCompleted Kind = "taskCompleted"
)

// Event is one change. Every field is an id, a version or a flag.
type Event struct {
	Kind           Kind   `json:"kind"`
	OrganisationID string `json:"organisationId"`
	OwnerID        string `json:"ownerId"`
	ScheduleID     string `json:"scheduleId"`
	// Version is the schedule's version after the change (ScheduleChanged).
	Version int `json:"version,omitempty"`
	// Deleted says the change deleted the schedule (ScheduleChanged).
	Deleted bool `json:"deleted,omitempty"`
	// TaskID and Date (an AWSDate) name the completion (TaskCompleted).
	TaskID string `json:"taskId,omitempty"`
	Date   string `json:"date,omitempty"`
}

// Status is a bus's health, for logs and /healthz.
type Status struct {
	// Degraded is true while events cannot reach other instances.
	Degraded bool
	// Detail says why, in a short line fit for /healthz; empty when healthy.
	Detail string
}

// Bus carries events to every instance, this one included.
type Bus interface {
	// Publish sends e to every instance's Listen. An error means e was not
	// sent and is lost (delivery is at most once); the caller logs it and
	// carries on: a mutation never fails because fan-out did.
	Publish(ctx context.Context, e Event) error
	// Listen calls deliver for each event published on any instance, in the
	// order received, until ctx ends; it then returns nil, having released
	// every connection and goroutine it started. deliver must return
	// quickly (it hands the event on). An instance calls Listen once; a
	// lost connection is re-established inside Listen, never returned.
	Listen(ctx context.Context, deliver func(Event)) error
	// Status reports whether fan-out works now.
	Status() Status
}

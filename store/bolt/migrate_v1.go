package bolt

import (
	"encoding/json"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
)

// Format 1 imitated DynamoDB's single table: bucket "items" held JSON items
// {pk, sk, type, id, gsi1pk, gsi1sk, version, data} keyed by pk 0x00 sk,
// bucket "gsi1" an index of them. data was the domain struct as its JSON
// tags spelled it then; the v1 types below freeze those names, so that
// format 1 stays readable whatever the domain structs become.
var (
	v1ItemsBucket = []byte("items")
	v1IndexBucket = []byte("gsi1")
)

// v1Item is the part of a format 1 item migration reads.
type v1Item struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

type v1Organisation struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
}

type v1User struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisationId"`
	Name           string    `json:"name"`
	Email          string    `json:"email"`
	Phone          *string   `json:"phone"`
	Role           string    `json:"role"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
}

type v1Schedule struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisationId"`
	OwnerID        string    `json:"ownerId"`
	Title          string    `json:"title"`
	Timezone       string    `json:"timezone"`
	Days           []string  `json:"days"`
	Date           *string   `json:"date"`
	Active         bool      `json:"active"`
	Tasks          []v1Task  `json:"tasks"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
}

type v1Task struct {
	ID                    string  `json:"id"`
	Title                 string  `json:"title"`
	Notes                 *string `json:"notes"`
	Icon                  *string `json:"icon"`
	StartTime             string  `json:"startTime"`
	DurationMinutes       int     `json:"durationMinutes"`
	ReminderMinutesBefore *int    `json:"reminderMinutesBefore"`
	Position              int     `json:"position"`
}

type v1TaskRef struct {
	TaskID         string `json:"taskId"`
	ScheduleID     string `json:"scheduleId"`
	OwnerID        string `json:"ownerId"`
	OrganisationID string `json:"organisationId"`
}

type v1Completion struct {
	OwnerID        string     `json:"ownerId"`
	OrganisationID string     `json:"organisationId"`
	ScheduleID     string     `json:"scheduleId"`
	TaskID         string     `json:"taskId"`
	Date           string     `json:"date"`
	CompletedAt    *time.Time `json:"completedAt"`
}

// v1Data is everything a format 1 file holds.
type v1Data struct {
	orgs        []domain.Organisation
	users       []domain.User
	schedules   []domain.Schedule
	taskRefs    []domain.TaskRef
	completions []domain.Completion
}

// migrateV1 rewrites the format 1 file tx writes in format 2 (creating its
// buckets) and drops format 1's buckets. Email claims are rebuilt from the
// users (format 1 kept exactly one per user); every other record is
// copied, and the index buckets are rebuilt. Any undecodable or unknown
// item is an error: the caller rolls the transaction back.
func migrateV1(tx *bbolt.Tx) error {
	data, err := readV1(tx.Bucket(v1ItemsBucket))
	if err != nil {
		return err
	}
	if err := createFormat(tx); err != nil {
		return err
	}
	t := newTxn(tx)
	for _, o := range data.orgs {
		if err := t.putOrganisation(o); err != nil {
			return err
		}
	}
	for _, u := range data.users {
		if err := t.claimEmail(u); err != nil {
			return fmt.Errorf("user %s: %w", u.ID, err)
		}
		if err := t.putUser(u, nil); err != nil {
			return err
		}
	}
	for _, sc := range data.schedules {
		if err := t.putSchedule(sc, nil); err != nil {
			return err
		}
	}
	for _, ref := range data.taskRefs {
		if err := put(t.taskRefs(), idKey(ref.TaskID), newTaskRefRecord(ref)); err != nil {
			return err
		}
	}
	for _, c := range data.completions {
		day, err := store.CompletionDay(c.Date)
		if err != nil {
			return fmt.Errorf("completion of task %s: %w", c.TaskID, err)
		}
		if err := put(t.completions(), completionKey(c.OwnerID, day, c.TaskID), newCompletionRecord(c)); err != nil {
			return err
		}
	}
	return dropV1Buckets(tx)
}

// dropV1Buckets deletes format 1's buckets from the file tx writes, if it
// has them.
func dropV1Buckets(tx *bbolt.Tx) error {
	for _, name := range [][]byte{v1ItemsBucket, v1IndexBucket} {
		if err := tx.DeleteBucket(name); err != nil && err != bbolt.ErrBucketNotFound {
			return fmt.Errorf("drop format 1 bucket %s: %w", name, err)
		}
	}
	return nil
}

// v1Entries returns how many entries format 1's buckets hold in the file
// tx reads (0 for a missing bucket).
func v1Entries(tx *bbolt.Tx) (items, index int) {
	if b := tx.Bucket(v1ItemsBucket); b != nil {
		items = count(b, nil)
	}
	if b := tx.Bucket(v1IndexBucket); b != nil {
		index = count(b, nil)
	}
	return items, index
}

// readV1 decodes every item of format 1's items bucket.
func readV1(items *bbolt.Bucket) (v1Data, error) {
	var data v1Data
	err := items.ForEach(func(k, raw []byte) error {
		var it v1Item
		if err := json.Unmarshal(raw, &it); err != nil {
			return fmt.Errorf("decode format 1 item %q: %w", k, err)
		}
		var err error
		switch it.Type {
		case "Organisation":
			var o v1Organisation
			if err = json.Unmarshal(it.Data, &o); err == nil {
				data.orgs = append(data.orgs, domain.Organisation{ID: o.ID, Name: o.Name, CreatedAt: o.CreatedAt})
			}
		case "User":
			var u v1User
			if err = json.Unmarshal(it.Data, &u); err == nil {
				data.users = append(data.users, u.domain())
			}
		case "EmailClaim":
			// Rebuilt from the users.
		case "Schedule":
			var sc v1Schedule
			if err = json.Unmarshal(it.Data, &sc); err == nil {
				data.schedules = append(data.schedules, sc.domain())
			}
		case "TaskRef":
			var ref v1TaskRef
			if err = json.Unmarshal(it.Data, &ref); err == nil {
				data.taskRefs = append(data.taskRefs, domain.TaskRef{TaskID: ref.TaskID, ScheduleID: ref.ScheduleID,
					OwnerID: ref.OwnerID, OrganisationID: ref.OrganisationID})
			}
		case "Completion":
			var c v1Completion
			if err = json.Unmarshal(it.Data, &c); err == nil {
				data.completions = append(data.completions, domain.Completion{OwnerID: c.OwnerID, OrganisationID: c.OrganisationID,
					ScheduleID: c.ScheduleID, TaskID: c.TaskID, Date: scalars.Date(c.Date), Completed: true, CompletedAt: c.CompletedAt})
			}
		default:
			return fmt.Errorf("format 1 item %q has unknown type %q", k, it.Type)
		}
		if err != nil {
			return fmt.Errorf("decode format 1 %s item %q: %w", it.Type, k, err)
		}
		return nil
	})
	return data, err
}

func (u v1User) domain() domain.User {
	d := domain.User{ID: u.ID, OrganisationID: u.OrganisationID, Name: u.Name, Email: scalars.Email(u.Email),
		Role: domain.Role(u.Role), Version: u.Version, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
	if u.Phone != nil {
		p := scalars.Phone(*u.Phone)
		d.Phone = &p
	}
	return d
}

func (s v1Schedule) domain() domain.Schedule {
	d := domain.Schedule{ID: s.ID, OrganisationID: s.OrganisationID, OwnerID: s.OwnerID, Title: s.Title,
		Timezone: s.Timezone, Active: s.Active, Version: s.Version, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
	for _, day := range s.Days {
		d.Days = append(d.Days, domain.Weekday(day))
	}
	if s.Date != nil {
		date := scalars.Date(*s.Date)
		d.Date = &date
	}
	for _, t := range s.Tasks {
		d.Tasks = append(d.Tasks, domain.Task{ID: t.ID, ScheduleID: s.ID, Title: t.Title, Notes: t.Notes, Icon: t.Icon,
			StartTime: scalars.Time(t.StartTime), DurationMinutes: t.DurationMinutes,
			ReminderMinutesBefore: t.ReminderMinutesBefore, Position: t.Position})
	}
	return d
}

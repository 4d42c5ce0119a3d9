package dynamo

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

// This file maps domain values to table items and back. Every item carries
// the generic attributes of keyAttrs; the domain data are further top-level
// attributes with the dynamodbav names below (docs/data-model.md lists them
// per type). Storage names are spelled out here, not taken from the domain
// structs' JSON tags, so that a change to the API's field names cannot
// silently change what is stored. Times are stored as RFC 3339 strings in
// UTC with up to nine fraction digits (time.RFC3339Nano).

// Generic attribute names, used in expressions.
const (
	attrPK      = "pk"
	attrSK      = "sk"
	attrType    = "type"
	attrGSI1PK  = "gsi1pk"
	attrGSI1SK  = "gsi1sk"
	attrVersion = "version"
	// attrExpiresAt is the TTL attribute (Definition), set on tombstones only.
	attrExpiresAt = "expiresAt"
)

// keyAttrs are the generic attributes of every item.
type keyAttrs struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	Type   string `dynamodbav:"type"`
	ID     string `dynamodbav:"id"`
	GSI1PK string `dynamodbav:"gsi1pk,omitempty"`
	GSI1SK string `dynamodbav:"gsi1sk,omitempty"`
}

func newKeyAttrs(k itemKey, typ, id string) keyAttrs {
	return keyAttrs{PK: k.PK, SK: k.SK, Type: typ, ID: id}
}

func (a keyAttrs) withIndex(k itemKey) keyAttrs {
	a.GSI1PK, a.GSI1SK = k.PK, k.SK
	return a
}

// organisationItem is the item of an organisation (organisationKey).
type organisationItem struct {
	keyAttrs
	Name      string    `dynamodbav:"name"`
	CreatedAt time.Time `dynamodbav:"createdAt"`
}

func newOrganisationItem(o domain.Organisation) organisationItem {
	return organisationItem{
		keyAttrs:  newKeyAttrs(organisationKey(o.ID), typeOrganisation, o.ID),
		Name:      o.Name,
		CreatedAt: o.CreatedAt.UTC(),
	}
}

func (it organisationItem) domain() domain.Organisation {
	return domain.Organisation{ID: it.ID, Name: it.Name, CreatedAt: it.CreatedAt}
}

// userItem is the item of a user (userKey), indexed in gsi1 under its
// organisation's members (memberIndexKey).
type userItem struct {
	keyAttrs
	Version        int       `dynamodbav:"version"`
	OrganisationID string    `dynamodbav:"organisationId"`
	Name           string    `dynamodbav:"name"`
	Email          string    `dynamodbav:"email"`
	Phone          *string   `dynamodbav:"phone,omitempty"`
	Role           string    `dynamodbav:"role"`
	CreatedAt      time.Time `dynamodbav:"createdAt"`
	UpdatedAt      time.Time `dynamodbav:"updatedAt"`
}

func newUserItem(u domain.User) userItem {
	k := newKeyAttrs(userKey(u.ID), typeUser, u.ID).
		withIndex(memberIndexKey(u.OrganisationID, u.CreatedAt, u.ID))
	it := userItem{
		keyAttrs:       k,
		Version:        u.Version,
		OrganisationID: u.OrganisationID,
		Name:           u.Name,
		Email:          string(u.Email),
		Role:           string(u.Role),
		CreatedAt:      u.CreatedAt.UTC(),
		UpdatedAt:      u.UpdatedAt.UTC(),
	}
	if u.Phone != nil {
		p := string(*u.Phone)
		it.Phone = &p
	}
	return it
}

func (it userItem) domain() domain.User {
	u := domain.User{
		ID:             it.ID,
		OrganisationID: it.OrganisationID,
		Name:           it.Name,
		Email:          scalars.Email(it.Email),
		Role:           domain.Role(it.Role),
		Version:        it.Version,
		CreatedAt:      it.CreatedAt,
		UpdatedAt:      it.UpdatedAt,
	}
	if it.Phone != nil {
		p := scalars.Phone(*it.Phone)
		u.Phone = &p
	}
	return u
}

// emailClaimItem reserves a normalized email in an organisation for one
// user (emailClaimKey). Its id is the user's id.
type emailClaimItem struct {
	keyAttrs
	UserID string `dynamodbav:"userId"`
	Email  string `dynamodbav:"email"`
}

func newEmailClaimItem(u domain.User) emailClaimItem {
	return emailClaimItem{
		keyAttrs: newKeyAttrs(userEmailClaimKey(u), typeEmailClaim, u.ID),
		UserID:   u.ID,
		Email:    domain.NormalizedEmail(u.Email),
	}
}

// scheduleItem is the item of a schedule (scheduleKey) with its tasks
// embedded in order, indexed in gsi1 under its owner
// (ownerScheduleIndexKey).
type scheduleItem struct {
	keyAttrs
	Version        int        `dynamodbav:"version"`
	OrganisationID string     `dynamodbav:"organisationId"`
	OwnerID        string     `dynamodbav:"ownerId"`
	Title          string     `dynamodbav:"title"`
	Timezone       string     `dynamodbav:"timezone"`
	Days           []string   `dynamodbav:"days"`
	Date           *string    `dynamodbav:"date,omitempty"`
	Active         bool       `dynamodbav:"active"`
	Tasks          []taskAttr `dynamodbav:"tasks"`
	CreatedAt      time.Time  `dynamodbav:"createdAt"`
	UpdatedAt      time.Time  `dynamodbav:"updatedAt"`
}

// taskAttr is one element of a schedule item's tasks list, in task order.
// A task's schedule is the item it is embedded in.
type taskAttr struct {
	ID                    string  `dynamodbav:"id"`
	Title                 string  `dynamodbav:"title"`
	Notes                 *string `dynamodbav:"notes,omitempty"`
	Icon                  *string `dynamodbav:"icon,omitempty"`
	StartTime             string  `dynamodbav:"startTime"`
	DurationMinutes       int     `dynamodbav:"durationMinutes"`
	ReminderMinutesBefore *int    `dynamodbav:"reminderMinutesBefore,omitempty"`
	Position              int     `dynamodbav:"position"`
}

func newScheduleItem(s domain.Schedule) scheduleItem {
	it := scheduleItem{
		keyAttrs: newKeyAttrs(scheduleKey(s.ID), typeSchedule, s.ID).
			withIndex(ownerScheduleIndexKey(s.OwnerID, s.ID)),
		Version:        s.Version,
		OrganisationID: s.OrganisationID,
		OwnerID:        s.OwnerID,
		Title:          s.Title,
		Timezone:       s.Timezone,
		Days:           make([]string, len(s.Days)),
		Active:         s.Active,
		Tasks:          make([]taskAttr, len(s.Tasks)),
		CreatedAt:      s.CreatedAt.UTC(),
		UpdatedAt:      s.UpdatedAt.UTC(),
	}
	for i, d := range s.Days {
		it.Days[i] = string(d)
	}
	if s.Date != nil {
		d := string(*s.Date)
		it.Date = &d
	}
	for i, t := range s.Tasks {
		it.Tasks[i] = taskAttr{
			ID:                    t.ID,
			Title:                 t.Title,
			Notes:                 t.Notes,
			Icon:                  t.Icon,
			StartTime:             string(t.StartTime),
			DurationMinutes:       t.DurationMinutes,
			ReminderMinutesBefore: t.ReminderMinutesBefore,
			Position:              t.Position,
		}
	}
	return it
}

func (it scheduleItem) domain() domain.Schedule {
	s := domain.Schedule{
		ID:             it.ID,
		OrganisationID: it.OrganisationID,
		OwnerID:        it.OwnerID,
		Title:          it.Title,
		Timezone:       it.Timezone,
		Active:         it.Active,
		Version:        it.Version,
		CreatedAt:      it.CreatedAt,
		UpdatedAt:      it.UpdatedAt,
	}
	for _, d := range it.Days {
		s.Days = append(s.Days, domain.Weekday(d))
	}
	if it.Date != nil {
		d := scalars.Date(*it.Date)
		s.Date = &d
	}
	for _, t := range it.Tasks {
		s.Tasks = append(s.Tasks, domain.Task{
			ID:                    t.ID,
			ScheduleID:            it.ID,
			Title:                 t.Title,
			Notes:                 t.Notes,
			Icon:                  t.Icon,
			StartTime:             scalars.Time(t.StartTime),
			DurationMinutes:       t.DurationMinutes,
			ReminderMinutesBefore: t.ReminderMinutesBefore,
			Position:              t.Position,
		})
	}
	return s
}

// taskRefItem locates a task's schedule (taskRefKey); its id is the
// task's id.
type taskRefItem struct {
	keyAttrs
	ScheduleID     string `dynamodbav:"scheduleId"`
	OwnerID        string `dynamodbav:"ownerId"`
	OrganisationID string `dynamodbav:"organisationId"`
}

func newTaskRefItem(s domain.Schedule, taskID string) taskRefItem {
	return taskRefItem{
		keyAttrs:       newKeyAttrs(taskRefKey(taskID), typeTaskRef, taskID),
		ScheduleID:     s.ID,
		OwnerID:        s.OwnerID,
		OrganisationID: s.OrganisationID,
	}
}

func (it taskRefItem) domain() domain.TaskRef {
	return domain.TaskRef{TaskID: it.ID, ScheduleID: it.ScheduleID, OwnerID: it.OwnerID, OrganisationID: it.OrganisationID}
}

// completionItem records a completion in the owner's partition
// (completionKey); its id is the task's id.
type completionItem struct {
	keyAttrs
	OwnerID        string     `dynamodbav:"ownerId"`
	OrganisationID string     `dynamodbav:"organisationId"`
	ScheduleID     string     `dynamodbav:"scheduleId"`
	Date           string     `dynamodbav:"date"`
	CompletedAt    *time.Time `dynamodbav:"completedAt,omitempty"`
}

func newCompletionItem(c domain.Completion, day string) completionItem {
	it := completionItem{
		keyAttrs:       newKeyAttrs(completionKey(c.OwnerID, day, c.TaskID), typeCompletion, c.TaskID),
		OwnerID:        c.OwnerID,
		OrganisationID: c.OrganisationID,
		ScheduleID:     c.ScheduleID,
		Date:           string(c.Date),
	}
	if c.CompletedAt != nil {
		at := c.CompletedAt.UTC()
		it.CompletedAt = &at
	}
	return it
}

func (it completionItem) domain() domain.Completion {
	c := domain.Completion{
		OwnerID:        it.OwnerID,
		OrganisationID: it.OrganisationID,
		ScheduleID:     it.ScheduleID,
		TaskID:         it.ID,
		Date:           scalars.Date(it.Date),
		Completed:      true,
		CompletedAt:    it.CompletedAt,
	}
	return c
}

// encodeTime stores times in UTC so that the stored text is canonical.
func encodeTime(t time.Time) (types.AttributeValue, error) {
	return &types.AttributeValueMemberS{Value: t.UTC().Format(time.RFC3339Nano)}, nil
}

// marshalItem returns the attributes of it, one of the item types above.
func marshalItem(it any) (map[string]types.AttributeValue, error) {
	av, err := attributevalue.MarshalMapWithOptions(it, func(o *attributevalue.EncoderOptions) {
		o.EncodeTime = encodeTime
	})
	if err != nil {
		return nil, fmt.Errorf("encode item: %w", err)
	}
	return av, nil
}

// unmarshalItem decodes av into an item of type T after checking that its
// type attribute is typ. It returns an internal error otherwise.
func unmarshalItem[T any](av map[string]types.AttributeValue, typ string) (T, error) {
	var it T
	got := ""
	if s, ok := av[attrType].(*types.AttributeValueMemberS); ok {
		got = s.Value
	}
	if got != typ {
		return it, fmt.Errorf("item %s/%s has type %q, want %q", stringAttr(av, attrPK), stringAttr(av, attrSK), got, typ)
	}
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return it, fmt.Errorf("decode %s %s: %w", typ, stringAttr(av, "id"), err)
	}
	return it, nil
}

// unmarshalItems decodes every item of avs as unmarshalItem does and maps
// it to its domain value.
func unmarshalItems[T interface{ domain() D }, D any](avs []map[string]types.AttributeValue, typ string) ([]D, error) {
	out := make([]D, 0, len(avs))
	for _, av := range avs {
		it, err := unmarshalItem[T](av, typ)
		if err != nil {
			return nil, err
		}
		out = append(out, it.domain())
	}
	return out, nil
}

// stringAttr returns the string attribute name of av, or "".
func stringAttr(av map[string]types.AttributeValue, name string) string {
	if s, ok := av[name].(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

// keyOf returns the primary key attributes of k.
func keyOf(k itemKey) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: k.PK},
		attrSK: &types.AttributeValueMemberS{Value: k.SK},
	}
}

func stringValue(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

func numberValue(n int) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: fmt.Sprint(n)}
}

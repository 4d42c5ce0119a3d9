package e2e_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dayline/dayline/domain"
)

// staffCase is something a caregiver of organisation a may do to or about
// its member a-member-2 and a member may not.
type staffCase struct {
	name  string
	query string
	// vars returns the variables, read from the store right before the
	// request (nil: none).
	vars func(t *testing.T, e *env) map[string]any
	// guard is "<field> on type <Type>" when a Members token is denied by
	// the field's @aws_cognito_user_pools directive, "" when the directive
	// lets Members through and only the stored role decides.
	guard string
	// allowed checks the answer of a caller allowed to do it.
	allowed func(t *testing.T, r gqlResponse)
}

// idList is the typed form of a UserConnection's items.
type idList struct {
	Items []struct {
		ID string `json:"id"`
	} `json:"items"`
}

// ids returns the ids, sorted.
func (l *idList) ids() []string {
	if l == nil {
		return nil
	}
	var out []string
	for _, it := range l.Items {
		out = append(out, it.ID)
	}
	slices.Sort(out)
	return out
}

var orgAUsers = []string{"a-admin", "a-caregiver", "a-member-1", "a-member-2"}

// staffCases are the caregiver rights the role tests take away and give
// back: listing members (two ways), reading another member (with and
// without the staff-only email), planning a member's schedules (two
// ways) and ticking a member's task.
var staffCases = []staffCase{
	{
		name: "listMembers", guard: "listMembers on type Query",
		query: `{ listMembers(organisationId: "a") { items { id } } }`,
		allowed: func(t *testing.T, r gqlResponse) {
			var got struct {
				Data struct {
					ListMembers *idList `json:"listMembers"`
				} `json:"data"`
			}
			decodeRaw(t, r, &got)
			if ids := got.Data.ListMembers.ids(); !slices.Equal(ids, orgAUsers) {
				t.Errorf("listMembers = %v, want %v: %s", ids, orgAUsers, r.Raw)
			}
		},
	},
	{
		name: "organisation.members", guard: "members on type Organisation",
		query: `{ organisation(id: "a") { id members { items { id } } } }`,
		allowed: func(t *testing.T, r gqlResponse) {
			var got struct {
				Data struct {
					Organisation *struct {
						Members *idList `json:"members"`
					} `json:"organisation"`
				} `json:"data"`
			}
			decodeRaw(t, r, &got)
			if got.Data.Organisation == nil {
				t.Fatalf("no organisation: %s", r.Raw)
			}
			if ids := got.Data.Organisation.Members.ids(); !slices.Equal(ids, orgAUsers) {
				t.Errorf("members = %v, want %v: %s", ids, orgAUsers, r.Raw)
			}
		},
	},
	{
		name:  "user of another member",
		query: `{ user(id: "a-member-2") { id name } }`,
		allowed: func(t *testing.T, r gqlResponse) {
			var got struct {
				Data struct {
					User *struct{ ID, Name string } `json:"user"`
				} `json:"data"`
			}
			decodeRaw(t, r, &got)
			if u := got.Data.User; u == nil || u.ID != "a-member-2" || u.Name != "a member-2" {
				t.Errorf("user = %+v, want a-member-2: %s", u, r.Raw)
			}
		},
	},
	{
		name: "email of another member", guard: "email on type User",
		query: `{ user(id: "a-member-2") { id email } }`,
		allowed: func(t *testing.T, r gqlResponse) {
			var got struct {
				Data struct {
					User *struct{ ID, Email string } `json:"user"`
				} `json:"data"`
			}
			decodeRaw(t, r, &got)
			if u := got.Data.User; u == nil || u.Email != "a-member-2@example.com" {
				t.Errorf("user = %+v, want a-member-2's email: %s", u, r.Raw)
			}
		},
	},
	{
		name: "createSchedule for a member", guard: "createSchedule on type Mutation",
		query: `mutation { createSchedule(input: {ownerId: "a-member-2", title: "Evenings", timezone: "Europe/Amsterdam", days: [MON]}) { id ownerId title version } }`,
		allowed: func(t *testing.T, r gqlResponse) {
			var got struct {
				Data struct {
					CreateSchedule *struct {
						ID, OwnerID, Title string
						Version            int
					} `json:"createSchedule"`
				} `json:"data"`
			}
			decodeRaw(t, r, &got)
			if s := got.Data.CreateSchedule; s == nil || s.ID == "" || s.OwnerID != "a-member-2" || s.Title != "Evenings" || s.Version != 1 {
				t.Errorf("createSchedule = %+v, want a-member-2's new schedule at version 1: %s", s, r.Raw)
			}
		},
	},
	{
		name: "addTask for a member", guard: "addTask on type Mutation",
		query: `mutation($v: Int!) { addTask(input: {scheduleId: "a-member-2-sched", expectedVersion: $v, task: {title: "Tea", startTime: "16:00", durationMinutes: 5}}) { id version tasks { title } } }`,
		vars: func(t *testing.T, e *env) map[string]any {
			return map[string]any{"v": member2Schedule(t, e).Version}
		},
		allowed: func(t *testing.T, r gqlResponse) {
			var got struct {
				Data struct {
					AddTask *struct {
						ID      string
						Version int
						Tasks   []struct{ Title string }
					} `json:"addTask"`
				} `json:"data"`
			}
			decodeRaw(t, r, &got)
			s := got.Data.AddTask
			if s == nil || s.ID != "a-member-2-sched" || len(s.Tasks) < 3 || s.Tasks[len(s.Tasks)-1].Title != "Tea" {
				t.Errorf("addTask = %+v, want Tea appended to a-member-2-sched: %s", s, r.Raw)
			}
		},
	},
	{
		name:  "completeTask of a member",
		query: `mutation { completeTask(taskId: "a-member-2-task-1", date: "2026-03-30") { ownerId taskId completed } }`,
		allowed: func(t *testing.T, r gqlResponse) {
			var got struct {
				Data struct {
					CompleteTask *struct {
						OwnerID, TaskID string
						Completed       bool
					} `json:"completeTask"`
				} `json:"data"`
			}
			decodeRaw(t, r, &got)
			if c := got.Data.CompleteTask; c == nil || c.OwnerID != "a-member-2" || c.TaskID != "a-member-2-task-1" || !c.Completed {
				t.Errorf("completeTask = %+v, want a-member-2-task-1 completed: %s", c, r.Raw)
			}
		},
	},
}

// member2Schedule reads a-member-2's seeded schedule from the store.
func member2Schedule(t *testing.T, e *env) domain.Schedule {
	t.Helper()
	s, err := e.Store.GetSchedules(t.Context(), []string{"a-member-2-sched"})
	if err != nil || len(s) != 1 {
		t.Fatalf("get a-member-2-sched: %v (%d found)", err, len(s))
	}
	return s[0]
}

// member2State is what the staff cases could change about a-member-2.
type member2State struct {
	Schedules     int
	SeededVersion int
	Completions   int
}

func member2Now(t *testing.T, e *env) member2State {
	t.Helper()
	ctx := t.Context()
	scheds, err := e.Store.SchedulesByOwners(ctx, []string{"a-member-2"})
	if err != nil {
		t.Fatalf("schedules of a-member-2: %v", err)
	}
	day := domain.OwnerDate{OwnerID: "a-member-2", Day: testDay}
	done, err := e.Store.CompletionsOn(ctx, []domain.OwnerDate{day})
	if err != nil {
		t.Fatalf("completions of a-member-2: %v", err)
	}
	return member2State{Schedules: len(scheds["a-member-2"]), SeededVersion: member2Schedule(t, e).Version, Completions: len(done[day])}
}

// run sends c's query with token.
func (c staffCase) run(t *testing.T, e *env, token string) gqlResponse {
	t.Helper()
	var vars map[string]any
	if c.vars != nil {
		vars = c.vars(t, e)
	}
	r := e.post(token, c.query, vars)
	if r.Status != 200 {
		t.Fatalf("%s: status %d: %s", c.name, r.Status, r.Raw)
	}
	return r
}

// denial is the typed form of a denied answer: its data, and each error's
// errorType, extensions.code and path (not its message: a member's token
// is turned away by the directive, a demoted caregiver's by the role
// rule, with different words).
type denial struct {
	Data   json.RawMessage
	Errors []string
}

func denialOf(t *testing.T, r gqlResponse) denial {
	t.Helper()
	var got struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	decodeRaw(t, r, &got)
	d := denial{Data: got.Data}
	for _, er := range got.Errors {
		d.Errors = append(d.Errors, fmt.Sprintf("%s/%v at %s", er.ErrorType, er.Extensions.Code, er.Path.String()))
	}
	return d
}

// updateRole sets userID's stored role as a-admin, through updateUser
// with expectedVersion, and checks the answer.
func updateRole(t *testing.T, e *env, userID string, role domain.Role, expectedVersion int) {
	t.Helper()
	r := e.as("a-admin", `mutation($id: ID!, $v: Int!, $role: Role!) { updateUser(input: {id: $id, expectedVersion: $v, role: $role}) { id role version } }`,
		map[string]any{"id": userID, "v": expectedVersion, "role": role})
	var got struct {
		Data struct {
			UpdateUser *struct {
				ID      string
				Role    domain.Role
				Version int
			} `json:"updateUser"`
		} `json:"data"`
	}
	decodeRaw(t, r, &got)
	if u := got.Data.UpdateUser; len(r.Errors) > 0 || u == nil || u.ID != userID || u.Role != role || u.Version != expectedVersion+1 {
		t.Fatalf("updateUser(%s, %s) = %+v: %s", userID, role, u, r.Raw)
	}
}

// TestRoleDemotionTakesEffectOnNextRequest: a caregiver demoted to
// member by updateUser keeps a valid token that still says Caregivers, yet
// from the next request on it is refused every caregiver right, with the
// same data and errors (type, code, path) a member gets, and changes
// nothing; promoted back, the same token has them all again.
func TestRoleDemotionTakesEffectOnNextRequest(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		caregiverToken := e.token("a-caregiver") // minted while a caregiver: group Caregivers
		memberToken := e.token("a-member-1")

		for _, c := range staffCases {
			t.Run("caregiver/"+c.name, func(t *testing.T) { c.allowed(t, c.run(t, e, caregiverToken)) })
		}

		updateRole(t, e, "a-caregiver", domain.RoleMember, 1)
		before := member2Now(t, e)
		for _, c := range staffCases {
			t.Run("demoted/"+c.name, func(t *testing.T) {
				got := denialOf(t, c.run(t, e, caregiverToken))
				want := denialOf(t, c.run(t, e, memberToken))
				if len(want.Errors) != 1 || !strings.HasPrefix(want.Errors[0], "Unauthorized/Unauthorized at ") {
					t.Fatalf("a member should get one Unauthorized error, got %v", want.Errors)
				}
				if string(got.Data) != string(want.Data) || !slices.Equal(got.Errors, want.Errors) {
					t.Errorf("demoted caregiver got data %s, errors %v; a member gets data %s, errors %v",
						got.Data, got.Errors, want.Data, want.Errors)
				}
			})
		}
		if after := member2Now(t, e); after != before {
			t.Errorf("denied requests changed a-member-2: %+v, then %+v", before, after)
		}
		r := e.post(caregiverToken, `{ me { id role } }`, nil)
		var me struct {
			Data struct {
				Me *struct {
					ID   string
					Role domain.Role
				} `json:"me"`
			} `json:"data"`
		}
		decodeRaw(t, r, &me)
		if m := me.Data.Me; m == nil || m.ID != "a-caregiver" || m.Role != domain.RoleMember {
			t.Errorf("me with the old token = %+v, want a-caregiver as MEMBER: %s", m, r.Raw)
		}

		updateRole(t, e, "a-caregiver", domain.RoleCaregiver, 2)
		for _, c := range staffCases {
			t.Run("promoted back/"+c.name, func(t *testing.T) { c.allowed(t, c.run(t, e, caregiverToken)) })
		}
	})
}

// TestRolePromotionNeedsNewTokenForGuardedFields: a member promoted to
// caregiver whose token still says Members gets the caregiver rights whose
// fields the directives open to Members (the stored role decides those),
// but every field a directive keeps from Members stays denied, with the
// directive's error, until a token with the Caregivers group arrives.
func TestRolePromotionNeedsNewTokenForGuardedFields(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		oldToken := e.token("a-member-1") // group Members
		updateRole(t, e, "a-member-1", domain.RoleCaregiver, 1)

		before := member2Now(t, e)
		for _, c := range staffCases {
			t.Run("old token/"+c.name, func(t *testing.T) {
				r := c.run(t, e, oldToken)
				if c.guard == "" {
					c.allowed(t, r)
					return
				}
				want := "Not Authorized to access " + c.guard
				if len(r.Errors) != 1 || r.Errors[0].ErrorType != "Unauthorized" || r.Errors[0].Message != want {
					t.Errorf("want one Unauthorized error %q: %s", want, r.Raw)
				}
			})
		}
		want := before
		want.Completions = 1 // completeTask is not guarded: the stored role let it tick
		if after := member2Now(t, e); after != want {
			t.Errorf("a-member-2 after the old token's requests: %+v, want %+v", after, want)
		}

		newToken := e.mint("a-member-1", domain.RoleCaregiver.Group())
		for _, c := range staffCases {
			t.Run("new token/"+c.name, func(t *testing.T) { c.allowed(t, c.run(t, e, newToken)) })
		}
	})
}

package appsync_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestFixtures runs the events of testdata: AWS's documented Direct Lambda
// Context shape (identity.groups, sourceIp a list, request.domainName) and
// the Amplify AppSync simulator's (no identity.groups: the groups are only
// in claims["cognito:groups"]; sourceIp a string; an extra
// identity["cognito:username"]; no domainName), as Invoke and BatchInvoke.
func TestFixtures(t *testing.T) {
	type user struct{ ID, Name, Role string }
	tests := []struct {
		file  string
		check func(t *testing.T, e *env, raw []byte)
	}{
		{"invoke-query.json", func(t *testing.T, e *env, raw []byte) {
			s := decode[struct {
				ID, Title, OwnerID string
				Tasks              []struct{ Title, StartTime string }
			}](t, invokeOK(t, e, raw))
			if s.ID != "a-member-1-sched" || s.OwnerID != "a-member-1" || len(s.Tasks) != 2 || s.Tasks[0].Title != "Breakfast" || s.Tasks[0].StartTime != "08:00" {
				t.Errorf("schedule = %+v", s)
			}
		}},
		{"invoke-mutation.json", func(t *testing.T, e *env, raw []byte) {
			c := decode[struct {
				OwnerID, TaskID, Date string
				Completed             bool
			}](t, invokeOK(t, e, raw))
			if c.OwnerID != "a-member-1" || c.TaskID != "a-member-1-task-1" || c.Date != testDay || !c.Completed {
				t.Errorf("completion = %+v", c)
			}
		}},
		{"invoke-nested.json", func(t *testing.T, e *env, raw []byte) {
			items := decode[[]struct {
				StartsAt string
				Task     struct{ Title string }
			}](t, invokeOK(t, e, raw))
			if len(items) != 2 || items[0].StartsAt != "2026-03-30T07:00:00+02:00" || items[1].Task.Title != "Breakfast" {
				t.Errorf("agenda = %+v", items)
			}
		}},
		{"batch-invoke.json", func(t *testing.T, e *env, raw []byte) {
			items := e.batchRaw(raw)
			if len(items) != 3 {
				t.Fatalf("%d items, want 3", len(items))
			}
			for i, want := range []string{"a-member-1", "a-member-2"} {
				if u := decode[user](t, items[i].Data); items[i].ErrorType != "" || u.ID != want || u.Role != "MEMBER" {
					t.Errorf("item %d: %+v %+v, want owner %s", i, items[i], u, want)
				}
			}
			if items[2].ErrorType != "NotFound" || string(items[2].Data) != "null" {
				t.Errorf("item 2 (another organisation's schedule): %+v, want NotFound", items[2])
			}
		}},
		{"simulator-invoke.json", func(t *testing.T, e *env, raw []byte) {
			u := decode[map[string]any](t, invokeOK(t, e, raw))
			if u["id"] != "a-member-1" || u["role"] != "MEMBER" {
				t.Errorf("me = %v", u)
			}
			if _, ok := u["email"]; ok {
				t.Errorf("me holds email, which Members may not read: groups not taken from the claims")
			}
		}},
		{"simulator-batch-invoke.json", func(t *testing.T, e *env, raw []byte) {
			items := e.batchRaw(raw)
			if len(items) != 1 || items[0].ErrorType != "" {
				t.Fatalf("items %+v", items)
			}
			if o := decode[struct{ ID, Name string }](t, items[0].Data); o.ID != "a" || o.Name != "Org a" {
				t.Errorf("organisation = %+v", o)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, newEnv(t), raw)
		})
	}
}

func invokeOK(t *testing.T, e *env, raw []byte) json.RawMessage {
	t.Helper()
	data, err := e.invokeRaw(raw)
	if err != nil {
		t.Fatalf("%s: %s", err.Type, err.Message)
	}
	return data
}

package storetest

import (
	"crypto/rand"
	"encoding/base64"
	mathrand "math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// collectPages pages through a list with limit until a page has no
// nextToken, and returns the pages.
func collectPages[T any](t *testing.T, limit int, list func(domain.PageRequest) (domain.Page[T], error)) [][]T {
	t.Helper()
	var pages [][]T
	token := ""
	for range 100 {
		p, err := list(domain.PageRequest{Limit: limit, NextToken: token})
		mustNil(t, "list page", err)
		pages = append(pages, p.Items)
		if p.NextToken == nil {
			return pages
		}
		if *p.NextToken == "" {
			t.Fatalf("page %d has an empty, non-nil nextToken", len(pages))
		}
		token = *p.NextToken
	}
	t.Fatal("more than 100 pages: the nextToken does not advance")
	return nil
}

func pageSizes[T any](pages [][]T) []int {
	sizes := make([]int, len(pages))
	for i, p := range pages {
		sizes[i] = len(p)
	}
	return sizes
}

// tamper changes one character in the middle of token.
func tamper(token string) string {
	b := []byte(token)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func testListMembersPagination(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, admin := createOrganisation(t, s)

	// 44 members besides the admin, created later than the admin but in the
	// reverse order of their ids and stored in random order: creation order
	// is neither id order nor insertion order.
	const n = 44
	members := make([]domain.User, n)
	for i := range members {
		members[i] = newUser(t, org.ID, baseTime.Add(time.Duration(n-i)*time.Second+time.Duration(i)))
	}
	for _, i := range mathrand.New(mathrand.NewPCG(1, 2)).Perm(n) {
		mustNil(t, "CreateUser", s.CreateUser(ctx, members[i]))
	}
	other, _ := createOrganisation(t, s)
	createUser(t, s, other.ID)

	want := []string{admin.ID}
	for i := n - 1; i >= 0; i-- {
		want = append(want, members[i].ID)
	}

	tests := []struct {
		limit int
		sizes []int
	}{
		{20, []int{20, 20, 5}},
		{15, []int{15, 15, 15}},
		{7, []int{7, 7, 7, 7, 7, 7, 3}},
		{45, []int{45}},
		{100, []int{45}},
	}
	for _, tc := range tests {
		t.Run("limit "+strconv.Itoa(tc.limit), func(t *testing.T) {
			pages := collectPages(t, tc.limit, func(p domain.PageRequest) (domain.Page[domain.User], error) {
				return s.ListMembers(ctx, org.ID, p)
			})
			if got := pageSizes(pages); !slices.Equal(got, tc.sizes) {
				t.Errorf("page sizes = %v, want %v (the last page alone has no nextToken)", got, tc.sizes)
			}
			all := slices.Concat(pages...)
			if got := idsOf(all, userID); !slices.Equal(got, want) {
				t.Errorf("members in pages = %v\nwant creation order %v", got, want)
			}
			for _, u := range all {
				if u.ID == members[3].ID {
					sameUser(t, "listed member", u, members[3])
				}
			}
		})
	}
}

func testListMembersBadTokens(t *testing.T, s store.Store) {
	ctx := t.Context()
	orgA, adminA := createOrganisation(t, s)
	memberA := createUser(t, s, orgA.ID)
	orgB, _ := createOrganisation(t, s)
	createUser(t, s, orgB.ID)
	createSchedule(t, s, memberA, 1)
	createSchedule(t, s, memberA, 1)

	firstToken := func(p domain.Page[domain.User], err error) string {
		t.Helper()
		mustNil(t, "ListMembers", err)
		if p.NextToken == nil {
			t.Fatal("first page of two has no nextToken")
		}
		return *p.NextToken
	}
	tokenA := firstToken(s.ListMembers(ctx, orgA.ID, domain.PageRequest{Limit: 1}))
	tokenB := firstToken(s.ListMembers(ctx, orgB.ID, domain.PageRequest{Limit: 1}))
	schedulePage, err := s.ListSchedules(ctx, memberA.ID, domain.PageRequest{Limit: 1})
	mustNil(t, "ListSchedules", err)
	if schedulePage.NextToken == nil {
		t.Fatal("first schedule page of two has no nextToken")
	}
	random := make([]byte, 48)
	rand.Read(random)

	t.Run("valid token", func(t *testing.T) {
		p, err := s.ListMembers(ctx, orgA.ID, domain.PageRequest{Limit: 1, NextToken: tokenA})
		mustNil(t, "ListMembers", err)
		if ids := idsOf(p.Items, userID); !slices.Equal(ids, []string{memberA.ID}) || p.NextToken != nil {
			t.Errorf("second page = %v (next %v), want [%s] and no nextToken (first was %s)", ids, p.NextToken, memberA.ID, adminA.ID)
		}
	})
	tests := []struct {
		name  string
		token string
	}{
		{"tampered", tamper(tokenA)},
		{"garbage", "not-a-token"},
		{"random bytes", base64.RawURLEncoding.EncodeToString(random)},
		{"other organisation's token", tokenB},
		{"schedule list token", *schedulePage.NextToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.ListMembers(ctx, orgA.ID, domain.PageRequest{Limit: 1, NextToken: tc.token})
			wantError(t, "ListMembers", err, store.InvalidPageToken())
		})
	}
}

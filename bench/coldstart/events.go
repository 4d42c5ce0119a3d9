package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/demo"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
)

// Dev mode's issuer and client id, as cmd/dayline names them: the token is
// minted with the signing key the function reads from its data directory.
const (
	devIssuer   = "dayline-dev"
	devClientID = "dayline-dev"
)

// pageTokenSecret is the function's DAYLINE_PAGE_TOKEN_SECRET.
const pageTokenSecret = "coldstart-page-token-secret"

// seeded is the embedded store the function runs on, and a dev token of
// demo member 1.
type seeded struct {
	db, token string
}

// seed writes the demo organisation into a new embedded store in dir and
// mints a token of demo member 1 with the dev-mode key kept there.
func seed(dir string) (seeded, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return seeded{}, err
	}
	db := filepath.Join(dir, "dayline.db")
	st, err := bolt.Open(db, store.NewPageTokens([]byte(pageTokenSecret)))
	if err != nil {
		return seeded{}, err
	}
	err = demo.Seed(context.Background(), st, time.Now().UTC(), func() string { return ulid.Make().String() })
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return seeded{}, fmt.Errorf("seed: %w", err)
	}
	issuer, err := auth.OpenLocalIssuer(dir, devIssuer, devClientID, time.Now)
	if err != nil {
		return seeded{}, err
	}
	token, err := issuer.Mint(demo.Member1ID, []string{domain.GroupMembers}, "", time.Hour)
	if err != nil {
		return seeded{}, err
	}
	return seeded{db: db, token: token}, nil
}

// event is one invocation's payload and how to tell a good answer.
type event struct {
	name    string
	payload []byte
	check   func(answer []byte) error
}

// loadEvents returns the HTTP and the AppSync event, from the fixtures
// under root, as demo member 1 (token for HTTP).
func loadEvents(root, token string) ([]event, error) {
	httpEvent, err := functionURLEvent(filepath.Join(root, "lambda", "testdata", "lambda-url-request.json"), token)
	if err != nil {
		return nil, err
	}
	appSyncEvent, err := appSyncInvoke(filepath.Join(root, "appsync", "testdata", "simulator-invoke.json"))
	if err != nil {
		return nil, err
	}
	return []event{
		{"http", httpEvent, checkHTTP},
		{"appsync", appSyncEvent, checkAppSync},
	}, nil
}

// functionURLEvent is the Function URL fixture at path turned into a POST
// of `{ me { id } }` to /graphql with token.
func functionURLEvent(path, token string) ([]byte, error) {
	var ev map[string]any
	if err := readJSON(path, &ev); err != nil {
		return nil, err
	}
	body, err := json.Marshal(map[string]string{"query": "{ me { id } }"})
	if err != nil {
		return nil, err
	}
	rc, ok := ev["requestContext"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: no requestContext", path)
	}
	httpCtx, ok := rc["http"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: no requestContext.http", path)
	}
	httpCtx["method"], httpCtx["path"] = "POST", "/graphql"
	ev["rawPath"], ev["rawQueryString"], ev["body"], ev["isBase64Encoded"] = "/graphql", "", string(body), false
	delete(ev, "queryStringParameters")
	ev["headers"] = map[string]any{
		"content-type": "application/json", "accept": "application/json", "authorization": "Bearer " + token,
	}
	return json.Marshal(ev)
}

// appSyncInvoke is the AppSync Invoke fixture at path (Query.me) with demo
// member 1 as the caller.
func appSyncInvoke(path string) ([]byte, error) {
	var ev map[string]any
	if err := readJSON(path, &ev); err != nil {
		return nil, err
	}
	id, ok := ev["identity"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: no identity", path)
	}
	claims, ok := id["claims"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: no identity.claims", path)
	}
	for _, m := range []map[string]any{id, claims} {
		m["sub"], m["cognito:username"] = demo.Member1ID, demo.Member1ID
	}
	id["username"] = demo.Member1ID
	return json.Marshal(ev)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// checkHTTP accepts a 200 answer whose GraphQL body has demo member 1's id.
func checkHTTP(answer []byte) error {
	var res struct {
		StatusCode int    `json:"statusCode"`
		Body       string `json:"body"`
	}
	if err := json.Unmarshal(answer, &res); err != nil {
		return fmt.Errorf("answer %s: %w", answer, err)
	}
	var body struct {
		Data struct {
			Me struct{ ID string } `json:"me"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(res.Body), &body); err != nil || res.StatusCode != 200 || body.Data.Me.ID != demo.Member1ID {
		return fmt.Errorf("answer %s; want status 200 and me.id %s", answer, demo.Member1ID)
	}
	return nil
}

// checkAppSync accepts Query.me's value with demo member 1's id.
func checkAppSync(answer []byte) error {
	var me struct{ ID string }
	if err := json.Unmarshal(answer, &me); err != nil || me.ID != demo.Member1ID {
		return fmt.Errorf("answer %s; want me.id %s", answer, demo.Member1ID)
	}
	return nil
}

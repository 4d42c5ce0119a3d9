package cognitotest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// targetPrefix starts every X-Amz-Target of Cognito's user pool API.
const targetPrefix = "AWSCognitoIdentityProviderService."

// Front stands between the code under test and cognito-local: it passes
// every call on, except that it
//
//   - refuses a call not signed for cognito-idp (SigV4) with 400;
//   - answers AdminUserGlobalSignOut itself, which cognito-local 5.3.0
//     does not serve: UserNotFoundException for a user the pool does not
//     have (asked of cognito-local with AdminGetUser), else success,
//     counted per user (SignOuts);
//   - fails the calls FailNext names, once each, with Cognito's
//     InternalErrorException (HTTP 500), as AWS would when it is down.
//
// It records every operation it was sent, in order (Calls).
type Front struct {
	URL   string
	local *url.URL

	mu       sync.Mutex
	calls    []string
	fail     map[string]int
	signOuts map[string]int
}

func newFront(tb testing.TB, local string) *Front {
	tb.Helper()
	u, err := url.Parse(local)
	if err != nil {
		tb.Fatalf("cognito-local endpoint %q: %v", local, err)
	}
	f := &Front{local: u, fail: map[string]int{}, signOuts: map[string]int{}}
	srv := httptest.NewServer(f.handler())
	tb.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// FailNext makes the next call of operation op (e.g. "AdminDeleteUser")
// fail; called twice, the next two.
func (f *Front) FailNext(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[op]++
}

// Calls returns the operations sent so far, in order, and forgets them.
func (f *Front) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.calls
	f.calls = nil
	return out
}

// SignOuts returns how often user (as the caller named it) was signed
// out everywhere.
func (f *Front) SignOuts(user string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.signOuts[user]
}

func (f *Front) handler() http.Handler {
	proxy := httputil.NewSingleHostReverseProxy(f.local)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
		if !strings.Contains(r.Header.Get("Authorization"), "/cognito-idp/aws4_request") {
			answer(w, http.StatusBadRequest, "MissingAuthenticationTokenException", "not signed for cognito-idp")
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			answer(w, http.StatusBadRequest, "SerializationException", err.Error())
			return
		}
		f.mu.Lock()
		f.calls = append(f.calls, op)
		injected := f.fail[op] > 0
		if injected {
			f.fail[op]--
		}
		f.mu.Unlock()
		switch {
		case injected:
			answer(w, http.StatusInternalServerError, "InternalErrorException", "failure injected by the test")
		case op == "AdminUserGlobalSignOut":
			f.signOut(w, r, body)
		default:
			r.Body = io.NopCloser(bytes.NewReader(body))
			proxy.ServeHTTP(w, r)
		}
	})
}

// signOut answers AdminUserGlobalSignOut as Cognito does.
func (f *Front) signOut(w http.ResponseWriter, r *http.Request, body []byte) {
	var in struct{ UserPoolId, Username string }
	if err := json.Unmarshal(body, &in); err != nil || in.UserPoolId == "" || in.Username == "" {
		answer(w, http.StatusBadRequest, "InvalidParameterException", "UserPoolId and Username are required")
		return
	}
	check, _ := json.Marshal(in)
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, f.local.String(), bytes.NewReader(check))
	if err != nil {
		answer(w, http.StatusInternalServerError, "InternalErrorException", err.Error())
		return
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", targetPrefix+"AdminGetUser")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		answer(w, http.StatusInternalServerError, "InternalErrorException", err.Error())
		return
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		answer(w, http.StatusBadRequest, "UserNotFoundException", "User does not exist.")
		return
	}
	f.mu.Lock()
	f.signOuts[in.Username]++
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_, _ = w.Write([]byte("{}"))
}

// answer writes a Cognito error answer.
func answer(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": typ, "message": msg})
}

package auth

import (
	"context"
	"errors"
	"testing"
)

// FuzzVerify checks that Verify never panics and only returns *TokenError.
func FuzzVerify(f *testing.F) {
	e := newTestEnv(f, nil)
	valid := e.token(f, e.idClaims())
	for _, seed := range []string{
		valid, valid[:len(valid)/2], "", ".", "..", "a.b.c", "e30.e30.", "eyJhbGciOiJub25lIn0.e30.",
		"eyJhbGciOiJSUzI1NiIsImtpZCI6ImtpZC1BIn0.bnVsbA.AAAA",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		_, err := e.v.Verify(context.Background(), raw)
		if err == nil {
			return
		}
		var te *TokenError
		if !errors.As(err, &te) || te.Reason == "" {
			t.Fatalf("error %T %v is not a *TokenError with a reason", err, err)
		}
	})
}

package server

import (
	"bytes"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/99designs/gqlgen/graphql/playground"
)

var updatePlayground = flag.Bool("update-playground", false, "render gqlgen's playground page into playground.html")

// TestPlaygroundPage checks that playground.html is the page gqlgen's
// playground.Handler renders for Dayline's /graphql; with
// -update-playground it writes it.
func TestPlaygroundPage(t *testing.T) {
	rec := httptest.NewRecorder()
	playground.Handler(playgroundTitle, "/graphql", playground.WithGraphiqlUiHeaders(playgroundHeaders)).
		ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	want := rec.Body.Bytes()
	if rec.Code != http.StatusOK || len(want) == 0 {
		t.Fatalf("gqlgen's playground answered %d with %d bytes", rec.Code, len(want))
	}
	if *updatePlayground {
		if err := os.WriteFile("playground.html", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(playgroundPage, want) {
		t.Errorf("playground.html is not the page gqlgen renders now: run go test ./server -run TestPlaygroundPage -update-playground")
	}
}

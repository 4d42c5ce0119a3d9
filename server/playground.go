package server

import (
	_ "embed"
	"net/http"
)

// The playground is gqlgen's GraphiQL page (playground.Handler with
// playgroundTitle and playgroundHeaders), rendered at generate time into
// playground.html by TestPlaygroundPage: the page depends on no request,
// and rendering it at run time would link html/template, whose
// reflection keeps every exported method of every type in the binary
// (about 4 MB of the Lambda's). A gqlgen release that changes the page
// fails that test until `go test ./server -run TestPlaygroundPage
// -update-playground` renders it again (`go generate` runs gqlgen alone).
//
//go:embed playground.html
var playgroundPage []byte

// What playground.html is rendered with: the page's title and the headers
// GraphiQL's header editor starts with.
const playgroundTitle = "Dayline"

var playgroundHeaders = map[string]string{"Authorization": "Bearer <paste a token>"}

// playgroundHandler serves playground.html.
func playgroundHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		_, _ = w.Write(playgroundPage)
	})
}

package api

import "testing"

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name   string
		accept []string // nil: no Accept header
		want   MediaType
		ok     bool
	}{
		{"no Accept header", nil, MediaJSON, true},
		{"empty Accept header", []string{""}, MediaJSON, true},
		{"application/json", []string{"application/json"}, MediaJSON, true},
		{"graphql-response+json", []string{"application/graphql-response+json"}, MediaGraphQLResponse, true},
		{"Apollo Client 4", []string{"application/graphql-response+json,application/json;q=0.9"}, MediaGraphQLResponse, true},
		{"spec's recommended header", []string{"application/graphql-response+json; charset=utf-8, application/json; charset=utf-8"}, MediaGraphQLResponse, true},
		{"any type picks application/json", []string{"*/*"}, MediaJSON, true},
		{"application/* picks application/json", []string{"application/*"}, MediaJSON, true},
		{"equal weights: first listed wins", []string{"application/json, application/graphql-response+json"}, MediaJSON, true},
		{"equal weights over two header lines", []string{"application/graphql-response+json", "application/json"}, MediaGraphQLResponse, true},
		{"higher weight wins over order", []string{"application/json;q=0.5, application/graphql-response+json;q=0.8"}, MediaGraphQLResponse, true},
		{"specific range overrides wildcard", []string{"application/json;q=0, */*"}, MediaGraphQLResponse, true},
		{"wildcard with lower weight", []string{"application/graphql-response+json;q=0.2, */*;q=0.1"}, MediaGraphQLResponse, true},
		{"browser navigation", []string{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}, MediaJSON, true},
		{"case-insensitive names", []string{"Application/GraphQL-Response+JSON; Charset=UTF-8"}, MediaGraphQLResponse, true},
		{"quoted charset", []string{`application/json; charset="utf-8"`}, MediaJSON, true},
		{"empty parameter", []string{"application/graphql-response+json;;q=1"}, MediaGraphQLResponse, true},
		{"accept-ext after the weight", []string{"application/graphql-response+json;q=0.5;level=1, application/json;q=0.4"}, MediaGraphQLResponse, true},
		{"q=1.000", []string{"application/graphql-response+json;q=1.000"}, MediaGraphQLResponse, true},
		{"malformed element skipped", []string{"application/, application/graphql-response+json"}, MediaGraphQLResponse, true},
		{"malformed weight skips its element", []string{"application/graphql-response+json;q=2, application/json;q=0.1"}, MediaJSON, true},
		{"comma inside a quoted string", []string{`text/html;x="a,application/json", application/graphql-response+json;q=0.3`}, MediaGraphQLResponse, true},

		{"only other types", []string{"text/html"}, MediaJSON, false},
		{"both refused by q=0", []string{"application/json;q=0, application/graphql-response+json;q=0"}, MediaJSON, false},
		{"wildcard refused", []string{"*/*;q=0"}, MediaJSON, false},
		{"other charset", []string{"application/json; charset=iso-8859-1"}, MediaJSON, false},
		{"unknown parameter", []string{"application/json; version=2"}, MediaJSON, false},
		{"q with four decimals", []string{"application/json;q=0.1234"}, MediaJSON, false},
		{"q above 1", []string{"application/json;q=1.001"}, MediaJSON, false},
		{"*/json is no range", []string{"*/json"}, MediaJSON, false},
		{"only garbage", []string{";;;"}, MediaJSON, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Negotiate(tc.accept)
			if ok != tc.ok || (ok && got != tc.want) {
				t.Errorf("Negotiate(%q) = %v, %v; want %v, %v", tc.accept, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestQvalue(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"0", 0, true}, {"1", 1000, true}, {"0.5", 500, true}, {"0.123", 123, true}, {"0.", 0, true},
		{"1.0", 1000, true}, {"1.000", 1000, true}, {"0.05", 50, true},
		{"", 0, false}, {"2", 0, false}, {"1.5", 0, false}, {"0.1234", 0, false}, {".5", 0, false}, {"0,5", 0, false}, {"0.a", 0, false},
	}
	for _, tc := range tests {
		got, ok := qvalue(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("qvalue(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMediaTypeContentType(t *testing.T) {
	for m, want := range map[MediaType]string{
		MediaJSON:            "application/json; charset=utf-8",
		MediaGraphQLResponse: "application/graphql-response+json; charset=utf-8",
	} {
		if got := m.ContentType(); got != want {
			t.Errorf("%v.ContentType() = %q, want %q", m, got, want)
		}
	}
}

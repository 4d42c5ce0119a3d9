package main

import (
	"strings"
	"time"

	"github.com/dayline/dayline/domain"
)

// config is every setting, read once from flags and the environment by
// parseSettings, as the settings table (settings.go) says; README.md's
// configuration table is made from the same table.
type config struct {
	Addr            string
	Data            string
	Demo            bool
	Issuer          string
	JWKSURL         string
	ClientIDs       string
	CORSOrigins     string
	MaxBodyBytes    int64
	MaxDepth        int
	MaxComplexity   int
	MaxResponse     int
	Introspection   bool
	IntroGroups     string
	Playground      bool
	AppSync         bool
	LogLevel        string
	PageTokenSecret string
	ShutdownTimeout time.Duration
	LoaderWait      time.Duration
	Store           string
	Table           string
	Region          string
	DynamoEndpoint  string
	Debug           bool
	UserPoolID      string // Cognito user pool whose users Dayline manages
	CognitoEndpoint string
	Email           string        // operator create: the operator's email
	User            string        // token: whom to mint for
	TTL             time.Duration // token: how long it stays valid

	// Subscriptions (serve).
	SubscriptionKeepAlive         time.Duration
	SubscriptionWriteTimeout      time.Duration
	SubscriptionQueue             int
	MaxSubscriptionsPerConnection int
	MaxConnectionsPerUser         int
	RealtimeLifetime              time.Duration
	RedisURL                      string // fan-out between instances; empty: in process
	RedisChannel                  string
}

// splitList splits a comma-separated setting, dropping empty entries.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// defaultIntrospectionGroups may introspect when an issuer is configured
// and --introspection-groups is not set: the staff who use the playground.
var defaultIntrospectionGroups = []string{domain.GroupOperators, domain.GroupAdmins, domain.GroupCaregivers}

// introspectionGroups returns the groups that may introspect; none means
// every signed-in caller.
func (c *config) introspectionGroups() []string {
	switch strings.TrimSpace(c.IntroGroups) {
	case "*":
		return nil
	case "":
		if c.Issuer == "" {
			return nil
		}
		return defaultIntrospectionGroups
	}
	return splitList(c.IntroGroups)
}

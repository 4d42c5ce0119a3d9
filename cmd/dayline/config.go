package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/domain"
)

// config is every setting, read once from flags and the environment
// (a flag given on the command line wins over its environment variable).
// README.md documents the same table.
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
	LogLevel        string
	PageTokenSecret string
	ShutdownTimeout time.Duration
	LoaderWait      time.Duration
	Store           string
	Table           string
	Region          string
	DynamoEndpoint  string
	Debug           bool
}

// bind registers the flags of c on fs with their environment variables.
func (c *config) bind(fs *flag.FlagSet) map[string]string {
	envOf := map[string]string{}
	str := func(p *string, name, env, def, help string) {
		fs.StringVar(p, name, def, help+" ($"+env+")")
		envOf[name] = env
	}
	str(&c.Addr, "addr", "DAYLINE_ADDR", "127.0.0.1:8080", "listen address")
	str(&c.Data, "data", "DAYLINE_DATA", "./dayline.db", "embedded database file; its directory also keeps the dev signing key and page-token secret")
	fs.BoolVar(&c.Demo, "demo", false, "seed a demo organisation on first start and print demo tokens ($DAYLINE_DEMO)")
	envOf["demo"] = "DAYLINE_DEMO"
	str(&c.Issuer, "issuer", "DAYLINE_OIDC_ISSUER", "", "OIDC/Cognito issuer URL; empty selects dev mode (local tokens)")
	str(&c.JWKSURL, "jwks-url", "DAYLINE_OIDC_JWKS_URL", "", "JWKS URL (default: issuer + /.well-known/jwks.json)")
	str(&c.ClientIDs, "client-ids", "DAYLINE_OIDC_CLIENT_IDS", "", "comma-separated allowed app client ids")
	str(&c.CORSOrigins, "cors-origins", "DAYLINE_CORS_ORIGINS", "", "comma-separated browser origins allowed by CORS (* for any)")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", 1<<20, "request body limit in bytes ($DAYLINE_MAX_BODY_BYTES)")
	envOf["max-body-bytes"] = "DAYLINE_MAX_BODY_BYTES"
	fs.IntVar(&c.MaxDepth, "max-depth", api.DefaultLimits.MaxDepth, "query depth limit, introspection included ($DAYLINE_MAX_DEPTH)")
	envOf["max-depth"] = "DAYLINE_MAX_DEPTH"
	fs.IntVar(&c.MaxComplexity, "max-complexity", api.DefaultLimits.MaxComplexity, "query cost limit; lists count the most items they can return ($DAYLINE_MAX_COMPLEXITY)")
	envOf["max-complexity"] = "DAYLINE_MAX_COMPLEXITY"
	fs.IntVar(&c.MaxResponse, "max-response-bytes", api.DefaultLimits.MaxResponseBytes, "response size limit in bytes ($DAYLINE_MAX_RESPONSE_BYTES)")
	envOf["max-response-bytes"] = "DAYLINE_MAX_RESPONSE_BYTES"
	fs.BoolVar(&c.Introspection, "introspection", true, "allow schema introspection ($DAYLINE_INTROSPECTION)")
	envOf["introspection"] = "DAYLINE_INTROSPECTION"
	str(&c.IntroGroups, "introspection-groups", "DAYLINE_INTROSPECTION_GROUPS", "", "comma-separated groups that may introspect; * for every caller (default: Operators,Admins,Caregivers with --issuer, every caller in dev mode)")
	fs.BoolVar(&c.Playground, "playground", true, "serve the GraphiQL playground at / ($DAYLINE_PLAYGROUND)")
	envOf["playground"] = "DAYLINE_PLAYGROUND"
	str(&c.LogLevel, "log-level", "DAYLINE_LOG_LEVEL", "info", "debug, info, warn or error")
	str(&c.PageTokenSecret, "page-token-secret", "DAYLINE_PAGE_TOKEN_SECRET", "", "secret that signs nextToken values (default: generated and kept beside the database)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long shutdown waits for in-flight requests ($DAYLINE_SHUTDOWN_TIMEOUT)")
	envOf["shutdown-timeout"] = "DAYLINE_SHUTDOWN_TIMEOUT"
	fs.DurationVar(&c.LoaderWait, "loader-wait", time.Millisecond, "how long root fields' loads collect keys before a batched read; fields under lists read at once ($DAYLINE_LOADER_WAIT)")
	envOf["loader-wait"] = "DAYLINE_LOADER_WAIT"
	str(&c.Store, "store", "DAYLINE_STORE", "bolt", "where data lives: bolt (embedded file) or dynamodb")
	str(&c.Table, "table", "DAYLINE_DYNAMODB_TABLE", "dayline", "DynamoDB table name (store dynamodb)")
	str(&c.Region, "region", "DAYLINE_DYNAMODB_REGION", "", "DynamoDB region (default: the AWS SDK's, e.g. $AWS_REGION)")
	str(&c.DynamoEndpoint, "dynamodb-endpoint", "DAYLINE_DYNAMODB_ENDPOINT", "", "DynamoDB endpoint override, e.g. http://127.0.0.1:8000 for DynamoDB Local")
	fs.BoolVar(&c.Debug, "debug", false, "return each operation's store usage in the response extensions ($DAYLINE_DEBUG)")
	envOf["debug"] = "DAYLINE_DEBUG"
	return envOf
}

// parseFlags applies environment variables, then args, to fs. Only the
// flags registered on fs are read from the environment.
func parseFlags(fs *flag.FlagSet, envOf map[string]string, args []string, env func(string) (string, bool), stderr io.Writer) error {
	fs.SetOutput(stderr)
	var errs []string
	fs.VisitAll(func(f *flag.Flag) {
		name, ok := envOf[f.Name]
		if !ok {
			return
		}
		if v, set := env(name); set {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Sprintf("$%s=%q: %v", name, v, err))
			}
		}
	})
	if len(errs) > 0 {
		return fmt.Errorf("bad environment: %s", strings.Join(errs, "; "))
	}
	return fs.Parse(args)
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string) *flag.FlagSet { return flag.NewFlagSet(name, flag.ContinueOnError) }

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

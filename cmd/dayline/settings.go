package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/loaders"
	redisbus "github.com/dayline/dayline/pubsub/redis"
	"github.com/dayline/dayline/server"
	"github.com/dayline/dayline/subscribe"
)

// setting is one row of the settings table: what flags, the environment,
// `dayline <verb> -h` and README.md's configuration table are made from.
type setting struct {
	// flag is the flag's name, without dashes.
	flag string
	// env is the environment variable that sets it too ("" for none);
	// a flag given on the command line wins.
	env string
	// verbs lists the verbs that read the setting; the others do not
	// accept the flag and ignore the variable.
	verbs []string
	// bind registers the flag on fs, with its default, storing into c.
	bind func(fs *flag.FlagSet, c *config, name, usage string)
	// defaultText describes the default when the default value alone
	// says too little (an empty string); otherwise the value is shown.
	defaultText string
	// meaning says what the setting does; `code` is marked as in
	// Markdown (-h drops the backticks).
	meaning string
}

// Verbs, as settings name them.
const (
	verbServe       = "serve"
	verbLambda      = "lambda"
	verbToken       = "token"
	verbTableCreate = "table create"
	// verbOperatorCreate creates a platform operator in the user pool.
	verbOperatorCreate = "operator create"
)

var (
	serveOnly   = []string{verbServe}
	httpVerbs   = []string{verbServe, verbLambda} // the verbs that serve Dayline's HTTP handler
	storeVerbs  = []string{verbServe, verbLambda, verbToken}
	dynamoVerbs = []string{verbServe, verbLambda, verbToken, verbTableCreate}
	// cognitoVerbs manage users in a Cognito user pool.
	cognitoVerbs = []string{verbServe, verbLambda, verbOperatorCreate}
)

// settings is every setting of every verb. Defaults owned by a package
// below cmd/ are referenced here, never copied.
var settings = []setting{
	{flag: "addr", env: "DAYLINE_ADDR", verbs: serveOnly,
		bind:    stringFlag(func(c *config) *string { return &c.Addr }, "127.0.0.1:8080"),
		meaning: "listen address"},
	{flag: "data", env: "DAYLINE_DATA", verbs: storeVerbs,
		bind:    stringFlag(func(c *config) *string { return &c.Data }, "./dayline.db"),
		meaning: "embedded database file; its directory also keeps `dev-signing-key.pem` and `page-token.secret`"},
	{flag: "demo", env: "DAYLINE_DEMO", verbs: serveOnly,
		bind:    boolFlag(func(c *config) *bool { return &c.Demo }, false),
		meaning: "seed the demo organisation if missing and print demo tokens"},
	{flag: "issuer", env: "DAYLINE_OIDC_ISSUER", verbs: storeVerbs,
		bind:        stringFlag(func(c *config) *string { return &c.Issuer }, ""),
		defaultText: "none: dev mode (local tokens)",
		meaning:     "Cognito/OIDC issuer URL, e.g. `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC`; `token` refuses to run with one"},
	{flag: "jwks-url", env: "DAYLINE_OIDC_JWKS_URL", verbs: httpVerbs,
		bind:        stringFlag(func(c *config) *string { return &c.JWKSURL }, ""),
		defaultText: "issuer + `/.well-known/jwks.json`",
		meaning:     "where the issuer's signing keys are"},
	{flag: "client-ids", env: "DAYLINE_OIDC_CLIENT_IDS", verbs: httpVerbs,
		bind:        stringFlag(func(c *config) *string { return &c.ClientIDs }, ""),
		defaultText: "none: required with `--issuer`",
		meaning:     "comma-separated app client ids allowed in `aud` (id tokens) / `client_id` (access tokens)"},
	{flag: "cors-origins", env: "DAYLINE_CORS_ORIGINS", verbs: httpVerbs,
		bind:        stringFlag(func(c *config) *string { return &c.CORSOrigins }, ""),
		defaultText: "none",
		meaning:     "comma-separated browser origins allowed by CORS; `*` for any"},
	{flag: "max-body-bytes", env: "DAYLINE_MAX_BODY_BYTES", verbs: httpVerbs,
		bind:    int64Flag(func(c *config) *int64 { return &c.MaxBodyBytes }, server.DefaultMaxBodyBytes),
		meaning: "request body limit in bytes (413 beyond)"},
	{flag: "max-depth", env: "DAYLINE_MAX_DEPTH", verbs: httpVerbs,
		bind:    intFlag(func(c *config) *int { return &c.MaxDepth }, api.DefaultLimits.MaxDepth),
		meaning: "query depth limit, introspection included"},
	{flag: "max-complexity", env: "DAYLINE_MAX_COMPLEXITY", verbs: httpVerbs,
		bind:    intFlag(func(c *config) *int { return &c.MaxComplexity }, api.DefaultLimits.MaxComplexity),
		meaning: "query cost limit; a list costs the most items it can return × its selection"},
	{flag: "max-response-bytes", env: "DAYLINE_MAX_RESPONSE_BYTES", verbs: httpVerbs,
		bind:    intFlag(func(c *config) *int { return &c.MaxResponse }, api.DefaultLimits.MaxResponseBytes),
		meaning: "response size limit in bytes, counted while the response is resolved"},
	{flag: "introspection", env: "DAYLINE_INTROSPECTION", verbs: httpVerbs,
		bind:    boolFlag(func(c *config) *bool { return &c.Introspection }, true),
		meaning: "allow `__schema` / `__type` (off: they answer like a denied field)"},
	{flag: "introspection-groups", env: "DAYLINE_INTROSPECTION_GROUPS", verbs: httpVerbs,
		bind:        stringFlag(func(c *config) *string { return &c.IntroGroups }, ""),
		defaultText: "`" + strings.Join(defaultIntrospectionGroups, ",") + "` with `--issuer`; every caller in dev mode",
		meaning:     "comma-separated groups that may introspect; `*` for every signed-in caller"},
	{flag: "playground", env: "DAYLINE_PLAYGROUND", verbs: httpVerbs,
		bind:    boolFlag(func(c *config) *bool { return &c.Playground }, true),
		meaning: "serve GraphiQL at `/`"},
	{flag: "appsync", env: "DAYLINE_APPSYNC", verbs: []string{verbLambda},
		bind:    boolFlag(func(c *config) *bool { return &c.AppSync }, false),
		meaning: "answer AppSync Direct Lambda resolver events, which carry their caller's identity unverified: only for a function that AppSync alone may invoke (its resource policy); HTTP events are served either way"},
	{flag: "log-level", env: "DAYLINE_LOG_LEVEL", verbs: httpVerbs,
		bind:    stringFlag(func(c *config) *string { return &c.LogLevel }, "info"),
		meaning: "`debug`, `info`, `warn` or `error`; logs are JSON lines on stderr with a `request_id`"},
	{flag: "page-token-secret", env: "DAYLINE_PAGE_TOKEN_SECRET", verbs: storeVerbs,
		bind:        stringFlag(func(c *config) *string { return &c.PageTokenSecret }, ""),
		defaultText: "generated, kept beside the database",
		meaning:     "signs `nextToken` values (at least 16 bytes); share it between instances"},
	{flag: "shutdown-timeout", env: "DAYLINE_SHUTDOWN_TIMEOUT", verbs: serveOnly,
		bind:    durationFlag(func(c *config) *time.Duration { return &c.ShutdownTimeout }, 15*time.Second),
		meaning: "on SIGTERM/SIGINT, how long in-flight requests may finish"},
	{flag: "loader-wait", env: "DAYLINE_LOADER_WAIT", verbs: httpVerbs,
		bind:    durationFlag(func(c *config) *time.Duration { return &c.LoaderWait }, loaders.DefaultWait),
		meaning: "how long root fields' loads (`user(id:)`, `schedule(id:)`, `agenda(userId:)`) collect keys before one batched read, so aliased root fields batch together; a document's lone root field and mutation fields read at once, and fields under lists never wait"},
	{flag: "store", env: "DAYLINE_STORE", verbs: storeVerbs,
		bind:    stringFlag(func(c *config) *string { return &c.Store }, "bolt"),
		meaning: "where data lives: `bolt` (embedded file) or `dynamodb`"},
	{flag: "table", env: "DAYLINE_DYNAMODB_TABLE", verbs: dynamoVerbs,
		bind:    stringFlag(func(c *config) *string { return &c.Table }, "dayline"),
		meaning: "DynamoDB table name"},
	{flag: "region", env: "DAYLINE_DYNAMODB_REGION", verbs: dynamoVerbs,
		bind:        stringFlag(func(c *config) *string { return &c.Region }, ""),
		defaultText: "`AWS_REGION`, else `AWS_DEFAULT_REGION`",
		meaning:     "DynamoDB region"},
	{flag: "dynamodb-endpoint", env: "DAYLINE_DYNAMODB_ENDPOINT", verbs: dynamoVerbs,
		bind:        stringFlag(func(c *config) *string { return &c.DynamoEndpoint }, ""),
		defaultText: "AWS's",
		meaning:     "DynamoDB endpoint override, e.g. `http://127.0.0.1:8000` for DynamoDB Local"},
	{flag: "debug", env: "DAYLINE_DEBUG", verbs: httpVerbs,
		bind:    boolFlag(func(c *config) *bool { return &c.Debug }, false),
		meaning: "add each operation's store usage (`storeUsage`: DynamoDB requests, capacity units, rounds) to the response `extensions`"},
	{flag: "cognito-user-pool-id", env: "DAYLINE_COGNITO_USER_POOL_ID", verbs: cognitoVerbs,
		bind:        stringFlag(func(c *config) *string { return &c.UserPoolID }, ""),
		defaultText: "none: users live in the store alone",
		meaning:     "the Cognito user pool of `--issuer` (e.g. `eu-west-1_AbC`; its region is the id's prefix): `createOrganisation`, `addUser`, `updateUser` and `removeUser` create, regroup, sign out and delete its users, and a user's id is its `sub`"},
	{flag: "cognito-endpoint", env: "DAYLINE_COGNITO_ENDPOINT", verbs: cognitoVerbs,
		bind:        stringFlag(func(c *config) *string { return &c.CognitoEndpoint }, ""),
		defaultText: "AWS's",
		meaning:     "Cognito endpoint override, e.g. a cognito-local at `http://127.0.0.1:9229`"},
	{flag: "email", verbs: []string{verbOperatorCreate},
		bind:        stringFlag(func(c *config) *string { return &c.Email }, ""),
		defaultText: "none: required",
		meaning:     "the operator's sign-in email (Cognito emails the invitation there)"},
	{flag: "redis-url", env: "DAYLINE_REDIS_URL", verbs: serveOnly,
		bind:        stringFlag(func(c *config) *string { return &c.RedisURL }, ""),
		defaultText: "none: events stay in this process",
		meaning:     "fan subscription events out to every instance through Redis pub/sub (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS): a mutation on any instance reaches subscribers on all of them, with one Redis subscription per instance"},
	{flag: "redis-channel", env: "DAYLINE_REDIS_CHANNEL", verbs: serveOnly,
		bind:    stringFlag(func(c *config) *string { return &c.RedisChannel }, redisbus.DefaultChannel),
		meaning: "the Redis pub/sub channel the instances of one deployment share"},
	{flag: "subscription-keepalive", env: "DAYLINE_SUBSCRIPTION_KEEPALIVE", verbs: serveOnly,
		bind:    durationFlag(func(c *config) *time.Duration { return &c.SubscriptionKeepAlive }, api.DefaultKeepAlive),
		meaning: "how often subscription connections get a keepalive (WebSocket `ka` or `ping`, an SSE comment); a graphql-transport-ws client that answers no `pong` within two intervals is disconnected"},
	{flag: "subscription-write-timeout", env: "DAYLINE_SUBSCRIPTION_WRITE_TIMEOUT", verbs: serveOnly,
		bind:    durationFlag(func(c *config) *time.Duration { return &c.SubscriptionWriteTimeout }, api.DefaultWriteTimeout),
		meaning: "how long one write to a subscriber may take before its connection is dropped"},
	{flag: "subscription-queue", env: "DAYLINE_SUBSCRIPTION_QUEUE", verbs: serveOnly,
		bind:    intFlag(func(c *config) *int { return &c.SubscriptionQueue }, subscribe.DefaultQueueSize),
		meaning: "events that may wait for one subscription; one more and its connection is closed (code 4008)"},
	{flag: "max-subscriptions-per-connection", env: "DAYLINE_MAX_SUBSCRIPTIONS_PER_CONNECTION", verbs: serveOnly,
		bind:    intFlag(func(c *config) *int { return &c.MaxSubscriptionsPerConnection }, api.DefaultMaxSubscriptionsPerConnection),
		meaning: "subscriptions one WebSocket may hold; one more is refused with `BadRequest`"},
	{flag: "max-connections-per-user", env: "DAYLINE_MAX_CONNECTIONS_PER_USER", verbs: serveOnly,
		bind:    intFlag(func(c *config) *int { return &c.MaxConnectionsPerUser }, api.DefaultMaxConnectionsPerUser),
		meaning: "WebSockets and event streams one user may hold on one instance; one more is closed with code 4429 (event stream: HTTP 429)"},
	{flag: "realtime-connection-lifetime", env: "DAYLINE_REALTIME_CONNECTION_LIFETIME", verbs: serveOnly,
		bind:    durationFlag(func(c *config) *time.Duration { return &c.RealtimeLifetime }, api.DefaultRealtimeLifetime),
		meaning: "how long an AppSync real-time connection (`/graphql/realtime`, Amplify clients) lives (24 h, as reported for AppSync); then it is closed (code 1001) and the client reconnects"},
	{flag: "user", verbs: []string{verbToken},
		bind:        stringFlag(func(c *config) *string { return &c.User }, ""),
		defaultText: "none: required",
		meaning:     "id or email of the user to mint a token for"},
	{flag: "ttl", verbs: []string{verbToken},
		bind:    durationFlag(func(c *config) *time.Duration { return &c.TTL }, demoTokenTTL),
		meaning: "how long the minted token stays valid"},
}

func stringFlag(field func(*config) *string, def string) func(*flag.FlagSet, *config, string, string) {
	return func(fs *flag.FlagSet, c *config, name, usage string) { fs.StringVar(field(c), name, def, usage) }
}

func boolFlag(field func(*config) *bool, def bool) func(*flag.FlagSet, *config, string, string) {
	return func(fs *flag.FlagSet, c *config, name, usage string) { fs.BoolVar(field(c), name, def, usage) }
}

func intFlag(field func(*config) *int, def int) func(*flag.FlagSet, *config, string, string) {
	return func(fs *flag.FlagSet, c *config, name, usage string) { fs.IntVar(field(c), name, def, usage) }
}

func int64Flag(field func(*config) *int64, def int64) func(*flag.FlagSet, *config, string, string) {
	return func(fs *flag.FlagSet, c *config, name, usage string) { fs.Int64Var(field(c), name, def, usage) }
}

func durationFlag(field func(*config) *time.Duration, def time.Duration) func(*flag.FlagSet, *config, string, string) {
	return func(fs *flag.FlagSet, c *config, name, usage string) { fs.DurationVar(field(c), name, def, usage) }
}

// named returns how messages name the setting with flag name:
// "--client-ids ($DAYLINE_OIDC_CLIENT_IDS)", or "--flag" when no variable
// sets it.
func named(name string) string {
	for _, s := range settings {
		if s.flag == name && s.env != "" {
			return "--" + name + " ($" + s.env + ")"
		}
	}
	return "--" + name
}

// settingsOf returns the settings verb reads, in table order.
func settingsOf(verb string) []setting {
	var out []setting
	for _, s := range settings {
		if slices.Contains(s.verbs, verb) {
			out = append(out, s)
		}
	}
	return out
}

// flagSet returns verb's flags bound to c; it prints nothing (the caller
// reports errors and usage).
func flagSet(verb string, c *config) *flag.FlagSet {
	fs := flag.NewFlagSet("dayline "+verb, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	for _, s := range settingsOf(verb) {
		s.bind(fs, c, s.flag, plain(s.meaning)) // backticks would name the value (flag.UnquoteUsage)
	}
	return fs
}

// parseSettings returns verb's configuration: args (flags only), then,
// for each setting no flag gave, its environment variable, then the
// default. An unknown or bad flag, an argument that is no flag, or a bad
// environment value (of a setting no flag gave) is a usageError; -h and
// --help return flag.ErrHelp before the environment is read.
func parseSettings(verb string, args []string, env func(string) (string, bool)) (config, error) {
	var c config
	fs := flagSet(verb, &c)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return c, err
		}
		return c, usageErrorf(verb, "%v", err)
	}
	if fs.NArg() > 0 {
		return c, usageErrorf(verb, "unexpected argument %q", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []string
	for _, s := range settingsOf(verb) {
		if s.env == "" || given[s.flag] {
			continue
		}
		if v, set := env(s.env); set {
			if err := fs.Set(s.flag, v); err != nil {
				errs = append(errs, fmt.Sprintf("$%s=%q: %v", s.env, v, err))
			}
		}
	}
	if len(errs) > 0 {
		return c, usageErrorf(verb, "bad environment: %s", strings.Join(errs, "; "))
	}
	return c, nil
}

// usageError is a command line Dayline cannot run: main exits 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// usageErrorf is a usageError that names verb and points at its -h.
func usageErrorf(verb, format string, args ...any) error {
	return usageError{fmt.Sprintf("%s: %s (see \"dayline %s -h\")", verb, fmt.Sprintf(format, args...), verb)}
}

// writeFlagUsage writes verb's flags as -h shows them.
func writeFlagUsage(w io.Writer, verb string) {
	ss := settingsOf(verb)
	if len(ss) == 0 {
		return
	}
	var c config
	fs := flagSet(verb, &c)
	fmt.Fprintln(w, "\nFlags (a flag given wins over its environment variable):")
	for _, s := range ss {
		typ, _ := flag.UnquoteUsage(fs.Lookup(s.flag))
		if typ != "" {
			typ = " " + typ
		}
		fmt.Fprintf(w, "  --%s%s\n", s.flag, typ)
		fmt.Fprintf(w, "        %s\n", plain(s.meaning))
		line := "default: " + plain(defaultOf(s, fs))
		if s.env != "" {
			line += "; environment: " + s.env
		}
		fmt.Fprintf(w, "        (%s)\n", line)
	}
}

// defaultOf is the default as README.md shows it: the defaultText, else
// the value in backticks.
func defaultOf(s setting, fs *flag.FlagSet) string {
	if s.defaultText != "" {
		return s.defaultText
	}
	return "`" + fs.Lookup(s.flag).DefValue + "`"
}

// plain drops the Markdown code marks of a table text.
func plain(s string) string { return strings.ReplaceAll(s, "`", "") }

// settingsMarkdown is README.md's configuration table.
func settingsMarkdown() string {
	var c config
	all := flag.NewFlagSet("all", flag.ContinueOnError)
	for _, s := range settings {
		s.bind(all, &c, s.flag, s.meaning)
	}
	var b strings.Builder
	b.WriteString("| Flag | Environment | Default | Verbs | Meaning |\n| --- | --- | --- | --- | --- |\n")
	for _, s := range settings {
		env := "—"
		if s.env != "" {
			env = "`" + s.env + "`"
		}
		fmt.Fprintf(&b, "| `--%s` | %s | %s | %s | %s |\n", s.flag, env, defaultOf(s, all), strings.Join(s.verbs, ", "), s.meaning)
	}
	return b.String()
}

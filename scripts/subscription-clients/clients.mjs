// Subscribes with one of the real npm subscription clients and prints, as
// one JSON line each, what the subscription receives; exits after the
// first result. Run by e2e/clients_test.go:
//
//   node clients.mjs <graphql-ws|subscriptions-transport-ws|graphql-sse> <http url of /graphql> <token> <query> [variables JSON]
//
// Output lines: {"next": <execution result>} | {"error": "<message>"} | {"complete": true}.
import WebSocket from 'ws';
import { createClient as createWSClient } from 'graphql-ws';
import { createClient as createSSEClient } from 'graphql-sse';
import { SubscriptionClient } from 'subscriptions-transport-ws';

const [client, httpURL, token, query, vars] = process.argv.slice(2);
const variables = vars ? JSON.parse(vars) : {};
const wsURL = httpURL.replace(/^http/, 'ws');
const authorization = `Bearer ${token}`;

const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
let dispose = () => {};
const done = (code) => {
  dispose();
  process.exit(code);
};
const sink = {
  next: (result) => {
    print({ next: result });
    done(0);
  },
  error: (err) => {
    print({ error: err instanceof Error ? err.message : JSON.stringify(err) });
    done(1);
  },
  complete: () => {
    print({ complete: true });
    done(0);
  },
};

switch (client) {
  case 'graphql-ws': {
    const c = createWSClient({
      url: wsURL,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: authorization },
      retryAttempts: 0,
    });
    const unsubscribe = c.subscribe({ query, variables }, sink);
    dispose = () => {
      unsubscribe();
      c.dispose();
    };
    break;
  }
  case 'subscriptions-transport-ws': {
    const c = new SubscriptionClient(
      wsURL,
      { connectionParams: { Authorization: authorization }, reconnect: false },
      WebSocket,
    );
    const sub = c.request({ query, variables }).subscribe(sink);
    dispose = () => {
      sub.unsubscribe();
      c.close();
    };
    break;
  }
  case 'graphql-sse': {
    const c = createSSEClient({
      url: httpURL,
      headers: { Authorization: authorization },
      retryAttempts: 0,
    });
    const unsubscribe = c.subscribe({ query, variables }, sink);
    dispose = () => {
      unsubscribe();
      c.dispose();
    };
    break;
  }
  default:
    print({ error: `unknown client ${client}` });
    process.exit(2);
}

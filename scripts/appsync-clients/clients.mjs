// Subscribes through Dayline's AppSync real-time endpoint with a real
// AppSync client, configured as an app would be, and prints, as one JSON
// line each, what the subscription receives; exits after the first result.
// Run by e2e/appsync_clients_test.go:
//
//   node clients.mjs <amplify|subscription-link> <https url of /graphql> <token> <query> [variables JSON]
//
// amplify: Amplify JS v6 (aws-amplify), authMode userPool; the token comes
// from a custom token provider (Amplify's documented way to bring tokens
// from elsewhere), so Amplify sends it as it sends a Cognito access token:
// the header- subprotocol at the handshake, extensions.authorization in
// start. Amplify dials wss:// whatever the endpoint's scheme.
// subscription-link: aws-appsync-subscription-link 3 with Apollo Client 3,
// auth AMAZON_COGNITO_USER_POOLS: the header query parameter
// (?header=<base64>&payload=e30=); it dials ws:// for http://.
//
// Output lines: {"next": <execution result>} | {"error": "<message>"} | {"complete": true}.
import WebSocket from 'ws';

const [client, httpURL, token, query, vars] = process.argv.slice(2);
const variables = vars ? JSON.parse(vars) : {};
const region = 'eu-west-1'; // any: Dayline ignores it; AppSync clients require one

// Node has no global WebSocket before v22; both clients use the global.
globalThis.WebSocket = WebSocket;

const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
let dispose = () => {};
const done = (code) => {
  dispose();
  process.exit(code);
};
const message = (err) => {
  if (err instanceof Error) return err.message;
  if (err && Array.isArray(err.errors)) return err.errors.map((e) => e.message).join('; ');
  return JSON.stringify(err);
};
const sink = {
  next: (result) => {
    print({ next: result });
    done(0);
  },
  error: (err) => {
    print({ error: message(err) });
    done(1);
  },
  complete: () => {
    print({ complete: true });
    done(0);
  },
};

switch (client) {
  case 'amplify': {
    const { Amplify } = await import('aws-amplify');
    const { generateClient } = await import('aws-amplify/api');
    const { decodeJWT } = await import('aws-amplify/auth');
    Amplify.configure(
      {
        API: { GraphQL: { endpoint: httpURL, region, defaultAuthMode: 'userPool' } },
        Auth: { Cognito: { userPoolId: `${region}_dayline`, userPoolClientId: 'dayline' } },
      },
      {
        Auth: {
          tokenProvider: {
            getTokens: async () => ({ accessToken: decodeJWT(token), idToken: decodeJWT(token) }),
          },
        },
      },
    );
    const sub = generateClient().graphql({ query, variables }).subscribe(sink);
    dispose = () => sub.unsubscribe();
    break;
  }
  case 'subscription-link': {
    const { ApolloClient, ApolloLink, InMemoryCache, HttpLink, gql } = await import('@apollo/client/core/index.js');
    const { createSubscriptionHandshakeLink } = await import('aws-appsync-subscription-link');
    const auth = { type: 'AMAZON_COGNITO_USER_POOLS', jwtToken: token };
    const apollo = new ApolloClient({
      link: ApolloLink.from([createSubscriptionHandshakeLink({ url: httpURL, region, auth }, new HttpLink({ uri: httpURL }))]),
      cache: new InMemoryCache(),
    });
    const sub = apollo.subscribe({ query: gql(query), variables }).subscribe({
      ...sink,
      next: (result) => {
        // start_ack arrives as a control message without data.
        if (result?.extensions?.controlMsgType || !result?.data) return;
        sink.next(result);
      },
    });
    dispose = () => {
      sub.unsubscribe();
      apollo.stop();
    };
    break;
  }
  default:
    print({ error: `unknown client ${client}` });
    process.exit(2);
}

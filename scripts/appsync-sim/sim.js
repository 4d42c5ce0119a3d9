// sim.js runs the Amplify AppSync simulator in front of Dayline's Lambda for
// the parity suite (e2e/parity_test.go):
//
//   node sim.js <schema.graphql> <resolver-fields.json> <invoke-url>
//
// - schema.graphql is loaded unchanged (the file uploaded to AppSync);
// - the default (and only) authorization mode is Cognito user pools: the
//   simulator decodes the JWT in the Authorization header without verifying
//   its signature, and enforces the @aws_cognito_user_pools directives;
// - one AWS_LAMBDA data source, whose invoke POSTs the payload to
//   <invoke-url>: the Lambda Runtime Interface Emulator's invocation
//   endpoint, running the real bootstrap binary;
// - Direct-Lambda-style resolvers (the whole $context as the payload) on
//   exactly the fields of resolver-fields.json, which the Go test writes
//   from appsync.ResolverFields(): a JSON array of
//   {"typeName", "fieldName", "batch", "responseTemplate"}; batch fields
//   use BatchInvoke, with the response mapping template given.
//
// When it listens it prints one line, "APPSYNC_SIMULATOR_URL=<url>", on
// stdout (the test waits for it). It serves until it is killed.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const { AmplifyAppSyncSimulator } = require('@aws-amplify/amplify-appsync-simulator');
// The simulator's start() listens on every interface, on a port it picks
// from 8900-9999 (racy when several run at once); its operation server is
// an Express app that can listen on loopback, on a port the kernel picks.
// The package is pinned to one version (package-lock.json).
const { OperationServer } = require('@aws-amplify/amplify-appsync-simulator/lib/server/operations');

const [schemaPath, fieldsPath, invokeURL] = process.argv.slice(2);
if (!schemaPath || !fieldsPath || !invokeURL) {
  console.error('usage: node sim.js <schema.graphql> <resolver-fields.json> <invoke-url>');
  process.exit(2);
}

// A function error (the function returned an error rather than a value):
// the emulator answers it with status 200 and the body
// {"errorMessage", "errorType"} (AWS's Invoke API also sets
// X-Amz-Function-Error). The error thrown here reaches the response
// mapping template as $ctx.error. As AWS AppSync does for a Lambda data
// source, its type is "Lambda:Unhandled" whatever the function's
// errorType, and its message the function's errorMessage.
class FunctionError extends Error {
  constructor(body) {
    super(body.errorMessage || 'the function failed');
    this.type = 'Lambda:Unhandled';
  }
}

function isFunctionError(res, body) {
  if (res.headers.get('x-amz-function-error')) return true;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  return keys.includes('errorMessage') && keys.every((k) => ['errorMessage', 'errorType', 'stackTrace'].includes(k));
}

// invoke sends one Invoke payload (a Context object) or one BatchInvoke
// payload (an array of them; the simulator batches without a size limit)
// to the function and returns its answer.
async function invoke(payload) {
  const res = await fetch(invokeURL, { method: 'POST', body: JSON.stringify(payload) });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`the Lambda emulator answered ${res.status}: ${text}`);
  }
  const body = JSON.parse(text);
  if (isFunctionError(res, body)) {
    throw new FunctionError(body);
  }
  return body;
}

const request = (operation) => `{"version": "2018-05-29", "operation": "${operation}", "payload": $util.toJson($context)}`;

// An Invoke answers the field's value, or fails as a function error.
const invokeResponse = `#if($ctx.error)
  $util.error($ctx.error.message, $ctx.error.type)
#end
$util.toJson($ctx.result)`;

const fields = JSON.parse(fs.readFileSync(fieldsPath, 'utf8'));
const resolvers = fields.map((f) => ({
  kind: 'UNIT',
  typeName: f.typeName,
  fieldName: f.fieldName,
  dataSourceName: 'dayline',
  requestMappingTemplate: request(f.batch ? 'BatchInvoke' : 'Invoke'),
  // A batch field's template comes with the list (appsync.BatchResponseTemplate).
  responseMappingTemplate: f.batch ? f.responseTemplate : invokeResponse,
}));

const simulator = new AmplifyAppSyncSimulator();
simulator.init({
  schema: { content: fs.readFileSync(schemaPath, 'utf8') },
  appSync: {
    name: 'dayline',
    defaultAuthenticationType: { authenticationType: 'AMAZON_COGNITO_USER_POOLS', cognitoUserPoolConfig: {} },
    additionalAuthenticationProviders: [],
  },
  dataSources: [{ type: 'AWS_LAMBDA', name: 'dayline', invoke }],
  resolvers,
});

const server = http.createServer(new OperationServer({}, simulator).app);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`APPSYNC_SIMULATOR_URL=http://127.0.0.1:${port}/graphql`);
});

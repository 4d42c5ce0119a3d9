// browse.mjs drives Dayline's playground in headless Chromium (Debian's
// chromium package) with puppeteer-core, as a person would: open the page,
// paste a token, wait for the schema, run the dashboard tab, try
// autocomplete, take a screenshot. Every request to a host other than
// 127.0.0.1 is blocked and counted. Started by e2e/playground_test.go, which
// checks what it prints: one JSON object on stdout (see the result below).
// Nothing here waits for a time: every wait is for an element or a value,
// without a timeout; the Go test's deadline ends a run that hangs.
//
//   node browse.mjs --url http://127.0.0.1:PORT/ --token TOKEN --chromium /usr/bin/chromium \
//     --screenshot out.png [--subscription]
import puppeteer from 'puppeteer-core';
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    screenshot: { type: 'string' },
    subscription: { type: 'boolean', default: false },
  },
});
if (!opts.url || !opts.token || !opts.screenshot) {
  console.error('usage: node browse.mjs --url URL --token TOKEN --screenshot FILE [--chromium PATH] [--subscription]');
  process.exit(2);
}

const result = {
  blocked: [], // requests to anything but 127.0.0.1 (blocked)
  graphqlBeforeToken: -1, // requests to /graphql before the token was entered
  graphiqlBeforeToken: null, // whether GraphiQL was on the page before the token was entered
  devHint: '', // what the page says about getting a token in dev mode
  refusedToken: null, // {message, graphiqlShown} after a token the server refuses
  schemaReady: false,
  dashboard: null, // the dashboard tab's response, parsed
  completions: [], // autocomplete's suggestions for "{ me { organ"
  subscriptionEvent: null, // the subscription tab's first event (with --subscription)
  cspViolations: [], // reported by the page while the steps ran
  inlineScriptBlocked: false, // the CSP refused an inline script the script injected at the end
  pageErrors: [],
  consoleErrors: [],
  error: '',
};

const profile = mkdtempSync(join(tmpdir(), 'dayline-chromium-'));
let browser;
try {
  browser = await puppeteer.launch({
    executablePath: opts.chromium,
    headless: true,
    userDataDir: profile,
    protocolTimeout: 0,
    defaultViewport: { width: 1440, height: 900 },
    args: [
      '--no-sandbox', // root in a container: Chromium's sandbox needs user namespaces
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      // Below the page's own interception: no other host even resolves.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
  await run(browser);
} catch (err) {
  result.error = String((err && err.stack) || err);
} finally {
  if (browser) await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result) + '\n');

// step says on stderr what the script does now: the Go test shows it when
// its deadline ends a run that hangs.
function step(what) {
  process.stderr.write(`browse: ${what}\n`);
}

async function run(browser) {
  const page = await browser.newPage();
  page.setDefaultTimeout(0); // waits end by events or by the Go test's deadline
  const ownHost = new URL(opts.url).hostname;
  if (ownHost !== '127.0.0.1') throw new Error(`the page must be on 127.0.0.1, not ${ownHost}`);

  let tokenEntered = false;
  let graphqlRequests = 0;
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.protocol === 'data:' || u.protocol === 'blob:') return req.continue();
    if (u.hostname !== '127.0.0.1') {
      result.blocked.push(req.url());
      return req.abort('blockedbyclient');
    }
    if (u.pathname === '/graphql' && !tokenEntered) graphqlRequests++;
    return req.continue();
  });
  // WebSockets bypass request interception: count them from the protocol.
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketCreated', (e) => {
    if (new URL(e.url).hostname !== '127.0.0.1') result.blocked.push(e.url);
  });
  page.on('pageerror', (err) => result.pageErrors.push(String(err && err.message)));
  let probing = false; // the CSP probe's refusal is logged as an error too
  page.on('console', (msg) => {
    // The refused token's 401 is logged by the browser as a failed load.
    const refusal = msg.text().includes('status of 401');
    if (msg.type() === 'error' && !probing && !refusal) result.consoleErrors.push(msg.text());
  });
  await page.evaluateOnNewDocument(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} ${e.sample || ''}`.trim());
    });
  });

  step('open the page');
  // 1. The page asks for a token; nothing has asked for the schema yet.
  await page.goto(opts.url, { waitUntil: 'load' });
  await page.waitForSelector('#token');
  result.graphiqlBeforeToken = await page.evaluate(() => document.querySelector('.graphiql-container') !== null);
  result.graphqlBeforeToken = graphqlRequests;

  step('wait for the dev-mode hint');
  await page.waitForSelector('#dev-hint:not([hidden])');
  result.devHint = await page.$eval('#dev-hint', (e) => e.textContent.replace(/\s+/g, ' ').trim());

  step('paste a token the server refuses');
  await page.type('#token', 'Bearer not-a-token');
  await page.click('#open');
  await page.waitForSelector('#token-error:not([hidden])');
  result.refusedToken = await page.evaluate(() => ({
    message: document.getElementById('token-error').textContent,
    graphiqlShown: !document.getElementById('playground').hidden || document.querySelector('.graphiql-container') !== null,
  }));
  await page.$eval('#token', (e) => {
    e.value = '';
  });

  step('paste the token and wait for the schema');
  // 2. Paste the token, open; GraphiQL reads the schema with it.
  tokenEntered = true;
  await page.type('#token', opts.token);
  await page.click('#open');
  await page.waitForSelector('body[data-schema="ready"]');
  result.schemaReady = true;

  step('run the Dashboard tab');
  // 3. The dashboard tab answers with data.
  await selectTab(page, 'Dashboard');
  await page.click('.graphiql-execute-button');
  const answer = await page.waitForFunction(() => {
    const cm = document.querySelector('.result-window .CodeMirror');
    const text = cm && cm.CodeMirror.getValue();
    return text ? text : false;
  });
  const text = await answer.jsonValue();
  step(`the Dashboard tab answered ${text.length} characters: ${text.slice(0, 200).replace(/\s+/g, ' ')}`);
  result.dashboard = JSON.parse(text);
  await page.screenshot({ path: opts.screenshot });

  step('autocomplete in a new tab');
  // 4. Autocomplete works at once: in a new tab, "{ me { organ" suggests
  // organisation.
  const tabsBefore = await page.$$eval('.graphiql-tab', (els) => els.length);
  await page.click('.graphiql-tab-add');
  await page.waitForFunction((n) => document.querySelectorAll('.graphiql-tab').length === n + 1, {}, tabsBefore);
  await page.evaluate(() => {
    const cm = document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror;
    cm.setValue('');
    cm.focus();
  });
  await page.keyboard.type('{ me { organ');
  await page.waitForSelector('.CodeMirror-hints .CodeMirror-hint');
  result.completions = await page.$$eval('.CodeMirror-hints .CodeMirror-hint', (els) => els.map((e) => e.textContent));
  await page.keyboard.press('Escape');

  // 5. SUBSCRIPTION STEP (the Go test passes --subscription): the
  // OnScheduleChanged tab subscribes over graphql-ws, a mutation made
  // over HTTP with the same token changes that schedule, and the tab shows
  // the event.
  if (opts.subscription) {
    step('subscribe in the OnScheduleChanged tab and change the schedule');
    await selectTab(page, 'OnScheduleChanged');
    // Count the subscriptions GraphiQL starts on the page's graphql-ws client.
    await page.evaluate(() => {
      const client = window.daylinePlayground.client;
      const subscribe = client.subscribe;
      window.__subscribeCalls = 0;
      client.subscribe = (payload, sink) => {
        window.__subscribeCalls++;
        return subscribe(payload, sink);
      };
    });
    const subscriptionsBefore = await page.evaluate(async () => (await (await fetch('/healthz')).json()).subscriptions);
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => window.__subscribeCalls > 0);
    // The server registers a subscription after it has read its message
    // (gqlgen runs each operation of a socket in its own goroutine): wait
    // until /healthz counts it, so the change below cannot come first.
    await page.waitForFunction(async (before) => {
      const res = await fetch('/healthz');
      return (await res.json()).subscriptions > before;
    }, { polling: 20 }, subscriptionsBefore);
    const changed = await page.evaluate(() => new Promise((resolve, reject) => {
      const { client, start } = window.daylinePlayground;
      if (!start.schedule) return reject(new Error('the playground found no schedule to change'));
      client.subscribe({
        query: `mutation ($id: ID!, $v: Int!) { addTask(input: {scheduleId: $id, expectedVersion: $v,
          task: {title: "Playground test", startTime: "11:00", durationMinutes: 5}}) { id version } }`,
        variables: { id: start.schedule.id, v: start.schedule.version },
      }, {
        next: (r) => (r.data && r.data.addTask ? resolve(r.data.addTask) : reject(new Error(JSON.stringify(r)))),
        error: (e) => reject(new Error(String((e && e.message) || e))),
        complete: () => {},
      });
    }));
    const event = await page.waitForFunction((version) => {
      const cm = document.querySelector('.result-window .CodeMirror');
      const text = cm && cm.CodeMirror.getValue();
      if (!text || !text.includes('onScheduleChanged')) return false;
      try {
        const r = JSON.parse(text);
        return r.data && r.data.onScheduleChanged && r.data.onScheduleChanged.version === version ? text : false;
      } catch (e) {
        return false;
      }
    }, {}, changed.version);
    result.subscriptionEvent = JSON.parse(await event.jsonValue());
  }

  result.cspViolations = await page.evaluate(() => window.__cspViolations.slice());

  step('check that the Content-Security-Policy refuses an inline script');
  probing = true;
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineScriptRan = true;';
    document.body.appendChild(s);
    return window.__inlineScriptRan === true;
  });
  await page.waitForFunction((n) => window.__cspViolations.length > n, {}, result.cspViolations.length);
  const reported = await page.evaluate((n) => window.__cspViolations[n], result.cspViolations.length);
  result.inlineScriptBlocked = !ran && reported.startsWith('script-src');
}

// selectTab clicks the GraphiQL tab named name and waits until its query
// is in the editor and GraphiQL has taken its operation name (it does so
// a moment after the editor changes, and then stores it: until then the
// execute button would send the previous tab's name).
async function selectTab(page, name) {
  await page.waitForFunction(
    (name) => [...document.querySelectorAll('.graphiql-tab-button')].some((b) => b.textContent.trim() === name),
    {},
    name,
  );
  await page.evaluate((name) => {
    [...document.querySelectorAll('.graphiql-tab-button')].find((b) => b.textContent.trim() === name).click();
  }, name);
  await page.waitForFunction((name) => {
    const cm = document.querySelector('.graphiql-query-editor .CodeMirror');
    return cm && new RegExp(`\\b${name}\\b`).test(cm.CodeMirror.getValue());
  }, {}, name);
  await page.waitForFunction(
    (name) => Object.keys(sessionStorage).some((k) => k.endsWith('graphiql:operationName') && sessionStorage.getItem(k) === name),
    {},
    name,
  );
}

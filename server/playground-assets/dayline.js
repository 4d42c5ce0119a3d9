// Dayline's playground: asks for a token first, checks it and reads what
// the ready tabs need with one request, and only then opens GraphiQL, which
// reads the schema with that token (so it never opens on an error, and
// autocomplete works at once). HTTP requests carry the token in the
// Authorization header; subscriptions go over graphql-ws (the
// graphql-transport-ws protocol) on /graphql with the token in
// connection_init's payload, as {"Authorization": "Bearer <token>"}.
'use strict';

(function () {
  const graphqlURL = location.origin + '/graphql';
  const subscriptionURL = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';
  const tokenKey = 'dayline.playground.token';
  const byID = (id) => document.getElementById(id);

  // The operations the playground opens with, one tab each.
  const operations = {
    watch: `# The watch's main screen: a member's tasks today, in time order.
query Watch($userId: ID!, $today: AWSDate!) {
  agenda(userId: $userId, date: $today) {
    startsAt
    endsAt
    completed
    task { id title icon durationMinutes }
  }
}
`,
    dashboard: `# A caregiver's dashboard: every member with today's agenda.
query Dashboard($today: AWSDate!) {
  me {
    name
    organisation {
      name
      members(limit: 50) {
        items {
          id
          name
          role
          agenda(date: $today) { startsAt completed task { title } }
        }
        nextToken
      }
    }
  }
}
`,
    addTask: `# Adds a task to a schedule (as a caregiver or admin). expectedVersion is the
# version you read: run it twice and the second answer is a Conflict, because
# the schedule is at the next version by then. Nothing is overwritten silently.
mutation AddTask($scheduleId: ID!, $expectedVersion: Int!, $task: TaskInput!) {
  addTask(input: {scheduleId: $scheduleId, expectedVersion: $expectedVersion, task: $task}) {
    id
    title
    version
    tasks { id title startTime position }
  }
}
`,
    onScheduleChanged: `# Live changes to a member's schedules, over graphql-ws on /graphql. Run it,
# then run AddTask in its tab: the changed schedule arrives here.
subscription OnScheduleChanged($ownerId: ID) {
  onScheduleChanged(ownerId: $ownerId) {
    id
    title
    version
    updatedAt
    tasks { title startTime }
  }
}
`,
  };

  // The first request, made with the pasted token before GraphiQL opens:
  // a 401 means the token is refused; otherwise it tells whether the caller
  // may read the schema, and finds a member and a schedule for the tabs.
  const startMember = `query PlaygroundStart {
  __schema { queryType { name } }
  me { id schedules { id version ownerId } }
}`;
  const startStaff = `query PlaygroundStart {
  __schema { queryType { name } }
  me { id organisation { members(limit: 20) { items { id role schedules { id version ownerId } } } } }
}`;

  // claims is a JWT's payload, unverified: only to name the caller and to
  // pick the first request (the server verifies the token).
  function claims(token) {
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const json = decodeURIComponent(Array.from(atob(part), (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
      const value = JSON.parse(json);
      return value && typeof value === 'object' ? value : {};
    } catch (e) {
      return {};
    }
  }

  // localDate is d as an AWSDate in the browser's timezone.
  function localDate(d) {
    const pad = (n) => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
  }

  async function post(token, query) {
    const res = await fetch(graphqlURL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: 'Bearer ' + token },
      body: JSON.stringify({ query }),
    });
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    return { status: res.status, body };
  }

  // startContext picks the tabs' ids from the first answer: the watch's
  // member, and a schedule (with its version) to add a task to.
  function startContext(body, staff, sub) {
    const data = (body && body.data) || {};
    const me = data.me || null;
    const ctx = { introspection: data.__schema != null, userId: null, schedule: null };
    let people = [];
    if (me && staff) {
      const members = me.organisation && me.organisation.members;
      people = ((members && members.items) || []).filter((u) => u.role === 'MEMBER');
    } else if (me) {
      people = [me];
    }
    const owner = people.find((u) => (u.schedules || []).length > 0) || people[0];
    if (owner) {
      ctx.userId = owner.id;
      ctx.schedule = (owner.schedules || [])[0] || null;
    } else if (!staff && sub) {
      ctx.userId = sub;
    }
    return ctx;
  }

  function tabs(ctx) {
    const today = localDate(new Date());
    const vars = (v) => JSON.stringify(v, null, 2);
    const memberID = ctx.userId || '<a member id>';
    const schedule = ctx.schedule || { id: '<a schedule id>', version: 1, ownerId: memberID };
    return [
      { query: operations.watch, variables: vars({ userId: memberID, today }) },
      { query: operations.dashboard, variables: vars({ today }) },
      {
        query: operations.addTask,
        variables: vars({
          scheduleId: schedule.id,
          expectedVersion: schedule.version,
          task: { title: 'Drink water', startTime: '10:30', durationMinutes: 5 },
        }),
      },
      { query: operations.onScheduleChanged, variables: vars({ ownerId: schedule.ownerId }) },
    ];
  }

  // scopedStorage keeps GraphiQL's tabs in this browser tab's session
  // storage, per user: a new visit opens with today's date again.
  function scopedStorage(prefix) {
    const store = window.sessionStorage;
    const keys = () => Object.keys(store).filter((k) => k.startsWith(prefix));
    return {
      getItem: (k) => store.getItem(prefix + k),
      setItem: (k, v) => store.setItem(prefix + k, v),
      removeItem: (k) => store.removeItem(prefix + k),
      clear: () => keys().forEach((k) => store.removeItem(k)),
      key: (i) => (keys()[i] || '').slice(prefix.length) || null,
      get length() {
        return keys().length;
      },
    };
  }

  function showError(message) {
    const el = byID('token-error');
    el.textContent = message;
    el.hidden = false;
    byID('open').disabled = false;
  }

  async function signIn(raw) {
    const token = raw.trim().replace(/^bearer\s+/i, '');
    if (!token) {
      showError('Paste a token first.');
      return;
    }
    byID('token-error').hidden = true;
    byID('open').disabled = true;
    const c = claims(token);
    const groups = Array.isArray(c['cognito:groups']) ? c['cognito:groups'] : [];
    const staff = groups.includes('Admins') || groups.includes('Caregivers');
    let answer;
    try {
      answer = await post(token, staff ? startStaff : startMember);
    } catch (e) {
      showError('Dayline cannot be reached: ' + e.message);
      return;
    }
    if (answer.status !== 200) {
      const first = answer.body && answer.body.errors && answer.body.errors[0];
      const reason = first && first.message ? first.message : 'HTTP ' + answer.status;
      showError((answer.status === 401 ? 'Dayline refused this token: ' : 'Dayline answered: ') + reason);
      sessionStorage.removeItem(tokenKey);
      return;
    }
    sessionStorage.setItem(tokenKey, token);
    open(token, c, startContext(answer.body, staff, c.sub));
  }

  function open(token, c, ctx) {
    const authorization = 'Bearer ' + token;
    const wsClient = graphqlWs.createClient({
      url: subscriptionURL,
      lazy: true,
      retryAttempts: 2,
      connectionParams: { Authorization: authorization },
    });
    const fetcher = GraphiQL.createFetcher({ url: graphqlURL, headers: { Authorization: authorization }, wsClient });
    byID('who').textContent = 'Signed in as ' + (c.email || c.sub || 'an unnamed caller') +
      (Array.isArray(c['cognito:groups']) && c['cognito:groups'].length ? ' (' + c['cognito:groups'].join(', ') + ')' : '');
    byID('notice').textContent = ctx.introspection ? '' :
      'Your groups may not read the schema here (--introspection-groups): no autocomplete or docs.';
    byID('sign-in').hidden = true;
    byID('playground').hidden = false;
    const props = {
      fetcher,
      defaultTabs: tabs(ctx),
      storage: scopedStorage('dayline.playground.graphiql:' + (c.sub || '') + ':'),
      defaultEditorToolsVisibility: 'variables',
      defaultQuery: '# A new tab: type a query; Ctrl-Space suggests fields.\n',
      shouldPersistHeaders: false,
      onSchemaChange: () => {
        document.body.dataset.schema = 'ready';
      },
    };
    if (!ctx.introspection) {
      props.schema = null; // do not ask for what the server denies
    }
    ReactDOM.createRoot(byID('graphiql')).render(React.createElement(GraphiQL, props));
    // For scripts driving the page (the browser test's subscription step).
    window.daylinePlayground = { client: wsClient, start: ctx };
    document.body.dataset.playground = 'open';
  }

  byID('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    signIn(byID('token').value);
  });
  byID('change-token').addEventListener('click', () => {
    sessionStorage.clear();
    location.reload();
  });
  // The local issuer's keys are served only in dev mode: then say how to
  // get a token there.
  fetch('/.well-known/jwks.json', { method: 'HEAD' })
    .then((res) => {
      byID(res.ok ? 'dev-hint' : 'oidc-hint').hidden = false;
    })
    .catch(() => {});
  const saved = sessionStorage.getItem(tokenKey);
  if (saved) {
    byID('token').value = saved;
    signIn(saved);
  }
})();

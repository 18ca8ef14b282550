// The Control UI: status, channel accounts, sessions and their history, the live event stream and a
// chat box, over the control protocol. Text from the gateway is only ever set as textContent.
import {GatewayConnection, randomId} from './gateway.js';

const CREDENTIAL_KEY = 'switchboard.credential'; // sessionStorage only: gone when the tab closes
const MAX_EVENTS = 200;
const $ = (id) => document.getElementById(id);

/** An element with text children (strings become text nodes, never markup). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === 'class') {
      node.className = value;
    } else if (name.startsWith('data-')) {
      node.setAttribute(name, value);
    } else {
      node[name] = value;
    }
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(child == null ? '' : String(child)));
  }
  return node;
}

function duration(ms) {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + (d || h || m ? m + 'm ' : '') + (s % 60) + 's';
}

function clock(ts) {
  return new Date(ts).toLocaleTimeString([], {hour12: false});
}

const state = {
  connection: null,
  startedAt: 0, // the gateway's start, in this browser's clock
  status: {},
  channels: new Map(), // "channel.account" -> channel status
  runs: new Map(), // runId -> the assistant bubble of a chat.send run
  session: null, // the session whose history is shown
};

// ---------------------------------------------------------------- credential

function savedCredential() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(CREDENTIAL_KEY) || 'null');
    return saved && saved.secret ? saved : null;
  } catch (e) {
    return null;
  }
}

function showLogin(message) {
  $('app').hidden = true;
  $('login').hidden = false;
  $('forget').hidden = true;
  $('login-error').textContent = message || '';
  $('secret').focus();
}

function start(credential) {
  $('login').hidden = true;
  $('app').hidden = false;
  $('forget').hidden = false;
  state.connection = new GatewayConnection(credential, {onState, onHello, onEvent, onGap: refresh});
  state.connection.open();
}

$('login-form').addEventListener('submit', (submit) => {
  submit.preventDefault();
  const credential = {kind: $('kind').value === 'password' ? 'password' : 'token', secret: $('secret').value};
  $('secret').value = ''; // never kept in the page once used
  if (!credential.secret) {
    showLogin('Enter the gateway token.');
    return;
  }
  sessionStorage.setItem(CREDENTIAL_KEY, JSON.stringify(credential));
  start(credential);
});

$('forget').addEventListener('click', () => {
  sessionStorage.removeItem(CREDENTIAL_KEY);
  if (state.connection) {
    state.connection.stop();
  }
  setConnection('disconnected', 'signed out');
  showLogin('');
});

// ---------------------------------------------------------------- connection

function setConnection(name, detail) {
  const badge = $('connection');
  badge.textContent = name;
  badge.dataset.state = name;
  $('connection-detail').textContent = detail || '';
}

function onState(name, detail) {
  if (name === 'refused') {
    sessionStorage.removeItem(CREDENTIAL_KEY);
    setConnection('disconnected', '');
    showLogin(detail);
    return;
  }
  setConnection(name, detail);
}

function onHello(hello) {
  state.startedAt = Date.now() - hello.snapshot.uptimeMs;
  state.status = {version: hello.server.version, instanceId: hello.server.instanceId, authMode: hello.snapshot.authMode};
  logEvent('hello-ok', 'connected as ' + hello.server.connId);
  // a run's events go to the socket that started it: those of a dropped socket never come
  for (const node of state.runs.values()) {
    node.classList.remove('pending');
    node.append(' (connection lost: the whole reply is in the session history)');
  }
  state.runs.clear();
  renderStatus();
  refresh();
}

/** Everything the UI shows, read again: after connecting, and when events were missed. */
function refresh() {
  const call = state.connection.call.bind(state.connection);
  call('status').then((status) => {
    state.startedAt = Date.now() - status.uptimeMs;
    Object.assign(state.status, {
      version: status.version, instanceId: status.instanceId, mode: status.mode,
      address: status.bind + (status.port ? ':' + status.port : ''), connections: status.connections,
    });
    renderStatus();
  }, report);
  call('health').then(onHealth, report);
  call('channels.status').then((answer) => {
    state.channels.clear();
    answer.channels.forEach(putChannel);
    renderChannels();
  }, report);
  loadSessions();
}

function report(error) {
  logEvent('error', error.message);
}

// ---------------------------------------------------------------- status and channels

function onHealth(health) {
  state.status.health = health.ok ? 'ok' : 'not ok';
  state.status.version = health.version;
  state.startedAt = Date.now() - health.uptimeMs;
  renderStatus();
  // health lists every account's state too: keep what channel events said, add what they did not
  for (const entry of health.channels || []) {
    const key = entry.channel + '.' + entry.account;
    state.channels.set(key, Object.assign(state.channels.get(key) || {}, entry));
  }
  renderChannels();
}

function renderStatus() {
  const rows = [
    ['Health', state.status.health || '…'],
    ['Version', state.status.version],
    ['Uptime', state.startedAt ? duration(Date.now() - state.startedAt) : '…'],
    ['Instance', state.status.instanceId],
    ['Address', state.status.address || '…'],
    ['Auth', state.status.authMode],
    ['Clients', state.status.connections == null ? '…' : state.status.connections],
  ];
  $('status-list').replaceChildren(...rows.map(([name, value]) => el('div', {},
    el('dt', {}, name), el('dd', {'data-field': name.toLowerCase()}, value == null ? '' : value))));
  $('status-list').querySelector('[data-field="health"]').dataset.state =
    state.status.health === 'ok' ? 'connected' : state.status.health ? 'failed' : 'waiting';
}

function putChannel(channel) {
  state.channels.set(channel.channel + '.' + channel.account, channel);
}

function renderChannels() {
  const rows = [...state.channels.values()].sort((a, b) =>
    (a.channel + '.' + a.account).localeCompare(b.channel + '.' + b.account));
  $('channels-empty').hidden = rows.length > 0;
  $('channel-rows').replaceChildren(...rows.map((c) => el('tr', {'data-account': c.channel + '.' + c.account},
    el('td', {}, c.channel),
    el('td', {}, c.account),
    el('td', {}, el('span', {class: 'state', 'data-state': c.state}, c.state)),
    el('td', {class: 'numbers'}, (c.inbound ?? '–') + ' / ' + (c.outbound ?? '–')),
    el('td', {class: 'last-error'}, c.lastError || ''))));
}

// ---------------------------------------------------------------- events

function onEvent(frame) {
  const p = frame.payload || {};
  switch (frame.event) {
    case 'channel':
      putChannel(p);
      renderChannels();
      logEvent('channel', p.channel + '.' + p.account + ' → ' + p.state + (p.lastError ? ': ' + p.lastError : ''));
      break;
    case 'health':
      onHealth(p);
      logEvent('health', p.ok ? 'ok' : 'not ok');
      break;
    case 'chat':
      onChat(p);
      if (p.state !== 'delta') {
        logEvent('chat', p.sessionKey + ' ' + p.state);
      }
      break;
    case 'presence':
      state.status.connections = p.count;
      renderStatus();
      logEvent('presence', p.count + ' client(s)');
      break;
    case 'config.changed':
      logEvent('config.changed', (p.paths || []).join(', ') || 'reloaded');
      break;
    case 'shutdown':
      logEvent('shutdown', p.reason + (p.restartExpectedMs != null ? ' (restart expected)' : ''));
      setConnection('waiting', 'the gateway is ' + (p.restartExpectedMs != null ? 'restarting' : 'stopping') + ': ' + p.reason);
      break;
    case 'tick':
      renderStatus(); // uptime moves on
      break;
    default:
      logEvent(frame.event, '');
  }
}

function logEvent(name, text) {
  const log = $('event-log');
  log.prepend(el('li', {'data-event': name}, el('time', {}, clock(Date.now())), el('b', {}, name), ' ', text));
  while (log.children.length > MAX_EVENTS) {
    log.lastChild.remove();
  }
}

// ---------------------------------------------------------------- chat

function bubble(role, text) {
  const node = el('div', {class: 'message ' + role}, text);
  const log = $('chat-log');
  log.append(node);
  log.scrollTop = log.scrollHeight;
  return node;
}

function runBubble(runId) {
  let node = state.runs.get(runId);
  if (!node) {
    node = bubble('assistant pending', '');
    state.runs.set(runId, node);
  }
  return node;
}

function onChat(p) {
  const node = runBubble(p.runId);
  if (p.state === 'delta') {
    node.textContent += p.deltaText || '';
    node.dataset.deltas = String(Number(node.dataset.deltas || 0) + 1);
    return;
  }
  node.classList.remove('pending');
  node.dataset.state = p.state;
  if (p.state === 'final') {
    if (node.textContent !== (p.message || '')) {
      node.textContent = p.message || ''; // missed deltas (a reconnect): the final message is the whole reply
      node.dataset.replaced = 'true';
    }
  } else if (p.state === 'error') {
    node.textContent = p.errorMessage || 'the agent failed';
    node.classList.add('error');
  } else if (p.state === 'aborted') {
    node.append(' (aborted)');
  }
  state.runs.delete(p.runId);
  loadSessions();
}

$('chat-form').addEventListener('submit', (submit) => {
  submit.preventDefault();
  const message = $('chat-input').value;
  const sessionKey = $('session-key').value.trim() || 'ui';
  if (!message.trim()) {
    return;
  }
  $('chat-input').value = '';
  bubble('user', message);
  state.connection.call('chat.send', {sessionKey, message, idempotencyKey: randomId()}).then(
    (answer) => runBubble(answer.runId),
    (error) => bubble('assistant error', error.message));
});

// ---------------------------------------------------------------- sessions and history

function loadSessions() {
  state.connection.call('sessions.list').then((answer) => {
    $('sessions-empty').hidden = answer.sessions.length > 0;
    $('session-list').replaceChildren(...answer.sessions.map((s) => {
      const button = el('button', {type: 'button', class: 'link'}, s.sessionKey);
      button.addEventListener('click', () => loadHistory(s.sessionKey));
      return el('li', {}, button, el('time', {}, new Date(s.updatedAt).toLocaleString()));
    }));
  }, report);
}

function loadHistory(sessionKey) {
  state.session = sessionKey;
  $('history-title').textContent = sessionKey;
  $('history').hidden = false;
  state.connection.call('chat.history', {sessionKey, limit: 50}).then((page) => {
    $('history-list').replaceChildren(...page.messages.map((m) =>
      el('li', {class: 'message ' + (m.role === 'user' ? 'user' : 'assistant')},
        el('time', {}, clock(m.ts)), ' ', m.content)));
  }, (error) => $('history-list').replaceChildren(el('li', {class: 'error'}, error.message)));
}

$('sessions-refresh').addEventListener('click', loadSessions);

// ---------------------------------------------------------------- start

renderStatus();
setInterval(() => {
  const uptime = document.querySelector('[data-field="uptime"]');
  if (uptime && state.startedAt) {
    uptime.textContent = duration(Date.now() - state.startedAt);
  }
}, 1000);
const saved = savedCredential();
if (saved) {
  start(saved);
} else {
  showLogin('');
}

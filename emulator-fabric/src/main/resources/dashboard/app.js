// csemu dashboard: plain JS, no build step. It uses the same REST API as the CLI, with the same bearer token.
// The token arrives in the URL fragment (#token=...), which browsers never send to a server; it is kept in
// sessionStorage (this tab only) and never put in a query string.
'use strict';

const API = '/api/v1';
const MAX_EVENTS = 200;
const state = { token: null, deployments: [], names: {}, lastSequence: 0, busy: new Set(), streamAbort: null };

function takeToken() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem('csemu.token', decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname); // the token leaves the address bar and the history
  }
  return sessionStorage.getItem('csemu.token');
}

async function api(method, path, body) {
  const headers = { 'Authorization': 'Bearer ' + state.token, 'Accept': 'application/json' };
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(API + path, init);
  if (r.status === 401) {
    sessionStorage.removeItem('csemu.token');
    showLogin('the daemon refused the token');
    throw new Error('unauthorized');
  }
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) {
    throw new Error((data && data.message) || ('HTTP ' + r.status));
  }
  return data;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function endpointUrl(e) {
  const scheme = (e.protocol || 'tcp').toLowerCase();
  if (scheme === 'http' || scheme === 'https') return scheme + '://' + e.address + ':' + e.publicPort + '/';
  return scheme + '://' + e.address + ':' + e.publicPort;
}

function showError(message) {
  const p = document.getElementById('error');
  p.textContent = message || '';
  p.hidden = !message;
}

function showLogin(reason) {
  document.getElementById('login').hidden = false;
  document.getElementById('main').hidden = true;
  if (reason) document.getElementById('daemon').textContent = reason;
}

function renderDeployments() {
  const root = document.getElementById('deployments');
  root.replaceChildren();
  if (state.deployments.length === 0) {
    root.append(el('p', { class: 'muted' }, 'No deployments. Create one with ', el('code', {}, 'csemu run <service-dir>'), '.'));
    return;
  }
  for (const d of state.deployments) {
    const box = el('div', { class: 'deployment', 'data-deployment': d.name },
      el('div', { class: 'title' }, el('b', {}, d.name), el('span', { class: 'pill' }, d.slot || 'Production'),
        el('span', { class: 'dep-status' }, d.status), el('span', { class: 'muted' }, 'id ' + d.id)),
      el('div', { class: 'endpoints' }, d.endpoints.length ? 'Endpoints on the VIP: ' : '',
        d.endpoints.map(e => el('a', { href: endpointUrl(e), target: '_blank', rel: 'noopener' },
          e.name + ' ' + endpointUrl(e) + (e.declaredPort !== e.publicPort ? ' (' + e.declaredPort + ' -> ' + e.publicPort + ')' : '')))));
    for (const r of d.roles) {
      box.append(el('h3', {}, r.name + ' ', el('span', { class: 'muted' },
        r.kind + ', ' + r.instanceCount + ' instance' + (r.instanceCount === 1 ? '' : 's') + ', image ' + r.image)));
      const rows = r.instances.map(i => {
        const key = d.id + '/' + i.id;
        const buttons = ['reboot', 'reimage', 'rebuild'].map(a => el('button', {
          'data-action': a, disabled: state.busy.has(key) ? '' : null,
          onclick: () => act(d, i, a)
        }, a));
        buttons.push(el('button', { 'data-action': 'shell', onclick: () => openTerminal(d, i, false) }, 'shell'),
          el('button', { 'data-action': 'shell-elevated', title: 'as root, like executionContext="elevated"',
            onclick: () => openTerminal(d, i, true) }, 'root shell'));
        return el('tr', { 'data-instance': i.id },
          el('td', {}, i.id),
          el('td', { class: 'state ' + i.status }, i.status),
          el('td', {}, String(i.upgradeDomain)), el('td', {}, String(i.faultDomain)),
          el('td', { class: i.inRotation ? 'rot-in' : 'rot-out' }, i.inRotation ? 'in' : 'out'),
          el('td', {}, i.address || '-'),
          el('td', { class: 'details' }, i.stateDetails || ''),
          el('td', {}, buttons));
      });
      box.append(el('table', { class: 'instances' },
        el('thead', {}, el('tr', {}, ['instance', 'state', 'UD', 'FD', 'rotation', 'address', 'details', 'actions'].map(h => el('th', {}, h)))),
        el('tbody', {}, rows)));
    }
    root.append(box);
  }
}

async function act(d, i, action) {
  const key = d.id + '/' + i.id;
  state.busy.add(key);
  renderDeployments();
  try {
    const op = await api('POST', '/deployments/' + encodeURIComponent(d.id) + '/instances/' + encodeURIComponent(i.id) + '/' + action);
    showError('');
    addEventRow({ time: new Date().toISOString(), deploymentId: d.id, instanceId: i.id, type: 'Operation',
      message: action + ' accepted (operation ' + op.id + ')' });
    await refresh();
  } catch (e) {
    showError(action + ' ' + i.id + ': ' + e.message);
  } finally {
    state.busy.delete(key);
    renderDeployments();
  }
}

async function refresh() {
  try {
    state.deployments = await api('GET', '/deployments');
    for (const d of state.deployments) state.names[d.id] = d.name;
    renderDeployments();
  } catch (e) {
    if (e.message !== 'unauthorized') showError('cannot read the deployments: ' + e.message);
  }
}

function addEventRow(e) {
  const body = document.getElementById('events');
  const transition = e.from || e.to ? (e.from || '') + ' → ' + (e.to || '') : e.type;
  body.prepend(el('tr', {}, el('td', {}, (e.time || '').replace('T', ' ').replace(/\.\d+Z$/, 'Z')),
    el('td', {}, state.names[e.deploymentId] || e.deploymentId || '-'), el('td', {}, e.instanceId || '-'),
    el('td', {}, transition), el('td', { class: 'details' }, e.message || '')));
  while (body.children.length > MAX_EVENTS) body.lastChild.remove();
}

let refreshTimer = null;
function refreshSoon() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => { refreshTimer = null; refresh(); }, 150);
}

// Server-sent events through fetch (EventSource cannot send the Authorization header); resumes after the last id.
async function stream() {
  const live = document.getElementById('live');
  for (;;) {
    try {
      const r = await fetch(API + '/events/stream?since=' + state.lastSequence, {
        headers: { 'Authorization': 'Bearer ' + state.token, 'Accept': 'text/event-stream' }, cache: 'no-store' });
      if (r.status === 401) { showLogin('the daemon refused the token'); return; }
      if (!r.ok || !r.body) throw new Error('HTTP ' + r.status);
      live.textContent = 'events: live'; live.className = 'pill on';
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trimStart()).join('\n');
          if (!data) continue;
          const e = JSON.parse(data);
          state.lastSequence = Math.max(state.lastSequence, e.sequence || 0);
          addEventRow(e);
          refreshSoon();
        }
      }
    } catch (e) {
      // fall through: reconnect below
    }
    live.textContent = 'events: reconnecting'; live.className = 'pill off';
    await new Promise(res => setTimeout(res, 2000));
  }
}

// A terminal per instance: csemu shell in the browser. xterm.js draws it; a WebSocket to …/instances/{i}/shell with
// the subprotocol csemu-terminal carries one terminal frame per binary message (type byte, 4-byte length, payload;
// docs/api.md). A WebSocket cannot send the Authorization header, so the token is a second offered subprotocol.
const FRAME = { INPUT: 0x69, RESIZE: 0x72, OUTPUT: 0x6f, EXIT: 0x78, ERROR: 0x65 };
const TERMINAL_SIZE = { rows: 24, cols: 100 };
const terminal = { term: null, socket: null, status: '' };

function frame(type, payload) {
  const b = new Uint8Array(5 + payload.length);
  b[0] = type;
  new DataView(b.buffer).setInt32(1, payload.length);
  b.set(payload, 5);
  return b;
}

function base64url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const c of bytes) binary += String.fromCharCode(c);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function setTerminalStatus(text) {
  terminal.status = text;
  document.getElementById('terminal-status').textContent = text;
}

function closeTerminal() {
  if (terminal.socket) terminal.socket.close(1000);
  if (terminal.term) terminal.term.dispose();
  terminal.socket = null;
  terminal.term = null;
  document.getElementById('terminal').hidden = true;
}

function openTerminal(d, i, elevated) {
  closeTerminal();
  document.getElementById('terminal').hidden = false;
  document.getElementById('terminal-title').textContent = i.id + (elevated ? ' (root)' : '') + ' of ' + d.name;
  setTerminalStatus('connecting');
  const screen = document.getElementById('terminal-screen');
  screen.replaceChildren();
  const term = new Terminal({ rows: TERMINAL_SIZE.rows, cols: TERMINAL_SIZE.cols, scrollback: 2000 });
  term.open(screen);
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + API + '/deployments/'
    + encodeURIComponent(d.id) + '/instances/' + encodeURIComponent(i.id) + '/shell?rows=' + term.rows
    + '&cols=' + term.cols + (elevated ? '&elevated=true' : '');
  const socket = new WebSocket(url, ['csemu-terminal', 'csemu-token.' + base64url(state.token)]);
  socket.binaryType = 'arraybuffer';
  terminal.term = term;
  terminal.socket = socket;
  let opened = false;
  let ended = false;
  const encoder = new TextEncoder();
  const send = (type, payload) => { if (socket.readyState === WebSocket.OPEN) socket.send(frame(type, payload)); };
  socket.onopen = () => { opened = true; setTerminalStatus('connected'); term.focus(); };
  socket.onmessage = ev => {
    const b = new Uint8Array(ev.data);
    const payload = b.subarray(5);
    if (b[0] === FRAME.OUTPUT) {
      term.write(payload);
    } else if (b[0] === FRAME.EXIT) {
      ended = true;
      setTerminalStatus('exited with ' + new DataView(payload.buffer, payload.byteOffset, 4).getInt32(0));
    } else if (b[0] === FRAME.ERROR) {
      ended = true;
      setTerminalStatus('ended: ' + new TextDecoder().decode(payload));
    }
  };
  socket.onclose = () => {
    if (terminal.socket !== socket) return;
    if (!opened) {
      const why = i.status === 'ReadyRole' ? 'a session may already be open on its terminal'
        : 'the instance is ' + i.status;
      setTerminalStatus('refused (' + why + '; csemu shell ' + i.id + ' says why)');
    } else if (!ended) {
      setTerminalStatus('disconnected');
    }
  };
  term.onData(data => send(FRAME.INPUT, encoder.encode(data)));
  term.onBinary(data => send(FRAME.INPUT, Uint8Array.from(data, c => c.charCodeAt(0) & 0xff)));
  term.onResize(size => {
    const p = new Uint8Array(4);
    new DataView(p.buffer).setUint16(0, size.rows);
    new DataView(p.buffer).setUint16(2, size.cols);
    send(FRAME.RESIZE, p);
  });
}

document.getElementById('terminal-close').addEventListener('click', closeTerminal);

async function start() {
  state.token = takeToken();
  if (!state.token) { showLogin('no token'); return; }
  document.getElementById('login').hidden = true;
  document.getElementById('main').hidden = false;
  try {
    const d = await api('GET', '/daemon');
    document.getElementById('daemon').textContent = 'daemon ' + (d.version || '') + ', pid ' + d.pid + ', data ' + d.dataDirectory;
  } catch (e) {
    if (e.message !== 'unauthorized') showError('the daemon does not answer: ' + e.message);
    return;
  }
  await refresh();
  setInterval(refresh, 3000); // also polls, so the page stays right if the stream is cut
  stream();
}

document.getElementById('token-form').addEventListener('submit', ev => {
  ev.preventDefault();
  const t = document.getElementById('token-input').value.trim();
  if (t) { sessionStorage.setItem('csemu.token', t); start(); }
});

start();

// Vigil dashboard: plain DOM and uPlot, no framework. Every value from the server is written with textContent,
// never as HTML: metric labels and wedding fields are input from outside.
'use strict';

const KEY_STORAGE = 'vigil.key';
const CHART_MINUTES = 15;
const STREAM_WINDOW = '1m';
const COLORS = ['#3451b2', '#c0262d', '#1a7f37', '#b35900', '#7d3cb5'];

// The main metrics: the platform's HTTP traffic and the wedding-critical operations the default rules watch.
// A chart stays hidden until its metric has data.
const CHARTS = [
  {id: 'latency', title: 'Request latency', metric: 'http_server_request_duration_seconds', unit: 's',
   stats: ['p50', 'p95', 'p99']},
  {id: 'errors', title: 'Error rate', metric: 'http_server_requests', unit: '%', stats: ['error_rate']},
  {id: 'traffic', title: 'Requests per second', metric: 'http_server_requests', unit: '/s', stats: ['rate']},
  {id: 'photo', title: 'Photo upload (weddings)', metric: 'wedding_photo_upload_seconds', unit: 's',
   stats: ['avg', 'p95']},
  {id: 'guests', title: 'Guest list access (weddings)', metric: 'wedding_guest_list_access_seconds', unit: 's',
   stats: ['p95']},
  {id: 'timeline', title: 'Timeline sync (weddings)', metric: 'wedding_timeline_sync_seconds', unit: 's',
   stats: ['p95']},
];

const $ = (id) => document.getElementById(id);
const session = {key: null, name: null, admin: false, timers: [], socket: null, closed: false};
const charts = new Map();

// ---- HTTP ----

class Unauthorized extends Error {}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: {'Authorization': 'Bearer ' + session.key, 'Accept': 'application/json', ...(options.headers || {})},
  });
  if (response.status === 401) {
    throw new Unauthorized('key not accepted');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error || ('HTTP ' + response.status));
  }
  return body;
}

// ---- DOM helpers ----

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) {
    if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

function fillTable(table, rows) {
  table.tBodies[0].replaceChildren(...rows);
}

function badge(text, cls) {
  return el('span', {class: 'badge ' + (cls || text)}, text);
}

function formatValue(v, unit) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (unit === '%') return (v * 100).toFixed(v < 0.01 ? 2 : 1) + ' %';
  if (unit === 's') return v < 1 ? (v * 1000).toFixed(0) + ' ms' : v.toFixed(2) + ' s';
  if (unit === '/s') return v.toFixed(v < 10 ? 2 : 0) + '/s';
  return String(Math.round(v * 1000) / 1000);
}

function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, {month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit'});
}

function ceremonyLocal(w) {
  // ceremonyStart is the wedding's local date-time (2026-06-13T14:00) in its own time zone.
  return (w.ceremonyStart || '').replace('T', ' ') + ' ' + (w.timeZone || '');
}

// ---- login ----

async function login(key) {
  session.key = key;
  const me = await api('/api/v1/whoami');
  session.name = me.name;
  session.admin = (me.roles || []).includes('ADMIN');
  sessionStorage.setItem(KEY_STORAGE, key);
  $('who-name').textContent = me.name;
  $('who-role').textContent = session.admin ? 'admin' : 'read-only';
  $('who').hidden = false;
  $('login').hidden = true;
  $('app').hidden = false;
  start();
}

function logout(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  session.closed = true;
  session.timers.forEach(clearInterval);
  session.timers = [];
  if (session.socket) session.socket.close();
  location.reload();
  if (message) console.warn(message);
}

function showLogin(error) {
  $('app').hidden = true;
  $('who').hidden = true;
  $('login').hidden = false;
  $('login-error').hidden = !error;
  $('login-error').textContent = error || '';
  $('key').focus();
}

// ---- views refreshed by polling ----

function every(ms, fn) {
  const run = () => fn().catch((e) => {
    if (e instanceof Unauthorized) logout('key no longer accepted');
    else console.warn(fn.name, e.message);
  });
  run();
  session.timers.push(setInterval(run, ms));
}

function showContext(ctx) {
  if (!ctx) return;
  $('ctx-season').textContent = ctx.weddingSeason ? 'wedding season' : 'off season';
  $('ctx-peak').textContent = ctx.peakTime ? 'yes: non-critical streams throttled' : 'no';
  $('ctx-active').textContent = (ctx.activeWeddings || []).length;
  $('ctx-upcoming').textContent = (ctx.upcomingWeddings || []).length;
  $('ctx-load').textContent = ctx.estimatedWeddingLoad === undefined ? '–' : String(ctx.estimatedWeddingLoad);
  $('context').classList.toggle('peak', !!ctx.peakTime);
}

async function refreshContext() {
  showContext(await api('/api/v1/context'));
}

async function refreshAlerts() {
  const answer = await api('/api/v1/alerts');
  const all = answer.alerts || [];
  // Firing alerts are shown; pending ones and those a firing alert of the same family inhibits are only counted,
  // as the notifications treat them.
  const shown = all.filter((a) => a.state === 'firing' && !(a.inhibitedBy || []).length)
      .sort((a, b) => (a.priority || 'P9').localeCompare(b.priority || 'P9')
          || String(a.firingSince).localeCompare(String(b.firingSince)));
  const quiet = all.length - shown.length;
  $('alerts').hidden = shown.length === 0;
  $('alerts-none').hidden = shown.length !== 0;
  $('alerts-quiet').hidden = quiet === 0;
  $('alerts-quiet').textContent = quiet + ' more pending or inhibited by a firing alert';
  fillTable($('alerts'), shown.map(alertRow));
}

function alertRow(a) {
  const actions = el('td');
  if (a.acknowledgedBy) {
    actions.append(el('span', {class: 'quiet'}, 'acknowledged by ' + a.acknowledgedBy));
  } else if (session.admin && a.state === 'firing') {
    const button = el('button', {type: 'button', class: 'ack'}, 'Acknowledge');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await api('/api/v1/alerts/' + encodeURIComponent(a.fingerprint) + '/ack', {method: 'POST'});
        await refreshAlerts();
      } catch (e) {
        button.disabled = false;
        button.title = e.message;
      }
    });
    actions.append(button);
  }
  const priority = a.priority || '';
  const state = a.state + ((a.silencedBy || []).length ? ' (silenced)' : '')
      + ((a.mutedBy || []).length ? ' (maintenance)' : '') + (a.flapping ? ' (flapping)' : '')
      + (a.escalationLevel ? ' (escalated)' : '');
  return el('tr', {'data-fingerprint': a.fingerprint},
      el('td', {}, priority ? badge(priority, priority) : ''),
      el('td', {}, el('b', {}, a.rule), el('br'), a.summary || ''),
      el('td', {}, a.explanation || ''),
      el('td', {}, state),
      el('td', {}, formatTime(a.firingSince || a.since)),
      actions);
}

async function refreshWeddings() {
  const today = new Date();
  const iso = (d) => d.toISOString().slice(0, 10);
  const from = new Date(today.getTime() - 86400000);
  const to = new Date(today.getTime() + 7 * 86400000);
  const answer = await api('/api/v1/weddings?from=' + iso(from) + '&to=' + iso(to));
  const now = Date.now();
  const live = (answer.weddings || []).filter((w) => w.status !== 'cancelled' && Date.parse(w.activeUntil) > now);
  const soon = now + 24 * 3600 * 1000;
  const todays = live.filter((w) => Date.parse(w.activeFrom) <= soon);
  const upcoming = live.filter((w) => Date.parse(w.activeFrom) > soon);
  const shown = upcoming.slice(0, 15);
  $('weddings-view').hidden = live.length === 0;
  fillTable($('weddings-today'), todays.map(weddingRow));
  fillTable($('weddings-upcoming'), shown.map(weddingRow));
  $('weddings-today').hidden = todays.length === 0;
  $('weddings-today-none').hidden = todays.length !== 0;
  $('weddings-upcoming').hidden = upcoming.length === 0;
  $('weddings-upcoming-none').hidden = upcoming.length !== 0;
  $('weddings-more').hidden = upcoming.length <= shown.length;
  $('weddings-more').textContent = 'and ' + (upcoming.length - shown.length) + ' more in the next 7 days';
}

function weddingRow(w) {
  const started = Date.parse(w.activeFrom) <= Date.now();
  const health = !started ? 'not started' : w.health ? w.health.status : 'no_data';
  const row = el('tr', {class: 'clickable', 'data-wedding': w.id, title: 'Open the wedding report'},
      el('td', {}, w.id),
      el('td', {}, ceremonyLocal(w)),
      el('td', {}, w.guestCount === undefined ? '' : w.guestCount),
      el('td', {}, (w.proximityTier || '').replace('_', ' ')),
      el('td', {}, w.status),
      el('td', {}, started ? badge(health.replace('_', ' '), health) : el('span', {class: 'quiet'}, health)));
  row.addEventListener('click', () => openReport(w.id));
  return row;
}

async function openReport(id) {
  const dialog = $('report');
  $('report-title').textContent = 'Wedding ' + id;
  const body = $('report-body');
  body.replaceChildren(el('p', {class: 'quiet'}, 'Loading…'));
  if (!dialog.open) dialog.showModal();
  try {
    const r = await api('/api/v1/weddings/' + encodeURIComponent(id) + '/report');
    body.replaceChildren(...reportContent(r));
  } catch (e) {
    body.replaceChildren(el('p', {class: 'error'}, e.message));
  }
}

function reportContent(r) {
  const parts = [el('p', {}, r.date + ' · ' + (r.timeZone || '') + ' · ' + (r.guestCount || 0) + ' guests · '
      + r.status)];
  if (!r.hasData) {
    parts.push(el('p', {class: 'quiet'}, 'No critical-path events reported for this wedding yet.'));
  }
  parts.push(el('h3', {}, 'Bottlenecks'), el('ul', {}, ...(r.bottlenecks || []).map((b) => el('li', {}, b))));
  const m = r.milestones;
  if (m && m.items && m.items.length) {
    parts.push(el('h3', {}, 'Milestones'));
    const table = el('table', {class: 'milestones'}, el('thead', {}, el('tr', {},
        el('th', {}, 'Milestone'), el('th', {}, 'State'), el('th', {}, 'Planned'), el('th', {}, 'Delay'))),
        el('tbody', {}, ...m.items.map((i) => el('tr', {},
            el('td', {}, i.name), el('td', {}, i.state.replace('_', ' ')),
            el('td', {}, i.planned ? formatTime(i.planned.instant) : ''),
            el('td', {}, i.delaySeconds === null || i.delaySeconds === undefined ? ''
                : Math.round(i.delaySeconds / 60) + ' min')))));
    parts.push(table);
  }
  const g = r.guestArrivals;
  if (g && g.expected) {
    parts.push(el('h3', {}, 'Guest arrivals'),
        el('p', {}, g.arrived + ' of ' + g.expected + ' arrived' + (g.fiftyPercent ? '; ' + g.fiftyPercent.text : '')));
  }
  return parts;
}

async function refreshSlos() {
  const budgets = (await api('/api/v1/slo')).budgets || [];
  $('slo-view').hidden = budgets.length === 0;
  fillTable($('slos'), budgets.map((b) => {
    const noTraffic = typeof b.requests !== 'number' || b.requests === 0;
    const used = noTraffic ? null : b.consumedShare;
    const burn = (w) => {
      const found = (b.burnRates || []).find((x) => x.window === w);
      return found && typeof found.burnRate === 'number' ? found.burnRate.toFixed(2) + '×' : '–';
    };
    const bar = el('span', {class: 'bar' + (used >= 1 ? ' bad' : used >= 0.5 ? ' warn' : '')},
        el('span'));
    bar.firstChild.style.width = Math.min(100, Math.max(0, (used || 0) * 100)) + '%';
    const labels = Object.entries(b.labels || {}).map(([k, v]) => k + '=' + v).join(', ');
    return el('tr', {'data-slo': b.ruleId},
        el('td', {}, b.ruleId + (labels ? ' (' + labels + ')' : '')),
        el('td', {}, (b.objective * 100).toFixed(2) + ' %'),
        el('td', {}, noTraffic ? 'no traffic' : Math.round(b.requests).toLocaleString()),
        el('td', {}, bar, ' ', used === null ? '–' : (used * 100).toFixed(1) + ' %'),
        el('td', {}, burn('PT1H')), el('td', {}, burn('PT6H')));
  }));
}

async function refreshIntegrations() {
  const [feeds, exporters] = await Promise.all([api('/api/v1/integrations'), api('/api/v1/exporters')]);
  const feedRows = (feeds.integrations || []).map((i) => el('tr', {'data-integration': 'feed:' + i.name},
      el('td', {}, i.name + ' (calendar feed)'),
      el('td', {}, badge(i.healthy ? 'ok' : 'failing', i.healthy ? 'ok' : 'failing')),
      el('td', {}, (i.weddings === undefined ? '' : i.weddings + ' weddings')
          + (i.lastChange ? '; ' + i.lastChange : '')),
      el('td', {}, i.lastError || '')));
  const exporterRows = (exporters.exporters || []).map((x) => {
    const dropped = Object.entries(x.dropped || {}).map(([reason, n]) => n + ' ' + reason).join(', ');
    return el('tr', {'data-integration': 'exporter:' + x.name},
        el('td', {}, x.name + ' (export)'),
        el('td', {}, badge(x.healthy ? 'ok' : 'failing', x.healthy ? 'ok' : 'failing'),
            x.circuit === 'CLOSED' ? '' : ' circuit ' + x.circuit.toLowerCase().replace('_', '-')),
        el('td', {}, x.sent + ' sent, backlog ' + x.backlog + (dropped ? ', dropped ' + dropped : '')
            + (x.lastSuccess ? '; last success ' + formatTime(x.lastSuccess) : '')),
        el('td', {}, x.lastError || ''));
  });
  const rows = [...feedRows, ...exporterRows];
  $('integrations-view').hidden = rows.length === 0;
  fillTable($('integrations'), rows);
}

// ---- live charts ----

class LiveChart {
  constructor(def) {
    this.def = def;
    this.rows = new Map(); // epoch second -> array of values, one per stat
    this.node = el('div', {class: 'chart', id: 'chart-' + def.id, 'data-metric': def.metric, hidden: true});
    this.readout = el('div', {class: 'readout'});
    this.latest = def.stats.map(() => null);
    this.points = 0;
    this.plotHolder = el('div');
    this.node.append(el('h3', {}, def.title), this.readout, this.plotHolder);
    this.plot = null;
  }

  add(stat, epochSeconds, value) {
    const index = this.def.stats.indexOf(stat);
    if (index < 0 || value === null || value === undefined) return;
    const t = Math.floor(epochSeconds);
    let row = this.rows.get(t);
    if (!row) {
      row = this.def.stats.map(() => null);
      this.rows.set(t, row);
    }
    row[index] = value;
    this.latest[index] = value;
    this.points++;
    this.dirty = true;
  }

  render() {
    if (!this.dirty) return;
    this.dirty = false;
    const oldest = Date.now() / 1000 - CHART_MINUTES * 60;
    for (const t of this.rows.keys()) {
      if (t < oldest) this.rows.delete(t);
    }
    const times = [...this.rows.keys()].sort((a, b) => a - b);
    const data = [times, ...this.def.stats.map((_, i) => times.map((t) => this.rows.get(t)[i]))];
    this.node.hidden = times.length === 0;
    this.node.setAttribute('data-points', String(this.points));
    this.readout.replaceChildren(...this.def.stats.map((s, i) => {
      const swatch = el('i');
      swatch.style.background = COLORS[i % COLORS.length];
      return el('span', {'data-stat': s}, swatch, s + ' ' + formatValue(this.latest[i], this.def.unit));
    }));
    if (this.node.hidden) return;
    const width = Math.max(300, this.node.clientWidth - 20);
    if (!this.plot) {
      const unit = this.def.unit;
      this.plot = new uPlot({
        width, height: 180, legend: {show: false},
        scales: {x: {time: true, range: () => {
          const now = Date.now() / 1000;
          return [now - CHART_MINUTES * 60, now];
        }}},
        axes: [{}, {size: 70, values: (u, ticks) => ticks.map((v) => formatValue(v, unit))}],
        series: [{}, ...this.def.stats.map((s, i) => ({label: s, stroke: COLORS[i % COLORS.length], width: 1.5,
          spanGaps: true}))],
      }, data, this.plotHolder);
    } else {
      if (Math.abs(this.plot.width - width) > 10) this.plot.setSize({width, height: 180});
      this.plot.setData(data);
    }
  }
}

async function loadHistory(chart) {
  const from = Math.floor(Date.now() / 1000) - CHART_MINUTES * 60;
  for (const stat of chart.def.stats) {
    const q = await api('/api/v1/query?metric=' + encodeURIComponent(chart.def.metric) + '&stat=' + stat
        + '&from=' + from + '&step=60s');
    const step = q.step || 60;
    for (const series of q.series || []) {
      for (const [t, v] of series.points || []) {
        chart.add(stat, t + step, v); // a point is plotted at its window's end, as live updates are
      }
    }
  }
}

function startCharts() {
  const holder = $('charts');
  $('charts-window').textContent = '(last ' + CHART_MINUTES + ' min; live values over a trailing ' + STREAM_WINDOW
      + ')';
  for (const def of CHARTS) {
    const chart = new LiveChart(def);
    charts.set(def.id, chart);
    holder.append(chart.node);
    loadHistory(chart).catch((e) => console.warn('history of', def.metric, e.message));
  }
  session.timers.push(setInterval(() => {
    charts.forEach((c) => c.render());
    $('charts-view').hidden = ![...charts.values()].some((c) => !c.node.hidden);
  }, 500));
  connectStream();
}

async function connectStream() {
  if (session.closed) return;
  setLive('connecting');
  let token;
  try {
    token = (await api('/api/v1/stream/token', {method: 'POST'})).token;
  } catch (e) {
    if (e instanceof Unauthorized) return logout('key no longer accepted');
    setTimeout(connectStream, 3000);
    return;
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(scheme + '//' + location.host + '/api/v1/stream/ws?token=' + encodeURIComponent(token));
  session.socket = socket;
  socket.onopen = () => {
    setLive('live');
    for (const def of CHARTS) {
      for (const stat of def.stats) {
        socket.send(JSON.stringify({id: def.id + ':' + stat,
          subscribe: {metric: def.metric, stat, window: STREAM_WINDOW}}));
      }
    }
  };
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'update') {
      const [id] = message.subscription.split(':');
      const chart = charts.get(id);
      const group = (message.groups || [])[0];
      if (chart && group) chart.add(message.stat, Date.parse(message.at) / 1000, group.value);
      showContext(message.context);
    } else if (message.type === 'error') {
      console.warn('stream:', message.message);
    }
  };
  socket.onclose = () => {
    setLive('connecting');
    if (!session.closed) setTimeout(connectStream, 3000);
  };
}

function setLive(state) {
  $('live').dataset.state = state;
  $('live').textContent = state === 'live' ? 'live' : 'reconnecting';
}

// ---- start ----

function start() {
  every(10000, refreshContext);
  every(2000, refreshAlerts);
  every(15000, refreshWeddings);
  every(30000, refreshSlos);
  every(30000, refreshIntegrations);
  startCharts();
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    login($('key').value.trim()).catch((e) => showLogin(e instanceof Unauthorized
        ? 'This key was not accepted.' : 'Could not sign in: ' + e.message));
  });
  $('logout').addEventListener('click', () => logout());
  const saved = sessionStorage.getItem(KEY_STORAGE);
  if (saved) {
    login(saved).catch(() => showLogin('Your key is no longer accepted; sign in again.'));
  } else {
    showLogin();
  }
});

// The status page: polls the JSON API and redraws. Everything from the server goes into the page with textContent
// (event texts and dead letters come from Kafka, not from us), and every poll replaces what it drew: the page holds
// only what the last answers hold, which the server bounds (readings per stage, events, dead letters).
'use strict';

function row(cells, classes = []) {
  const tr = document.createElement('tr');
  cells.forEach((value, i) => {
    const td = document.createElement('td');
    if (value instanceof Node) td.appendChild(value);
    else td.textContent = value === null || value === undefined ? '' : String(value);
    if (classes[i]) td.className = classes[i];
    tr.appendChild(td);
  });
  return tr;
}

function replaceRows(tableId, rows) {
  document.querySelector('#' + tableId + ' tbody').replaceChildren(...rows);
}

function isoTime(iso) {
  return new Date(iso).toISOString().replace('T', ' ').replace('Z', '');
}

async function getJson(path) {
  const response = await fetch(path, {cache: 'no-store'});
  return response.json();
}

async function refreshStatus() {
  try {
    const status = await getJson('/api/status');
    window.lastConfig = status.config;
    const health = await fetch('/health');
    const badge = document.getElementById('state');
    badge.textContent = status.state;
    badge.className = 'state ' + (health.ok ? 'UP' : 'DOWN');
    document.getElementById('capacity').textContent = status.feedCapacity;
    replaceRows('config', Object.entries(status.config).map(([k, v]) => row([k, v])));
    replaceRows('counters', status.counters.map(c =>
        row([c.name, Object.entries(c.labels).map(([k, v]) => k + '=' + v).join(', '), c.value], ['', '', 'num'])));
  } catch (e) {
    document.getElementById('state').textContent = 'unreachable';
  }
}

let newestShown = null;
async function refreshFeed() {
  try {
    const events = await getJson('/api/events');
    const rows = events.map(e => {
      const time = new Date(e.time);
      const tr = row([isoTime(e.time), e.stage, e.key, e.text, e.label,
                      e.score === null ? '' : e.score.toFixed(3)], ['', '', '', 'text', '', 'num']);
      if (newestShown !== null && time.getTime() > newestShown) tr.className = 'new';
      return tr;
    });
    if (events.length) newestShown = new Date(events[0].time).getTime();
    replaceRows('feed', rows);
  } catch (e) { /* the next poll tries again */ }
}

/** The charts of one stage, from the /api/series answer. */
const CHARTS = [
  {key: 'rates', title: 'events/s', series: [['in', 'in', '#2f6fd0'], ['out', 'out', '#2a9d4a'], ['dlq', 'dead letters', '#d03030']]},
  {key: 'latency', title: 'model latency per batch (ms)', series: [['p50', 'p50', '#2a9d4a'], ['p95', 'p95', '#e08a00'], ['p99', 'p99', '#d03030']]},
  {key: 'batch', title: 'records per batch', series: [['batchRecords', 'mean', '#6a4fc4']]},
  {key: 'padding', title: 'padding waste', unit: '%', max: 0.1, series: [['paddingWaste', 'of tokens', '#9a6a2a']]},
  {key: 'lag', title: 'consumer lag (records)', series: [['lag', 'lag', '#c0306a']]},
  {key: 'model', title: 'model time share', unit: '%', max: 1, series: [['modelShare', 'of wall time', '#2f4f86']]},
];

async function refreshCharts() {
  try {
    const data = await getJson('/api/series');
    document.getElementById('window').textContent = data.window;
    const sections = [];
    let span = 0;
    for (const [stage, s] of Object.entries(data.stages)) {
      const section = document.createElement('section');
      section.className = 'stage';
      section.dataset.stage = stage;
      section.appendChild(document.createElement('h3')).textContent = 'stage ' + stage;
      const charts = section.appendChild(document.createElement('div'));
      charts.className = 'charts';
      for (const c of CHARTS) {
        charts.appendChild(lineChart({key: c.key, title: c.title, unit: c.unit, max: c.max, t: s.t,
          series: c.series.map(([key, name, color]) => ({key, name, color, values: s[key]}))}));
      }
      if (s.t.length > 1) span = Math.max(span, (s.t[s.t.length - 1] - s.t[0]) / 1000);
      sections.push(section);
    }
    document.getElementById('span').textContent = span >= 120 ? Math.round(span / 60) + ' min' : Math.round(span) + ' s';
    const holder = document.getElementById('stages');
    if (sections.length) holder.replaceChildren(...sections);
  } catch (e) { /* the next poll tries again */ }
}

let topology = {stages: []};
async function refreshTopology() {
  try {
    topology = await getJson('/api/topology');
    if (topology.stages.length) document.getElementById('topology').replaceChildren(topologyPicture(topology));
  } catch (e) { /* the next poll tries again */ }
}

function header(d, name) {
  return d.headers[name] === undefined ? null : d.headers[name];
}

function headerTable(headers) {
  const details = document.createElement('details');
  details.appendChild(document.createElement('summary')).textContent = Object.keys(headers).length + ' headers';
  const table = details.appendChild(document.createElement('table'));
  for (const [k, v] of Object.entries(headers)) {
    if (k === '__streams.errors.stacktrace') continue;
    table.appendChild(row([k, v]));
  }
  return details;
}

async function refreshDeadLetters() {
  try {
    const data = await getJson('/api/deadletters');
    document.getElementById('dlq-capacity').textContent = data.capacity;
    document.getElementById('dlq-topics').textContent = data.topics.length ? data.topics.join(', ') : 'no dead-letter topic';
    document.getElementById('dlq-seen').textContent = data.seen;
    replaceRows('deadletters', data.records.map(d => {
      const error = document.createElement('div');
      error.appendChild(document.createElement('b')).textContent = header(d, 'streamformer.error.class') || '';
      error.appendChild(document.createElement('div')).textContent = header(d, 'streamformer.error.message') || '';
      error.appendChild(headerTable(d.headers));
      const value = document.createElement('pre');
      value.className = 'event';
      value.textContent = d.value === null ? '(null)' : d.value;
      const partition = header(d, 'streamformer.source.partition'), offset = header(d, 'streamformer.source.offset');
      const source = (header(d, 'streamformer.source.topic') || '?') + ' [' + (partition === null ? '?' : partition) + ']'
          + ' @' + (offset === null ? '?' : offset);
      const tr = row([isoTime(d.time), header(d, 'streamformer.error.stage'), header(d, 'streamformer.error.reason'), error,
                      source, d.key, value]);
      tr.dataset.offset = d.offset;
      return tr;
    }));
    const first = topology.stages.find(s => s.deadLetter);
    if (first) {
      const bootstrap = (window.lastConfig || {})['bootstrap.servers'] || '<host:port>';
      document.getElementById('replay-command').textContent = topology.stages.filter(s => s.deadLetter).map(s =>
          'streamformer replay --from-dlq ' + s.deadLetter + ' --to ' + s.input + ' --bootstrap-servers ' + bootstrap).join('\n');
    }
  } catch (e) { /* the next poll tries again */ }
}

refreshStatus(); refreshFeed(); refreshCharts(); refreshTopology().then(refreshDeadLetters);
setInterval(refreshStatus, 2000);
setInterval(refreshFeed, 1000);
setInterval(refreshCharts, 2000);
setInterval(refreshDeadLetters, 2000);
setInterval(refreshTopology, 30000);

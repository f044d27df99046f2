// Streamformer's charts and topology picture: plain SVG built with DOM calls, no library, nothing from a CDN.
// Every text (stage names, topics, values) is set with textContent: nothing from the server is ever parsed as HTML.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';

function svgEl(name, attrs = {}, text) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = String(text);
  return el;
}

function htmlEl(name, attrs = {}, text) {
  const el = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = String(text);
  return el;
}

/** A number as the charts print it: '–' for none, a percentage for unit '%', else 3 significant digits or so. */
function formatValue(v, unit) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (unit === '%') return (v * 100).toFixed(1) + '%';
  const a = Math.abs(v);
  if (a >= 1e6) return (v / 1e6).toFixed(2) + 'M';
  if (a >= 1e4) return (v / 1e3).toFixed(1) + 'k';
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least v. */
function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v * 1.0000001) return m * p;
  return 10 * p;
}

/**
 * A line chart of a few series over time.
 * spec: {title, unit, t: [epoch ms], series: [{key, name, color, values: [number|null]}], max (optional y maximum)}
 * Returns a <figure class="chart" data-chart=..> holding a legend (latest value of each series) and the SVG.
 */
function lineChart(spec) {
  const W = 340, H = 140, L = 46, R = 8, T = 8, B = 20;
  const fig = htmlEl('figure', {class: 'chart', 'data-chart': spec.key || spec.title});
  fig.appendChild(htmlEl('figcaption', {}, spec.title));
  const legend = htmlEl('div', {class: 'legend'});
  fig.appendChild(legend);
  const t = spec.t || [];
  let max = 0;
  for (const s of spec.series) for (const v of s.values) if (v !== null && v > max) max = v;
  const yMax = spec.max !== undefined ? Math.max(spec.max, niceMax(max)) : niceMax(max);
  const t0 = t.length ? t[0] : 0, t1 = t.length ? t[t.length - 1] : 1;
  const x = ms => L + (t1 > t0 ? (ms - t0) / (t1 - t0) : 1) * (W - L - R);
  const y = v => T + (1 - v / yMax) * (H - T - B);
  const svg = svgEl('svg', {viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': spec.title});
  for (let i = 0; i <= 2; i++) {
    const v = yMax * i / 2, yy = y(v);
    svg.appendChild(svgEl('line', {x1: L, x2: W - R, y1: yy, y2: yy, class: 'grid'}));
    svg.appendChild(svgEl('text', {x: L - 4, y: yy + 4, 'text-anchor': 'end', class: 'axis'}, formatValue(v, spec.unit)));
  }
  if (t.length > 1) {
    const span = Math.round((t1 - t0) / 1000);
    svg.appendChild(svgEl('text', {x: L, y: H - 5, class: 'axis'}, span >= 120 ? `−${Math.round(span / 60)} min` : `−${span} s`));
  }
  svg.appendChild(svgEl('text', {x: W - R, y: H - 5, 'text-anchor': 'end', class: 'axis'}, 'now'));
  for (const s of spec.series) {
    const g = svgEl('g', {'data-series': s.key, stroke: s.color, fill: 'none', class: 'series'});
    let points = [], drawn = 0, last = null;
    const flush = () => {
      if (points.length === 1) g.appendChild(svgEl('circle', {cx: points[0][0], cy: points[0][1], r: 1.8, fill: s.color}));
      else if (points.length > 1) g.appendChild(svgEl('polyline', {points: points.map(p => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join(' ')}));
      points = [];
    };
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) { flush(); return; }
      points.push([x(t[i]), y(Math.min(v, yMax))]);
      drawn++;
      last = v;
    });
    flush();
    g.setAttribute('data-points', drawn);
    svg.appendChild(g);
    const item = htmlEl('span', {class: 'item'});
    const swatch = htmlEl('i', {class: 'swatch'});
    swatch.style.background = s.color;
    item.append(swatch, document.createTextNode(s.name + ' '));
    item.appendChild(htmlEl('b', {class: 'last', 'data-series': s.key}, formatValue(last, spec.unit)));
    legend.appendChild(item);
  }
  fig.appendChild(svg);
  return fig;
}

/**
 * The topology: topics → stages → topics, left to right, with dead-letter and route topics.
 * topo: {stages: [{name, task, model, input, output, deadLetter, routes: {value: topic}}]}
 */
function topologyPicture(topo) {
  const nodes = new Map(), edges = [];
  const node = (id, kind, label, sub) => {
    if (!nodes.has(id)) nodes.set(id, {id, kind, label, sub, layer: 0});
    return nodes.get(id);
  };
  for (const s of topo.stages || []) {
    const input = node('topic:' + s.input, 'topic', s.input);
    const stage = node('stage:' + s.name, 'stage', s.name, [s.task, s.model].filter(Boolean).join(' · '));
    stage.layer = Math.max(stage.layer, input.layer + 1);
    edges.push({from: input, to: stage, kind: 'in'});
    const out = (topic, kind, label) => {
      const n = node('topic:' + topic, kind, topic);
      n.layer = Math.max(n.layer, stage.layer + 1);
      if (kind === 'dlq') n.kind = 'dlq';
      edges.push({from: stage, to: n, kind, label});
    };
    if (s.output) out(s.output, 'topic');
    for (const [value, topic] of Object.entries(s.routes || {})) out(topic, 'route', value);
    if (s.deadLetter) out(s.deadLetter, 'dlq', 'dead letters');
  }
  // topics and stages in columns by depth; dead-letter topics in a row below, under the first stage that writes them
  const layers = [];
  for (const n of nodes.values()) if (n.kind !== 'dlq') (layers[n.layer] = layers[n.layer] || []).push(n);
  const BW = 170, BH = 40, GX = 60, GY = 16;
  let rows = 0;
  layers.forEach((list, i) => {
    (list || []).forEach((n, r) => { n.x = 10 + i * (BW + GX); n.y = 10 + r * (BH + GY); });
    rows = Math.max(rows, (list || []).length);
  });
  const taken = new Set();
  let dlqRow = false;
  for (const n of nodes.values()) {
    if (n.kind !== 'dlq') continue;
    const producer = edges.find(e => e.to === n).from;
    let column = (producer.x - 10) / (BW + GX);
    while (taken.has(column)) column++;
    taken.add(column);
    n.x = 10 + column * (BW + GX);
    n.y = 10 + rows * (BH + GY) + 10;
    dlqRow = true;
  }
  const columns = Math.max(layers.length, ...[...taken].map(c => c + 1));
  const height = rows + (dlqRow ? 1 : 0);
  const W = 20 + columns * BW + Math.max(0, columns - 1) * GX, H = 30 + height * BH + Math.max(0, height - 1) * GY;
  const svg = svgEl('svg', {viewBox: `0 0 ${Math.max(W, 10)} ${Math.max(H, 10)}`, width: Math.max(W, 10), height: Math.max(H, 10),
    id: 'topology-svg', role: 'img', 'aria-label': 'topology'});
  const defs = svgEl('defs');
  const marker = svgEl('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto'});
  marker.appendChild(svgEl('path', {d: 'M0,0 L10,5 L0,10 z', fill: '#666'}));
  defs.appendChild(marker);
  svg.appendChild(defs);
  for (const e of edges) {
    let d, lx, ly;
    if (e.kind === 'dlq') { // down from the stage to the dead-letter row
      const x1 = e.from.x + BW / 2, y1 = e.from.y + BH, x2 = e.to.x + BW / 2, y2 = e.to.y, my = (y1 + y2) / 2;
      d = `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`;
      lx = x1 + 4; ly = y1 + 12;
    } else {
      const x1 = e.from.x + BW, y1 = e.from.y + BH / 2, x2 = e.to.x, y2 = e.to.y + BH / 2, mx = (x1 + x2) / 2;
      d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
      lx = mx; ly = (y1 + y2) / 2 - 3;
    }
    svg.appendChild(svgEl('path', {d, class: 'edge ' + e.kind, 'marker-end': 'url(#arrow)', 'data-from': e.from.label, 'data-to': e.to.label}));
    if (e.label) svg.appendChild(svgEl('text', {x: lx, y: ly, 'text-anchor': e.kind === 'dlq' ? 'start' : 'middle', class: 'edge-label'}, e.label));
  }
  for (const n of nodes.values()) {
    const g = svgEl('g', {class: 'node ' + n.kind, 'data-kind': n.kind, 'data-name': n.label, transform: `translate(${n.x},${n.y})`});
    g.appendChild(svgEl('rect', {width: BW, height: BH, rx: n.kind === 'stage' ? 4 : BH / 2}));
    g.appendChild(svgEl('title', {}, (n.kind === 'stage' ? 'stage ' : n.kind === 'dlq' ? 'dead-letter topic ' : 'topic ') + n.label));
    const short = s => s && s.length > 24 ? s.slice(0, 23) + '…' : s;
    g.appendChild(svgEl('text', {x: BW / 2, y: n.sub ? 17 : 25, 'text-anchor': 'middle', class: 'label'}, short(n.label)));
    if (n.sub) g.appendChild(svgEl('text', {x: BW / 2, y: 32, 'text-anchor': 'middle', class: 'sub'}, short(n.sub)));
    svg.appendChild(g);
  }
  return svg;
}

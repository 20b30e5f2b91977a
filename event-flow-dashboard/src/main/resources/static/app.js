// Polls /api/flow every second and draws it. No framework: the page is small and says what it shows.
'use strict';

const palette = ['#38bdf8', '#a78bfa', '#f472b6', '#34d399', '#fbbf24', '#fb7185', '#60a5fa', '#4ade80'];
const number = new Intl.NumberFormat('en');

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else if (name === 'style') node.style.cssText = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function drawSparkline(history) {
  const polyline = document.querySelector('#sparkline polyline');
  if (history.length < 2) { polyline.setAttribute('points', ''); return; }
  const max = Math.max(1, ...history.map((rate) => rate.perSecond));
  const points = history.map((rate, i) => {
    const x = (i / (history.length - 1)) * 300;
    const y = 58 - (rate.perSecond / max) * 54;
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  polyline.setAttribute('points', points.join(' '));
}

function drawGroup(group) {
  const colors = new Map(group.members.map((member, i) => [member.memberId, palette[i % palette.length]]));
  const assigned = group.partitions.filter((partition) => partition.memberId).length;
  const maxLag = Math.max(1, ...group.partitions.map((partition) => partition.lag));
  const state = group.state.toLowerCase();
  const partitions = element('div', { class: 'partitions' }, ...group.partitions.map((partition) =>
    element('div', {
      class: 'partition',
      style: `border-top-color: ${colors.get(partition.memberId) ?? 'var(--line)'}`,
      'data-partition': partition.partition,
      'data-member': partition.memberId ?? '',
      'data-lag': partition.lag,
      title: partition.memberId ? `held by ${partition.memberId}` : 'not assigned',
    },
    element('div', { class: 'name' }, `P${partition.partition}`),
    element('div', { class: 'lag' }, `lag ${number.format(partition.lag)}`),
    element('div', { class: 'bar', style: `width: ${(100 * partition.lag / maxLag).toFixed(0)}%` }))));
  const members = element('ul', { class: 'members' }, ...group.members.map((member) =>
    element('li', {},
      element('span', { class: 'swatch', style: `background: ${colors.get(member.memberId)}` }),
      element('span', { class: 'held' }, member.partitions.length ? member.partitions.map((p) => `P${p}`).join(' ') : 'no partition'),
      element('span', { class: 'who', title: member.memberId }, `${member.host} · ${member.memberId}`))));
  return element('article', {
    class: 'group',
    'data-group': group.group,
    'data-members': group.members.length,
    'data-assigned': assigned,
    'data-lag': group.lag,
  },
  element('h3', {},
    element('span', {}, group.group),
    element('span', { class: `badge ${state}` }, group.state),
    element('span', { class: 'badge' }, `${group.members.length} member${group.members.length === 1 ? '' : 's'}`),
    element('span', { class: 'badge' }, `lag ${number.format(group.lag)}`)),
  partitions, members);
}

function drawRows(tbody, rows, empty, columns) {
  tbody.replaceChildren(...(rows.length ? rows.map((row) => element('tr', {}, ...columns(row)))
    : [element('tr', {}, element('td', { class: 'empty', colspan: 4 }, empty))]));
}

function draw(flow) {
  document.getElementById('rate').textContent = number.format(flow.published.perSecond);
  document.getElementById('published').textContent = number.format(flow.published.total);
  document.getElementById('topic').textContent = `events on ${flow.topic}`;
  drawSparkline(flow.published.history);
  document.getElementById('groups').replaceChildren(...flow.groups.map(drawGroup));
  const deadLetterTotal = flow.deadLetters.reduce((sum, topic) => sum + topic.records, 0);
  document.getElementById('dead-letter-total').textContent = number.format(deadLetterTotal);
  drawRows(document.querySelector('#dead-letters tbody'), flow.deadLetters, 'no dead-letter topic yet',
    (topic) => [element('td', {}, topic.topic), element('td', { class: 'number' }, number.format(topic.records))]);
  drawRows(document.querySelector('#replenishments tbody'), flow.replenishments, 'no replenishment order yet',
    (order) => [
      element('td', {}, new Date(order.requestedAt).toLocaleTimeString()),
      element('td', {}, order.sku),
      element('td', { class: 'number' }, number.format(order.quantity)),
      element('td', { class: order.onHand < 0 ? 'number negative' : 'number' }, number.format(order.onHand)),
    ]);
  const status = document.getElementById('status');
  status.textContent = flow.problem ?? 'live';
  status.className = flow.problem ? 'dot offline' : 'dot live';
  document.getElementById('updated').textContent = `sampled ${new Date(flow.sampledAt).toLocaleTimeString()}`;
}

async function refresh() {
  try {
    const response = await fetch('api/flow', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    draw(await response.json());
  } catch (error) {
    const status = document.getElementById('status');
    status.textContent = `dashboard unreachable (${error.message})`;
    status.className = 'dot offline';
  } finally {
    setTimeout(refresh, 1000);
  }
}

refresh();

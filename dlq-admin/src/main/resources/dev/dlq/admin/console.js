'use strict';
// The dlq console. Everything from the server is put on the page as text (textContent), never as markup.
const $ = s => document.querySelector(s);
const el = (tag, text, attrs) => {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};
let cursor = null;
let openId = null;
const selected = new Set();
let me = {name: '', role: 'viewer', maxBulk: 1000, replayRate: 0};

// ---- messages that survive a reload
function say(text, kind) {
  sessionStorage.setItem('dlq.msg', JSON.stringify({text, kind}));
  showMsg();
}
function showMsg() {
  const m = JSON.parse(sessionStorage.getItem('dlq.msg') || 'null');
  $('#msg').hidden = !m;
  if (!m) return;
  $('#msg').className = m.kind;
  $('#msgText').textContent = m.text;
}

// ---- the API
function utf8Header(s) { // header values are bytes: send the UTF-8 bytes of the name
  return Array.from(new TextEncoder().encode(s), b => String.fromCharCode(b)).join('');
}
function headers(json) {
  const h = {'X-Dlq-Operator': utf8Header($('#operator').value || 'console')};
  if (json) { h['Content-Type'] = 'application/json'; h['X-Dlq-Request'] = '1'; }
  const t = $('#token').value;
  if (t) h['Authorization'] = 'Bearer ' + t;
  return h;
}
async function api(path, body) {
  const opts = body === undefined ? {headers: headers(false)}
    : {method: 'POST', headers: headers(true), body: JSON.stringify(body)};
  const r = await fetch(path, opts);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) throw new Error((data && data.error) || ('HTTP ' + r.status));
  return data;
}
function params() {
  const p = new URLSearchParams();
  new FormData($('#filters')).forEach((v, k) => { if (v) p.set(k, v); });
  return p;
}
const may = role => ['viewer', 'operator', 'admin'].indexOf(me.role) >= ['viewer', 'operator', 'admin'].indexOf(role);

// ---- which actions a dead letter offers
function actionsFor(status) {
  if (!may('operator')) return [];
  if (status === 'PENDING') return ['replay', 'resolve', 'discard'];
  if (status === 'REPLAYED' || status === 'RESOLVED') return ['discard'];
  return [];
}
const DONE = {replay: 'replayed', resolve: 'resolved', discard: 'discarded'};

async function act(action, ids) {
  const many = ids.length > 1;
  if (action === 'discard' && !confirm(`Discard ${ids.length} dead letter(s)? They will not be replayed.`)) return;
  if (many && action !== 'discard' && !confirm(`${action} ${ids.length} dead letters?`)) return;
  let note = '';
  if (action === 'resolve' || action === 'discard') {
    note = prompt('note for the audit log (optional)', '');
    if (note === null) return;
  }
  try {
    let r;
    if (action === 'replay') {
      say(`replaying ${ids.length}…`, 'busy');
      r = many ? await api('/api/dead-letters/replay', {ids})
        : await api(`/api/dead-letters/${encodeURIComponent(ids[0])}/replay`, {});
      say(`replayed ${r.replayed} of ${r.matched}` + (r.skipped.length ? `; skipped (not pending): ${r.skipped.length}` : '')
        + ` (replay ${r.replayId})`, r.replayed > 0 ? 'ok' : 'error');
    } else {
      r = many ? await api(`/api/dead-letters/${action}`, {ids, note})
        : await api(`/api/dead-letters/${encodeURIComponent(ids[0])}/${action}`, {note});
      const n = r[DONE[action]];
      say(`${DONE[action]} ${n} of ${ids.length}`, n > 0 ? 'ok' : 'error');
    }
  } catch (e) {
    say(`${action} failed: ${e.message}`, 'error');
  }
  selected.clear();
  await load(false);
  if (openId) await show(openId);
}

// ---- the list
function updateSelection() {
  $('#selCount').textContent = selected.size;
  document.querySelectorAll('[data-bulk]').forEach(b => { b.disabled = selected.size === 0 || !may('operator'); });
}
async function load(more) {
  const p = params();
  if (more && cursor) p.set('cursor', cursor);
  if (!more) {
    $('#rows').replaceChildren(); // no stale rows, even when the search fails
    $('#stats').replaceChildren();
    selected.clear();
    updateSelection();
  }
  let page;
  try {
    page = await api('/api/dead-letters?' + p);
  } catch (e) {
    cursor = null;
    $('#more').hidden = true;
    $('#empty').hidden = true;
    say('search failed: ' + e.message, 'error');
    return;
  }
  for (const d of page.items) $('#rows').appendChild(row(d));
  cursor = page.nextCursor || null;
  $('#more').hidden = !cursor;
  $('#empty').hidden = $('#rows').children.length > 0;
  try {
    const st = await api('/api/dead-letters/stats?' + params());
    const s = $('#stats');
    s.replaceChildren(el('span', `total ${st.total}`));
    for (const [k, v] of Object.entries(st.byStatus)) s.appendChild(el('span', `${k} ${v}`));
  } catch (e) { /* the list already says what matters */ }
}
function row(d) {
  const tr = el('tr', null, {'data-id': d.id, 'data-status': d.status});
  if (d.id === openId) tr.className = 'open';
  const box = el('input', null, {type: 'checkbox', 'aria-label': 'select'});
  box.disabled = actionsFor(d.status).length === 0;
  box.onchange = () => { box.checked ? selected.add(d.id) : selected.delete(d.id); updateSelection(); };
  const c0 = el('td'); c0.appendChild(box); tr.appendChild(c0);
  const buttons = el('div', null, {class: 'actions'});
  const open = el('button', 'open', {type: 'button', 'data-action': 'open'});
  open.onclick = () => show(d.id);
  buttons.appendChild(open);
  for (const a of actionsFor(d.status)) {
    const b = el('button', a, {type: 'button', 'data-action': a});
    b.onclick = () => act(a, [d.id]);
    buttons.appendChild(b);
  }
  tr.appendChild(el('td')).appendChild(buttons);
  tr.appendChild(el('td', d.deadAt));
  tr.appendChild(el('td', d.type));
  tr.appendChild(el('td', d.status));
  tr.appendChild(el('td', d.reason));
  tr.appendChild(el('td', `${d.errorClass} ${d.errorType}: ${d.errorMessage}`, {class: 'err'}));
  tr.appendChild(el('td', d.deathCount));
  return tr;
}

// ---- the detail panel
function decodePayload(b64) {
  let bytes;
  try { bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0)); } catch (e) { return {kind: 'base64', text: b64}; }
  let text;
  try { text = new TextDecoder('utf-8', {fatal: true}).decode(bytes); } catch (e) { return {kind: 'base64 (not UTF-8 text)', text: b64}; }
  try { return {kind: 'JSON', text: JSON.stringify(JSON.parse(text), null, 2)}; } catch (e) { return {kind: 'text', text}; }
}
function facts(pairs) {
  const dl = el('dl');
  for (const [k, v] of pairs) {
    if (v === undefined || v === null || v === '') continue;
    dl.appendChild(el('dt', k));
    dl.appendChild(el('dd', v));
  }
  return dl;
}
async function show(id) {
  let d;
  try {
    d = await api('/api/dead-letters/' + encodeURIComponent(id));
  } catch (e) {
    say('could not open ' + id + ': ' + e.message, 'error');
    return;
  }
  openId = id;
  document.querySelectorAll('#rows tr').forEach(tr => { tr.className = tr.dataset.id === id ? 'open' : ''; });
  const m = d.message, err = d.error;
  const p = $('#detail');
  p.replaceChildren();
  const close = el('button', 'close', {type: 'button'});
  close.onclick = () => { openId = null; p.hidden = true; $('.split').classList.add('closed'); };
  p.appendChild(close);
  p.appendChild(el('h2', `${m.type} · ${d.status}`));
  const acts = el('div', null, {class: 'actions'});
  for (const a of actionsFor(d.status)) {
    const b = el('button', a, {type: 'button', 'data-detail-action': a});
    b.onclick = () => act(a, [d.id]);
    acts.appendChild(b);
  }
  const pl = decodePayload(m.payload);
  if (d.status === 'PENDING' && may('operator')) {
    // the server does not say which types it lets be edited: offer it, and show its refusal
    const b = el('button', 'edit and replay…', {type: 'button', 'data-detail-action': 'edit-replay'});
    b.onclick = () => { b.disabled = true; acts.after(editForm(d, pl)); };
    acts.appendChild(b);
  }
  p.appendChild(acts);
  p.appendChild(el('h3', 'error'));
  p.appendChild(facts([['class', err.class], ['type', err.type], ['message', err.message], ['reason', d.reason],
    ['attempts', `${d.attempts} of ${d.maxAttempts}`], ['dead at', d.deadAt], ['worker', d.workerId],
    ['fingerprint', d.fingerprint]]));
  p.appendChild(el('h3', `payload (${pl.kind}, ${m.payloadSize} bytes)`));
  p.appendChild(el('pre', pl.text, {id: 'payload'}));
  p.appendChild(el('h3', 'headers'));
  p.appendChild(facts(Object.entries(m.headers || {})));
  if (err.stackTrace) {
    p.appendChild(el('h3', 'stack trace'));
    p.appendChild(el('pre', err.stackTrace));
  }
  p.appendChild(el('h3', 'attempts'));
  if (d.history && d.history.length) {
    const t = el('table');
    const head = el('tr');
    ['#', 'at', 'class', 'error', 'took', 'worker'].forEach(h => head.appendChild(el('th', h)));
    t.appendChild(head);
    for (const a of d.history) {
      const tr = el('tr');
      [a.number, a.at, a.errorClass, `${a.errorType}: ${a.errorMessage}`, a.duration, a.workerId]
        .forEach(v => tr.appendChild(el('td', v)));
      t.appendChild(tr);
    }
    p.appendChild(t);
  } else {
    p.appendChild(el('p', 'no attempt history kept', {class: 'note'}));
  }
  p.appendChild(el('h3', 'lineage'));
  p.appendChild(facts([['id', d.id], ['message id', m.id], ['source', `${m.source.backend}:${m.source.destination}`],
    ['first seen', m.firstSeen], ['first failure', d.firstFailureAt], ['last failure', d.lastFailureAt],
    ['times dead', d.deathCount], ['times replayed', d.replayCount], ['last replay', d.lastReplayId],
    ['last replayed by', d.lastReplayBy], ['updated', d.updatedAt]]));
  p.hidden = false;
  $('.split').classList.remove('closed');
}

// ---- edit and replay: a corrected copy of one PENDING dead letter
const REDACTED = '[REDACTED]';
const TRUNCATED = '…[truncated]';
/** The form under the detail actions, prefilled with the payload and headers as the detail shows them. */
function editForm(d, pl) {
  const shown = d.message.headers || {};
  const f = el('form', null, {id: 'editForm', class: 'edit'});
  f.appendChild(el('h3', 'edit and replay'));
  f.appendChild(el('p', 'Sends a corrected copy (a lineage child) and marks this dead letter replayed; the original payload stays as '
    + 'evidence. Only the payload and the headers you change are sent. The server allows it only for the types it was started '
    + 'with --allow-edits for.', {class: 'note'}));
  const base64 = pl.kind.startsWith('base64');
  f.appendChild(el('label', base64 ? 'payload (base64)' : `payload (${pl.kind})`, {for: 'editPayload'}));
  const payload = el('textarea', null, {id: 'editPayload', name: 'payload', rows: '10', spellcheck: 'false'});
  payload.value = pl.text;
  f.appendChild(payload);
  f.appendChild(el('label', 'headers (a JSON object of strings; delete a key to remove that header)', {for: 'editHeaders'}));
  const hdrs = el('textarea', null, {id: 'editHeaders', name: 'headers', rows: '5', spellcheck: 'false'});
  hdrs.value = JSON.stringify(shown, null, 2);
  f.appendChild(hdrs);
  f.appendChild(el('label', 'note for the audit log (required)', {for: 'editNote'}));
  const note = el('input', null, {id: 'editNote', name: 'note', required: '', maxlength: '1000'});
  f.appendChild(note);
  const out = el('p', null, {id: 'editResult', role: 'status', hidden: ''});
  const buttons = el('div', null, {class: 'actions'});
  const send = el('button', 'send corrected copy', {type: 'submit', id: 'editSend'});
  const cancel = el('button', 'cancel', {type: 'button'});
  cancel.onclick = () => { f.remove(); const b = document.querySelector('[data-detail-action=edit-replay]'); if (b) b.disabled = false; };
  buttons.append(send, cancel);
  f.append(buttons, out);
  const fail = text => { out.hidden = false; out.className = 'error'; out.textContent = text; say('edit and replay failed: ' + text, 'error'); };
  f.onsubmit = async e => {
    e.preventDefault();
    let body;
    try {
      body = editBody(pl, base64, payload.value, shown, hdrs.value, note.value.trim());
    } catch (err) {
      fail(err.message);
      return;
    }
    send.disabled = true;
    try {
      const r = await api(`/api/dead-letters/${encodeURIComponent(d.id)}/edit-replay`, body);
      say(`edited and replayed: copy ${r.copyId} (replay ${r.replayId}); ` + r.changes.join('; '), 'ok');
    } catch (err) {
      send.disabled = false;
      fail(err.message);
      return;
    }
    await load(false);
    if (openId) await show(openId);
  };
  return f;
}
/** The edit-replay request body: the payload when it was changed, the headers that were changed, added or removed. */
function editBody(pl, base64, payloadText, shown, headersText, note) {
  if (!note) throw new Error('a note for the audit log is required');
  const body = {note};
  if (payloadText !== pl.text) {
    if (payloadText.includes(REDACTED)) throw new Error(`the payload still holds ${REDACTED}: the server hides those values, so type the real ones`);
    if (base64) {
      body.payloadBase64 = payloadText.replace(/\s+/g, '');
    } else {
      let parsed;
      try { parsed = JSON.parse(payloadText); } catch (e) { parsed = undefined; }
      body.payload = parsed !== null && typeof parsed === 'object' ? parsed : payloadText; // JSON as is, else the text
    }
  }
  let h;
  try { h = JSON.parse(headersText); } catch (e) { throw new Error('headers are not JSON: ' + e.message); }
  if (h === null || typeof h !== 'object' || Array.isArray(h)) throw new Error('headers must be a JSON object');
  const set = {};
  for (const [k, v] of Object.entries(h)) {
    if (typeof v !== 'string') throw new Error(`header ${k} must be a string`);
    if (shown[k] === v) continue; // unchanged: not sent, so a redacted value is never written back
    if (v.includes(REDACTED) || v.endsWith(TRUNCATED)) throw new Error(`header ${k} holds ${v.includes(REDACTED) ? REDACTED : TRUNCATED}: type the real value`);
    set[k] = v;
  }
  if (Object.keys(set).length) body.headers = set;
  const removed = Object.keys(shown).filter(k => !Object.prototype.hasOwnProperty.call(h, k));
  if (removed.length) body.removeHeaders = removed;
  if (body.payload === undefined && body.payloadBase64 === undefined && !body.headers && !body.removeHeaders) {
    throw new Error('change the payload or a header first');
  }
  return body;
}

// ---- replay everything that matches
async function replayAll(filter) {
  filter = Object.assign({}, filter, {status: 'PENDING'});
  try {
    const dry = await api('/api/dead-letters/replay', {filter, dryRun: true});
    if (dry.wouldReplay === 0) { say('nothing pending matches', 'error'); return; }
    if (dry.wouldReplay > me.maxBulk) {
      say(`${dry.wouldReplay} match, more than the ${me.maxBulk} one request may replay: narrow the filter`, 'error');
      return;
    }
    const secs = me.replayRate > 0 ? Math.ceil(dry.wouldReplay / me.replayRate) : 0;
    if (!confirm(`Replay ${dry.wouldReplay} dead letters?` + (secs > 1 ? ` (about ${secs} s at ${me.replayRate}/s)` : ''))) return;
    say(`replaying ${dry.wouldReplay}…` + (secs > 1 ? ` about ${secs} s at ${me.replayRate}/s` : ''), 'busy');
    const stopProgress = await watchProgress(filter, dry.wouldReplay, secs);
    let r;
    try {
      r = await api('/api/dead-letters/replay', {filter});
    } finally {
      stopProgress();
    }
    say(`replayed ${r.replayed} of ${r.matched} (replay ${r.replayId})`, r.replayed > 0 ? 'ok' : 'error');
  } catch (e) {
    say('replay failed: ' + e.message, 'error');
  }
  await load(false);
}

/** While a bulk replay runs, counts once a second how many fewer are pending under its filter. */
async function watchProgress(filter, total, secs) {
  const rest = Object.assign({}, filter);
  delete rest.status;
  const q = '/api/dead-letters/stats?' + new URLSearchParams(rest);
  let before;
  let stopped = false;
  try { before = (await api(q)).byStatus.PENDING || 0; } catch (e) { return () => {}; }
  const timer = setInterval(async () => {
    try {
      const pending = (await api(q)).byStatus.PENDING || 0;
      const sent = Math.min(total, Math.max(0, before - pending));
      if (!stopped) say(`replaying: ${sent} of ${total} sent` + (secs > 1 ? ` (about ${secs} s in all)` : ''), 'busy');
    } catch (e) { /* the replay's own answer reports errors */ }
  }, 1000);
  return () => { stopped = true; clearInterval(timer); };
}

// ---- failure groups and audit
async function loadGroups() {
  const body = $('#groupRows');
  body.replaceChildren();
  let g;
  try { g = await api('/api/dead-letters/groups?status=PENDING'); } catch (e) { say('groups: ' + e.message, 'error'); return; }
  for (const x of g.groups) {
    const s = x.sample || {};
    const tr = el('tr', null, {'data-fingerprint': x.fingerprint});
    [x.count, x.firstSeenHour, x.lastSeen, s.type, `${s.errorType}: ${s.errorMessage}`, x.fingerprint]
      .forEach(v => tr.appendChild(el('td', v)));
    const cell = el('div', null, {class: 'actions'});
    const list = el('button', 'list', {type: 'button'});
    list.onclick = () => { $('#filters').elements.fingerprint.value = x.fingerprint; view('letters'); load(false); };
    cell.appendChild(list);
    if (may('operator')) {
      const rep = el('button', 'replay group…', {type: 'button', 'data-action': 'replay-group'});
      rep.onclick = () => replayAll({fingerprint: x.fingerprint}).then(loadGroups);
      cell.appendChild(rep);
      const job = el('button', 'replay job…', {type: 'button', 'data-action': 'replay-job'});
      job.onclick = () => replayJob(x.fingerprint);
      cell.appendChild(job);
    }
    tr.appendChild(el('td')).appendChild(cell);
    body.appendChild(tr);
  }
  if (!g.groups.length) body.appendChild(el('tr')).appendChild(el('td', 'no pending dead letters'));
}
// ---- replay jobs: dry run, confirm, then the server runs canary and ramp
async function replayJob(fingerprint) {
  let dry;
  try { dry = await api('/api/replays', {group: fingerprint, dryRun: true}); } catch (e) { say('replay: ' + e.message, 'error'); return; }
  if (!dry.total) { say('nothing pending in this group', 'ok'); return; }
  const rate = dry.settings.maxRate;
  if (!confirm(`Replay ${dry.total} dead letters: ${dry.settings.canary} canary first, watched ${dry.settings.canaryWait},`
      + ` then up to ${rate}/s? It stops by itself if more than ${dry.settings.stopWhenDiedAgain * 100}% die again.`)) {
    try { await api(`/api/replays/${encodeURIComponent(dry.id)}/cancel`, {}); } catch (e) { /* left PLANNED */ }
    return;
  }
  try { await api(`/api/replays/${encodeURIComponent(dry.id)}/start`, {}); } catch (e) { say('replay: ' + e.message, 'error'); return; }
  say(`replay job ${dry.id} started (${dry.total} dead letters)`, 'ok');
  view('replays');
}
const jobActions = {PLANNED: ['start', 'cancel'], RUNNING: ['pause', 'cancel'], PAUSED: ['resume', 'cancel'],
  STOPPED: ['resume', 'cancel'], FAILED: ['resume', 'cancel']};
let replayTimer = null;
async function loadReplays() {
  const body = $('#replayRows');
  let r;
  try { r = await api('/api/replays?limit=50'); } catch (e) { say('replays: ' + e.message, 'error'); return; }
  body.replaceChildren();
  for (const j of r.items) {
    const tr = el('tr', null, {'data-job': j.id});
    [j.createdAt, j.operator, j.target, j.state, j.total, j.sent, j.pending, j.diedAgain, j.rate, j.reason]
      .forEach(v => tr.appendChild(el('td', v)));
    const cell = el('div', null, {class: 'actions'});
    if (may('operator')) {
      for (const a of jobActions[j.state] || []) {
        const b = el('button', a, {type: 'button', 'data-action': 'job-' + a});
        b.onclick = async () => {
          if (a === 'cancel' && !confirm('Cancel this replay job? Nothing more will be sent.')) return;
          try { await api(`/api/replays/${encodeURIComponent(j.id)}/${a}`, {}); } catch (e) { say(a + ': ' + e.message, 'error'); }
          loadReplays();
        };
        cell.appendChild(b);
      }
    }
    tr.appendChild(el('td')).appendChild(cell);
    body.appendChild(tr);
  }
  if (!r.items.length) body.appendChild(el('tr')).appendChild(el('td', 'no replay jobs'));
}
async function loadAudit() {
  const body = $('#auditRows');
  body.replaceChildren();
  let a;
  try { a = await api('/api/audit?limit=200'); } catch (e) { say('audit: ' + e.message, 'error'); return; }
  for (const x of a.items) {
    const tr = el('tr');
    [x.at, x.operator, x.action, x.count, x.target, x.detail].forEach(v => tr.appendChild(el('td', v)));
    body.appendChild(tr);
  }
}
function view(name) {
  document.querySelectorAll('.view').forEach(v => { v.hidden = v.id !== name; });
  document.querySelectorAll('.tab').forEach(t => t.setAttribute('aria-pressed', String(t.dataset.view === name)));
  if (name === 'groups') loadGroups();
  clearInterval(replayTimer);
  if (name === 'replays') { loadReplays(); replayTimer = setInterval(loadReplays, 2000); }
  if (name === 'audit') loadAudit();
}

async function whoami() {
  try {
    me = await api('/api/whoami');
    $('#whoami').textContent = `${me.name} (${me.role})`;
  } catch (e) {
    $('#whoami').textContent = '';
    say(e.message, 'error');
  }
  $('#replayAll').hidden = !may('operator');
  $('#operator').disabled = Boolean($('#token').value); // with a token, the token names you
}

document.addEventListener('DOMContentLoaded', async () => {
  $('#token').value = sessionStorage.getItem('dlq.token') || '';
  $('#operator').value = sessionStorage.getItem('dlq.operator') || 'console';
  $('#token').onchange = () => { sessionStorage.setItem('dlq.token', $('#token').value); whoami().then(() => load(false)); };
  $('#operator').onchange = () => sessionStorage.setItem('dlq.operator', $('#operator').value);
  $('#msgClose').onclick = () => { sessionStorage.removeItem('dlq.msg'); showMsg(); };
  $('#filters').onsubmit = e => { e.preventDefault(); load(false); };
  $('#more').onclick = () => load(true);
  $('#replayAll').onclick = () => replayAll(Object.fromEntries(params()));
  $('#selAll').onchange = () => {
    document.querySelectorAll('#rows input[type=checkbox]:not(:disabled)').forEach(b => {
      b.checked = $('#selAll').checked;
      b.checked ? selected.add(b.closest('tr').dataset.id) : selected.delete(b.closest('tr').dataset.id);
    });
    updateSelection();
  };
  document.querySelectorAll('[data-bulk]').forEach(b => { b.onclick = () => act(b.dataset.bulk, Array.from(selected)); });
  document.querySelectorAll('.tab').forEach(t => { t.onclick = () => view(t.dataset.view); });
  $('.split').classList.add('closed');
  showMsg();
  await whoami();
  await load(false);
});

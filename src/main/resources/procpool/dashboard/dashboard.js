// procpool dashboard: renders the snapshots /api/events pushes every second; buttons call the HTTP API.
// Every text from the coordinator goes in with textContent, never as HTML.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const expanded = new Map(); // batch id -> error report text (or null while loading)
  let serverSkew = 0;         // coordinator clock minus this browser's clock
  let shown = new Map();      // batch id -> the batch as last shown in flight
  const finishing = new Map(); // batch id -> {batch, until}: a batch just finished, shown at its end for a moment
  const FINISHING_MILLIS = 4000;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function number(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'); }

  function duration(seconds) {
    if (seconds === null || seconds === undefined || !isFinite(seconds)) return '–';
    seconds = Math.max(0, seconds);
    if (seconds < 10) return seconds.toFixed(1) + ' s';
    if (seconds < 90) return Math.round(seconds) + ' s';
    const m = Math.floor(seconds / 60);
    if (m < 90) return m + ' min ' + Math.round(seconds - m * 60) + ' s';
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }

  function bytes(n) {
    if (n === null || n === undefined) return '–';
    if (n < 1024 * 1024) return Math.round(n / 1024) + ' KiB';
    if (n < 1024 * 1024 * 1024) return Math.round(n / 1024 / 1024) + ' MiB';
    return (n / 1024 / 1024 / 1024).toFixed(1) + ' GiB';
  }

  /** At most a few PIDs in a cell, the rest counted; the whole list in its tooltip. */
  function pids(cell, list) {
    list = list || [];
    const shown = list.length > 6 ? list.slice(0, 5).join(', ') + ' +' + (list.length - 5) : list.join(', ');
    set(cell, shown, 'mono');
    cell.title = list.join(', ');
  }

  function ago(at, now) { return at ? duration((now - at) / 1000) + ' ago' : '–'; }

  function toast(text) {
    const t = $('toast');
    t.textContent = text;
    t.classList.add('show');
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => t.classList.remove('show'), 3000);
  }

  async function post(path, what) {
    try {
      const response = await fetch(path, { method: 'POST', headers: { 'Accept': 'application/json' } });
      const body = await response.json().catch(() => ({}));
      toast(response.ok ? what + ': ' + (body.status || 'ok') : what + ' failed: ' + (body.error || response.status));
    } catch (e) {
      toast(what + ' failed: ' + e);
    }
  }

  /** Keeps one row per item, keyed, so that rows (and their buttons) survive the next snapshot. */
  function sync(tableId, items, key, create, update) {
    const body = document.querySelector('#' + tableId + ' tbody');
    const old = new Map();
    for (const row of Array.from(body.children)) old.set(row.dataset.key, row);
    let previous = null;
    for (const item of items) {
      const k = String(key(item));
      let row = old.get(k);
      if (!row) { row = create(item); row.dataset.key = k; }
      old.delete(k);
      update(row, item);
      const extra = row._extra; // a row that shows more below itself (an error report)
      const anchor = previous ? previous.nextSibling : body.firstChild;
      if (row !== anchor) body.insertBefore(row, anchor);
      previous = row;
      if (extra) {
        if (previous.nextSibling !== extra) body.insertBefore(extra, previous.nextSibling);
        previous = extra;
      }
    }
    for (const row of old.values()) {
      if (row.dataset.key !== undefined && !row.classList.contains('report')) {
        if (row._extra) row._extra.remove();
        row.remove();
      }
    }
    $(tableId + '-empty').style.display = items.length ? 'none' : '';
  }

  function cells(row, count) {
    while (row.children.length < count) row.appendChild(el('td'));
    return row.children;
  }

  function set(cell, text, className) {
    const value = text === null || text === undefined ? '' : String(text);
    if (cell.textContent !== value) cell.textContent = value;
    if (className !== undefined && cell.className !== className) cell.className = className;
  }

  // ---- batches in flight
  function batchRow(batch) {
    const row = el('tr', 'batch');
    row.dataset.batchId = batch.id;
    const c = cells(row, 10);
    const progress = el('div', 'progress');
    progress.setAttribute('role', 'progressbar');
    progress.setAttribute('aria-valuemin', '0');
    progress.setAttribute('aria-valuemax', '100');
    progress.appendChild(el('div', 'bar'));
    progress.appendChild(el('span', 'text'));
    c[3].appendChild(progress);
    c[3].appendChild(el('div', 'held-note')); // what a batch waiting for a dead chunk waits for
    const cancel = el('button', 'danger cancel', 'cancel');
    cancel.title = 'stop this batch: queued chunks are removed, the input goes to inbox/.failed/';
    cancel.addEventListener('click', () => {
      if (!window.confirm('Cancel batch ' + batch.id + ' (' + batch.source + ')?')) return;
      cancel.disabled = true;
      post('/api/batches/' + encodeURIComponent(batch.id) + '/cancel', 'cancel ' + batch.id);
    });
    c[9].appendChild(cancel);
    return row;
  }

  function updateBatch(row, b) {
    const c = row.children;
    row.className = 'batch' + (b.finished ? ' finished' : '');
    row.dataset.finished = b.finished || '';
    set(c[0], b.id, 'mono');
    set(c[1], b.source, 'src');
    c[1].title = b.source;
    set(c[2], b.task);
    const percent = Math.max(0, Math.min(100, b.percent || 0));
    const progress = c[3].firstChild;
    const failing = b.phase === 'FAILING' || (b.finished && b.finished !== 'done');
    progress.className = 'progress' + (failing ? ' failing' : '');
    progress.setAttribute('aria-valuenow', String(percent));
    progress.firstChild.style.width = percent + '%';
    set(progress.lastChild, (b.finished ? b.finished + '  ·  ' : '') + percent + '%  ·  ' + number(b.itemsDone)
        + ' / ' + number(b.items) + (b.itemsFailed ? '  ·  ' + number(b.itemsFailed) + ' failed' : ''), 'text');
    c[9].firstChild.style.visibility = b.finished ? 'hidden' : '';
    // a dead chunk the batch waits for: replay or discard it under Dead letters
    progress.className += b.waiting && !b.finished ? ' held' : '';
    set(c[3].lastChild, b.waiting && !b.finished ? b.waiting : '', 'held-note');
    set(c[4], number(b.itemsPerSecond), 'num');
    const left = b.items - b.itemsDone;
    set(c[5], b.finished ? '' : b.itemsPerSecond > 0 && b.chunks !== null ? duration(left / b.itemsPerSecond) : '–',
        'num');
    set(c[6], b.chunksDone + ' / ' + (b.chunks === null ? '…' : b.chunks), 'num');
    set(c[7], b.waitingChunks, 'num' + (b.waitingChunks > 0 ? ' warn' : ''));
    pids(c[8], b.workerPids);
  }

  // ---- workers
  function updateWorker(row, w, now) {
    const c = cells(row, 8);
    row.className = 'worker';
    row.dataset.pid = w.pid;
    set(c[0], w.pid, 'mono');
    set(c[1], w.host);
    set(c[2], w.batch ? w.batch + ' chunk ' + w.chunk : 'idle', w.batch ? 'mono' : 'muted');
    set(c[3], w.batch ? duration((now - w.chunkSince) / 1000) : '', 'num');
    set(c[4], number(w.chunksDone), 'num');
    set(c[5], w.heapUsed === undefined ? '–'
        : bytes(w.heapUsed) + (w.heapMax > 0 ? ' / ' + bytes(w.heapMax) : ''), 'num');
    const silent = w.heartbeatAt ? (now - w.heartbeatAt) / 1000 : null;
    set(c[6], ago(w.heartbeatAt, now), 'num' + (silent !== null && silent > 5 ? ' stale' : ''));
    set(c[7], duration((now - w.startedAt) / 1000), 'num');
  }

  // ---- queues
  function updateQueue(row, q) {
    const c = cells(row, 3);
    set(c[0], q.name, 'mono' + (q.deadLetter && q.waiting > 0 ? ' stale' : ''));
    set(c[1], number(q.waiting), 'num');
    set(c[2], q.deadLetter ? '' : number(q.consumers), 'num');
  }

  // ---- history
  function historyRow(h) {
    const row = el('tr', 'history-row');
    row.dataset.batchId = h.id;
    cells(row, 10);
    if (h.outcome !== 'done') {
      row.classList.add('expandable');
      row.title = 'show the error report';
      row.addEventListener('click', () => toggleReport(row, h.id));
      if (expanded.has(h.id)) openReport(row, h.id);
    }
    return row;
  }

  function updateHistory(row, h) {
    const c = row.children;
    row.dataset.outcome = h.outcome;
    set(c[0], new Date(h.finished).toLocaleTimeString([], { hour12: false }));
    c[0].title = h.finished;
    set(c[1], h.id, 'mono');
    set(c[2], h.source, 'src');
    c[2].title = h.source + (h.output ? ' → ' + h.output : '');
    set(c[3], h.task);
    if (!c[4].firstChild) c[4].appendChild(el('span'));
    set(c[4].firstChild, h.outcome, 'badge ' + h.outcome);
    set(c[5], number(h.itemsDone) + ' / ' + number(h.items), 'num');
    set(c[6], number(h.itemsFailed), 'num');
    set(c[7], duration(h.seconds), 'num');
    set(c[8], number(h.itemsPerSecond), 'num');
    pids(c[9], h.workerPids);
  }

  function toggleReport(row, id) {
    if (row._extra) {
      row._extra.remove();
      row._extra = null;
      row.classList.remove('open');
      expanded.delete(id);
    } else {
      openReport(row, id);
    }
  }

  function openReport(row, id) {
    const extra = el('tr', 'report');
    const cell = el('td');
    cell.colSpan = 10;
    const pre = el('pre', 'error-report', expanded.get(id) || 'loading the error report…');
    cell.appendChild(pre);
    extra.appendChild(cell);
    row._extra = extra;
    row.classList.add('open');
    row.parentNode && row.parentNode.insertBefore(extra, row.nextSibling);
    if (expanded.get(id)) return;
    expanded.set(id, null);
    fetch('/api/history/' + encodeURIComponent(id) + '/error')
      .then((r) => r.text())
      .then((text) => { expanded.set(id, text); pre.textContent = text; })
      .catch((e) => { pre.textContent = 'cannot load the error report: ' + e; });
  }

  // ---- dead letters
  function deadRow(d) {
    const row = el('tr', 'dead-letter');
    const c = cells(row, 8);
    const replay = el('button', 'replay', 'replay');
    replay.title = 'send it back to the queue it died on, with fresh attempts';
    replay.addEventListener('click', () => {
      replay.disabled = true;
      post('/api/dead-letters/' + encodeURIComponent(d.messageId) + '/replay', 'replay');
    });
    const discard = el('button', 'danger discard', 'discard');
    discard.addEventListener('click', () => {
      if (!window.confirm('Discard this dead letter for good?')) return;
      discard.disabled = true;
      post('/api/dead-letters/' + encodeURIComponent(d.messageId) + '/discard', 'discard');
    });
    c[7].appendChild(replay);
    c[7].appendChild(document.createTextNode(' '));
    c[7].appendChild(discard);
    return row;
  }

  function updateDead(row, d) {
    const c = row.children;
    set(c[0], d.queue, 'mono');
    c[0].title = d.messageId;
    set(c[1], d.batch || '–', 'mono');
    set(c[2], d.task || '–');
    set(c[3], d.chunk === null || d.chunk === undefined ? '–' : d.chunk, 'num');
    set(c[4], d.lines || '–');
    set(c[5], d.redeliveries, 'num');
    set(c[6], (d.cause || '–') + (d.heldUntil ? '  (its batch ' + d.batch + ' waits for it: '
        + duration(Math.max(0, (d.heldUntil - Date.now()) / 1000)) + ' left)' : ''), 'wrap');
    // a rejected job would only be rejected again, a chunk of an ended batch would run for nothing: no replay
    const replay = c[7].firstChild;
    replay.style.display = d.replayable === false ? 'none' : '';
    c[7].title = d.replayable === false ? 'not replayable: ' + d.notReplayable : '';
  }

  function render(s) {
    const now = Date.now() + serverSkew;
    const status = s.status;
    const co = status.coordinator;
    set($('coordinator'), 'coordinator pid ' + co.pid + ' on ' + s.host + ' · up ' + duration(co.uptimeSeconds)
        + ' · broker ' + co.broker + (co.brokerEmbedded ? ' (embedded)' : ' (external)'));

    const inFlight = status.batches || [];
    const history = s.history || [];
    const current = new Set(inFlight.map((b) => b.id));
    for (const [id, last] of shown) {
      const ended = history.find((h) => h.id === id);
      if (!current.has(id) && ended && !finishing.has(id)) {
        finishing.set(id, { until: now + FINISHING_MILLIS, batch: Object.assign({}, last, {
          finished: ended.outcome, itemsDone: ended.itemsDone, itemsFailed: ended.itemsFailed,
          percent: ended.outcome === 'done' ? 100 : last.percent, itemsPerSecond: ended.itemsPerSecond }) });
      }
    }
    for (const [id, f] of finishing) if (f.until < now || current.has(id)) finishing.delete(id);
    shown = new Map(inFlight.map((b) => [b.id, b]));
    const batches = inFlight.concat(Array.from(finishing.values(), (f) => f.batch));
    sync('batches', batches, (b) => b.id, batchRow, updateBatch);
    set($('batches-count'), inFlight.length ? '(' + inFlight.length + ')' : '');

    const workers = s.workers || [];
    sync('workers', workers, (w) => w.host + '/' + w.pid, () => el('tr'), (row, w) => updateWorker(row, w, now));
    const connected = status.workers.connected;
    set($('workers-count'), '(' + workers.length
        + (connected !== null ? ' · ' + connected + ' consumer(s) on the task queue' : '') + ')');

    const queues = status.queues || [];
    sync('queues', queues, (q) => q.name, () => el('tr'), updateQueue);

    sync('history', history, (h) => h.id + '@' + h.finished, historyRow, updateHistory);
    set($('history-count'), s.historyCount > history.length
        ? '(newest ' + history.length + ' of ' + s.historyCount + ')'
        : history.length ? '(' + history.length + ')' : '');

    const dead = s.deadLetters || [];
    sync('dead', dead, (d) => d.messageId, deadRow, updateDead);
    set($('dead-count'), s.deadLettersError ? '(cannot list: ' + s.deadLettersError + ')'
        : dead.length ? '(' + dead.length + ')' : '');

    const tasksQueue = queues.find((q) => !q.deadLetter && q.name.endsWith('tasks'));
    set($('tile-batches'), number(inFlight.length));
    set($('tile-workers'), connected !== null ? number(connected) : number(workers.length));
    set($('tile-queued'), tasksQueue ? number(tasksQueue.waiting) : '–');
    set($('tile-rate'), number(inFlight.reduce((sum, b) => sum + (b.itemsPerSecond || 0), 0)));
    set($('tile-dead'), number(queues.filter((q) => q.deadLetter).reduce((sum, q) => sum + q.waiting, 0)));
  }

  function connect() {
    const events = new EventSource('/api/events');
    const live = $('live');
    events.addEventListener('snapshot', (event) => {
      const snapshot = JSON.parse(event.data);
      serverSkew = snapshot.at - Date.now();
      render(snapshot);
      live.textContent = 'live';
      live.className = 'live';
      document.body.dataset.updated = String(snapshot.at);
    });
    events.onerror = () => {
      live.textContent = 'reconnecting…';
      live.className = 'live off';
    };
  }

  connect();
}());

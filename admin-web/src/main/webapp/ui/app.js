// DukeQueue admin UI: plain DOM, no build step, no innerHTML. Every text from the server (payloads, errors, job
// types, queue names) goes through textContent, so none of it can run as script; the Content-Security-Policy only
// allows this file anyway. State changes send the session's CSRF token.
'use strict';

const API = '../api/v1';
const STATES = ['PENDING', 'SCHEDULED', 'RUNNING', 'COMPLETED', 'FAILED', 'DEAD_LETTER', 'CANCELLED'];
let session = {user: '', roles: [], csrfToken: null};

function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
        if (v === null || v === undefined || v === false) continue;
        if (k.startsWith('on')) node.addEventListener(k.substring(2), v);
        else if (k === 'text') node.textContent = v;
        else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
        if (c === null || c === undefined) continue;
        node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
}

async function api(method, path, body) {
    const headers = {'Accept': 'application/json'};
    if (method !== 'GET') {
        headers['Content-Type'] = 'application/json';
        if (session.csrfToken) headers['X-CSRF-Token'] = session.csrfToken;
    }
    const r = await fetch(API + path, {method, headers, credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body)});
    if (r.status === 401) {
        location.href = '../login.html';
        throw new Error('signed out');
    }
    const json = r.headers.get('Content-Type')?.includes('json') ? await r.json() : null;
    if (!r.ok) throw new Error((json && (json.detail || json.message)) || (r.status + ' ' + r.statusText));
    return json;
}

const isAdmin = () => session.roles.includes('admin');
const main = () => document.getElementById('main');

// Replaces the page; focus moves to it (announced) unless it is a quiet refresh of the same page.
function show(...nodes) {
    const quiet = nodes[0] === true;
    if (typeof nodes[0] === 'boolean') nodes.shift();
    main().replaceChildren(...nodes.flat().filter(n => n !== null && n !== undefined));
    if (!quiet) main().focus({preventScroll: true});
}

function notice(text, error) {
    return el('p', {class: error ? 'notice error' : 'notice', role: error ? 'alert' : 'status', text});
}

function stateCell(state) {
    return el('span', {class: 'state state-' + state, text: state});
}

function when(iso) {
    return iso ? new Date(iso).toLocaleString() : '';
}

// --- Overview --------------------------------------------------------------------------------------------------
const RANGES = [['60', '1 hour'], ['360', '6 hours'], ['1440', '24 hours']];
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    return node;
}

// A line chart of one or more series over the history's points; null values are gaps. Text alternative: the
// aria-label (latest and highest of each series) and a data table behind "Data".
function chart(id, title, points, series, format) {
    const W = 600, H = 150, PAD = 3;
    const values = series.flatMap(s => points.map(s.value)).filter(v => v !== null);
    const max = Math.max(1e-9, ...values);
    // A step chart: each point covers its step, so a value seen in one step only still shows.
    const x = i => points.length === 0 ? 0 : i * W / points.length;
    const y = v => H - PAD - v / max * (H - 2 * PAD);
    const plot = svg('svg', {viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', 'aria-hidden': 'true'});
    for (const f of [0.25, 0.5, 0.75]) {
        plot.append(svg('line', {x1: 0, x2: W, y1: y(max * f), y2: y(max * f), class: 'grid'}));
    }
    series.forEach((s, n) => {
        let d = '';
        let pen = false;
        points.forEach((p, i) => {
            const v = s.value(p);
            if (v === null) { pen = false; return; }
            d += (pen ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1) + ' H' + x(i + 1).toFixed(1) + ' ';
            pen = true;
        });
        if (d) plot.append(svg('path', {d, class: 'line series-' + n}));
    });
    const summary = series.map(s => {
        const vs = points.map(s.value).filter(v => v !== null);
        return s.name + ': latest ' + (vs.length ? format(vs[vs.length - 1]) : 'no data')
            + ', highest ' + (vs.length ? format(Math.max(...vs)) : 'no data');
    }).join('; ');
    const time = iso => new Date(iso).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
    return el('figure', {class: 'chart', id},
        el('figcaption', {}, el('b', {text: title}), ' ',
            ...series.map((s, n) => el('span', {class: 'legend series-' + n, text: s.name}))),
        el('div', {class: 'plot', role: 'img', 'aria-label': title + ' - ' + summary},
            el('span', {class: 'ymax', text: format(max === 1e-9 ? 0 : max)}), plot),
        el('div', {class: 'axis'}, el('span', {text: points.length ? time(points[0].at) : ''}),
            el('span', {text: points.length ? time(points[points.length - 1].at) : ''})),
        el('details', {}, el('summary', {text: 'Data'}), el('div', {class: 'scroll'}, el('table', {},
            el('thead', {}, el('tr', {}, el('th', {text: 'from'}), ...series.map(s => el('th', {class: 'num', text: s.name})))),
            el('tbody', {}, points.filter(p => series.some(s => s.value(p))).map(p => el('tr', {},
                el('td', {text: when(p.at)}),
                ...series.map(s => el('td', {class: 'num', text: s.value(p) === null ? '' : format(s.value(p))})))))))));
}

function ago(ms) {
    if (ms < 1000) return 'just now';
    if (ms < 120000) return Math.round(ms / 1000) + ' s ago';
    if (ms < 7200000) return Math.round(ms / 60000) + ' min ago';
    return Math.round(ms / 3600000) + ' h ago';
}

async function overview(params, quiet) {
    const range = RANGES.some(r => r[0] === params.get('range')) ? params.get('range') : '60';
    const [queues, health, nodes, history] = await Promise.all([api('GET', '/queues'),
        fetch('../../health/ready').then(r => r.json()).catch(() => null),
        api('GET', '/nodes'), api('GET', '/stats/history?minutes=' + range)]);
    const totals = Object.fromEntries(STATES.map(s => [s, 0]));
    for (const q of queues.items) for (const s of STATES) totals[s] += q.counts[s] || 0;
    const ready = health && health.status === 'UP';
    const check = health && (health.checks || []).find(c => c.name === 'dukequeue');
    const database = check && check.data ? String(check.data.database) : 'unknown';
    const cards = el('div', {class: 'cards'},
        el('div', {class: 'card', id: 'card-ready'}, el('b', {text: ready ? 'UP' : 'DOWN'}), 'readiness'),
        el('div', {class: 'card', id: 'card-database'}, el('b', {text: database === 'UP' ? 'closed' : 'open'}),
            'database circuit', database === 'UP' ? null : el('div', {class: 'error', text: database})),
        ...STATES.map(s => el('div', {class: 'card'}, el('b', {text: totals[s]}), s)));
    const rows = queues.items.map(q => el('tr', {},
        el('td', {}, el('a', {href: '#/jobs?queue=' + encodeURIComponent(q.name), text: q.name})),
        el('td', {text: q.paused ? 'paused' : 'running'}),
        ...STATES.map(s => el('td', {class: 'num', text: q.counts[s] || 0}))));
    const perMinute = v => (v * 60 / history.stepSeconds);
    const num = v => (Math.round(v * 10) / 10).toLocaleString();
    const pct = v => (Math.round(v * 1000) / 10) + ' %';
    const pts = history.points;
    const charts = el('div', {class: 'charts'},
        chart('chart-throughput', 'Throughput (jobs/min)', pts, [
            {name: 'completed', value: p => perMinute(p.completed)},
            {name: 'submitted', value: p => perMinute(p.submitted)},
            {name: 'failed attempts', value: p => perMinute(p.failed)}], num),
        chart('chart-failures', 'Failure rate', pts, [
            {name: 'failed / ended attempts', value: p => p.completed + p.failed === 0 ? null : p.failureRate}], pct),
        chart('chart-depth', 'Queue depth', pts, [
            {name: 'waiting', value: p => p.waiting}, {name: 'running', value: p => p.running}], num));
    const rangePicker = el('p', {class: 'range'}, 'Last ', ...RANGES.map(([m, label]) =>
        el('a', {href: '#/?range=' + m, class: m === range ? 'active' : null, 'aria-current': m === range ? 'true' : null,
            text: label})), el('span', {class: 'hint', text: ' - steps of ' + history.stepSeconds + ' s, all queues'}));
    const nodeRows = nodes.items.map(n => el('tr', {'data-node': n.node},
        el('td', {}, el('code', {text: n.node})),
        el('td', {}, el('span', {class: 'node-' + n.status, text: n.status})),
        el('td', {text: n.phase}), el('td', {class: 'num', text: n.running}), el('td', {class: 'num', text: n.workers}),
        el('td', {text: when(n.startedAt)}),
        el('td', {title: when(n.heartbeatAt), text: ago(n.heartbeatAgeMs)})));
    show(quiet, el('h1', {text: 'Overview'}), cards,
        el('h2', {text: 'Activity'}), rangePicker, charts,
        el('h2', {text: 'Nodes'}),
        nodes.items.length === 0 ? notice('No node has reported yet.') : el('div', {class: 'scroll'}, el('table', {id: 'nodes'},
            el('thead', {}, el('tr', {}, ...['node', 'status', 'phase', 'running', 'workers', 'started', 'last heartbeat']
                .map((h, i) => el('th', {class: i === 3 || i === 4 ? 'num' : null, text: h})))),
            el('tbody', {}, nodeRows))),
        el('h2', {text: 'Queues'}),
        el('div', {class: 'scroll'}, el('table', {id: 'queues-overview'},
            el('thead', {}, el('tr', {}, el('th', {text: 'queue'}), el('th', {text: 'status'}),
                ...STATES.map(s => el('th', {class: 'num', text: s})))),
            el('tbody', {}, rows))),
        el('p', {class: 'hint'}, 'Refreshes every 15 s. Per-node metrics: ', el('a', {href: '../../metrics', text: '/metrics'}),
            ' (Prometheus; a Grafana dashboard is in docs/observability).'));
}

// --- Jobs --------------------------------------------------------------------------------------------------------
const localToIso = v => v ? new Date(v).toISOString() : '';
const isoToLocal = v => {
    if (!v) return '';
    const d = new Date(v);
    return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().substring(0, 16);
};

async function jobs(params, message) {
    const filters = el('form', {class: 'filters', id: 'filters', onsubmit: e => {
        e.preventDefault();
        const f = new FormData(e.target);
        const q = new URLSearchParams();
        for (const [k, v] of f.entries()) {
            if (!v) continue;
            q.set(k, k === 'from' || k === 'to' ? localToIso(v) : v);
        }
        location.hash = '#/jobs?' + q.toString();
    }},
        el('label', {}, 'State', el('select', {name: 'state', id: 'filter-state'},
            el('option', {value: '', text: 'any'}),
            ...STATES.map(s => el('option', {value: s, text: s, selected: params.get('state') === s})))),
        el('label', {}, 'Queue', el('input', {name: 'queue', id: 'filter-queue', value: params.get('queue') || ''})),
        el('label', {}, 'Type', el('input', {name: 'type', id: 'filter-type', value: params.get('type') || ''})),
        el('label', {}, 'Id, key or error', el('input', {name: 'text', id: 'filter-text', type: 'search',
            value: params.get('text') || ''})),
        el('label', {}, 'Submitted from', el('input', {name: 'from', id: 'filter-from', type: 'datetime-local',
            value: isoToLocal(params.get('from'))})),
        el('label', {}, 'to', el('input', {name: 'to', id: 'filter-to', type: 'datetime-local',
            value: isoToLocal(params.get('to'))})),
        el('button', {type: 'submit', id: 'filter-apply', text: 'Filter'}));
    const query = new URLSearchParams();
    for (const k of ['state', 'queue', 'type', 'text', 'from', 'to', 'cursor']) if (params.get(k)) query.set(k, params.get(k));
    query.set('limit', '50');
    const page = await api('GET', '/jobs?' + query.toString());
    const selectable = j => isAdmin() && (j.state === 'FAILED' || j.state === 'DEAD_LETTER'
        || !['COMPLETED', 'CANCELLED'].includes(j.state));
    const rows = page.items.map(j => el('tr', {'data-id': j.id},
        el('td', {}, selectable(j) ? el('input', {type: 'checkbox', class: 'pick', value: j.id, 'data-state': j.state,
            'aria-label': 'select job ' + j.id}) : ''),
        el('td', {}, el('a', {href: '#/job/' + j.id, class: 'job-link', text: j.id.substring(0, 8)})),
        el('td', {text: j.type}), el('td', {text: j.queue}), el('td', {}, stateCell(j.state)),
        el('td', {class: 'num', text: j.attempts + '/' + j.maxAttempts}), el('td', {text: when(j.createdAt)}),
        el('td', {text: j.lastError ? j.lastError.category + ': ' + j.lastError.message : ''})));
    const more = page.nextCursor ? el('p', {}, el('a', {id: 'next-page', href: '#/jobs?' + (() => {
        const n = new URLSearchParams(params); n.set('cursor', page.nextCursor); return n.toString();
    })(), text: 'Older jobs'})) : null;
    const picked = () => [...document.querySelectorAll('input.pick:checked')];
    const bulk = isAdmin() ? el('p', {class: 'actions'},
        el('button', {id: 'retry-selected', class: 'secondary', text: 'Retry selected', onclick: () => bulkAct('retry',
            picked().filter(c => c.dataset.state === 'FAILED' || c.dataset.state === 'DEAD_LETTER'), params)}),
        ' ',
        el('button', {id: 'cancel-selected', class: 'secondary', text: 'Cancel selected', onclick: () => bulkAct('cancel',
            picked().filter(c => !['FAILED', 'DEAD_LETTER'].includes(c.dataset.state)), params)}),
        ' ',
        (params.get('state') === 'DEAD_LETTER' || params.get('state') === 'FAILED')
            ? el('button', {id: 'redrive-matching', text: 'Re-drive all matching', onclick: () => redriveMatching(params)})
            : null) : null;
    show(el('h1', {text: 'Jobs'}), message ? notice(message) : null, filters, bulk,
        page.items.length === 0 ? notice('No job matches.') : el('div', {class: 'scroll'}, el('table', {id: 'jobs'},
            el('thead', {}, el('tr', {}, el('th', {}, el('span', {class: 'visually-hidden', text: 'select'})),
                ...['id', 'type', 'queue', 'state', 'attempts', 'created', 'last error'].map(h => el('th', {text: h})))),
            el('tbody', {}, rows))), more);
}

async function bulkAct(action, boxes, params) {
    if (boxes.length === 0) {
        main().prepend(notice('Select jobs that can be ' + (action === 'retry' ? 'retried (FAILED, DEAD_LETTER)' : 'cancelled (unfinished)') + ' first.', true));
        return;
    }
    if (!confirm((action === 'retry' ? 'Retry ' : 'Cancel ') + boxes.length + ' job(s)?')) return;
    let done = 0;
    const failed = [];
    for (const box of boxes) {
        try {
            await api('POST', '/jobs/' + box.value + '/' + action);
            done++;
        } catch (e) {
            failed.push(box.value.substring(0, 8) + ': ' + e.message);
        }
    }
    await jobs(params, (action === 'retry' ? 'Retried ' : 'Cancelled ') + done + ' job(s).'
        + (failed.length ? ' Not done: ' + failed.join('; ') : ''));
}

async function redriveMatching(params) {
    const filter = {state: params.get('state')};
    if (params.get('queue')) filter.queue = params.get('queue');
    if (params.get('type')) filter.type = params.get('type');
    // (The page's time filter is on submission; the re-drive takes every matching dead job, whenever submitted.)
    const what = Object.entries(filter).map(([k, v]) => k + '=' + v).join(', ');
    if (!confirm('Re-drive every ' + filter.state + ' job matching ' + what + ' (oldest first, at most 1000)?')) return;
    try {
        const r = await api('POST', '/jobs/redrive', filter);
        await jobs(params, 'Re-drove ' + r.redriven.length + ' of ' + r.matched + ' matching job(s).'
            + (r.skipped.length ? ' Skipped: ' + r.skipped.map(s => s.id.substring(0, 8) + ' (' + s.reason + ')').join('; ') : ''));
    } catch (e) {
        main().prepend(notice(e.message, true));
    }
}

// --- One job -----------------------------------------------------------------------------------------------------
async function job(id, message) {
    const [j, attempts] = await Promise.all([api('GET', '/jobs/' + encodeURIComponent(id)),
        api('GET', '/jobs/' + encodeURIComponent(id) + '/attempts?limit=200')]); // the API's largest page
    const field = (name, value) => [el('dt', {text: name}), el('dd', {}, value === null || value === undefined ? '' : value)];
    const actions = el('p', {class: 'actions'});
    if (isAdmin() && (j.state === 'FAILED' || j.state === 'DEAD_LETTER')) {
        actions.append(el('button', {id: 'retry', text: 'Retry', onclick: () => act(
            'Retry job ' + j.id + '? It runs again with a fresh budget of attempts.', 'POST', '/jobs/' + j.id + '/retry',
            'Re-driven.', () => job(id, 'Re-driven.'))}));
    }
    if (isAdmin() && !['COMPLETED', 'FAILED', 'DEAD_LETTER', 'CANCELLED'].includes(j.state)) {
        actions.append(el('button', {id: 'cancel', class: 'secondary', text: 'Cancel', onclick: () => act(
            'Cancel job ' + j.id + '?', 'POST', '/jobs/' + j.id + '/cancel', 'Cancelled.', () => job(id, 'Cancelled.'))}));
    }
    const pretty = v => JSON.stringify(v, null, 2);
    show(el('h1', {}, 'Job ', el('code', {text: j.id})),
        message ? notice(message) : null,
        actions,
        el('dl', {class: 'fields', id: 'job-fields'},
            ...field('state', stateCell(j.state)), ...field('type', j.type), ...field('queue', j.queue),
            ...field('priority', j.priority), ...field('attempts', j.attempts + ' of ' + j.maxAttempts),
            ...field('created', when(j.createdAt)), ...field('due', when(j.runAt)),
            ...field('started', when(j.startedAt)), ...field('finished', when(j.finishedAt)),
            ...field('idempotency key', j.idempotencyKey), ...field('running on', j.runningOn),
            ...field('last error', j.lastError ? j.lastError.category + ': ' + j.lastError.message : null),
            ...field('progress', j.progress ? j.progress.percent + '% ' + (j.progress.message || '') : null),
            ...field('depends on', j.dependsOn.length ? el('span', {}, ...j.dependsOn.map(d =>
                el('a', {href: '#/job/' + d, text: d.substring(0, 8) + ' '}))) : null)),
        el('h2', {text: 'Payload'}), el('pre', {id: 'payload', text: pretty(j.payload)}),
        el('h2', {text: 'Result'}), el('pre', {id: 'result', text: j.result === null ? '(none)' : pretty(j.result)}),
        j.checkpoint !== null ? [el('h2', {text: 'Checkpoint'}), el('pre', {text: pretty(j.checkpoint)})] : null,
        el('h2', {text: 'Attempts'}),
        attempts.nextCursor ? notice('The first ' + attempts.items.length + ' executions; GET /jobs/' + j.id
            + '/attempts?cursor=' + attempts.nextCursor + ' lists the next ones.') : null,
        attempts.items.length === 0 ? notice('It has not run yet.') : el('div', {class: 'scroll'}, el('table', {id: 'attempts'},
            el('thead', {}, el('tr', {}, ...['run', 'attempt', 'node', 'started', 'finished', 'outcome', 'error']
                .map(h => el('th', {text: h})))),
            el('tbody', {}, attempts.items.map(a => el('tr', {},
                el('td', {class: 'num', text: a.run}), el('td', {class: 'num', text: a.attempt}),
                el('td', {text: a.node}), el('td', {text: when(a.startedAt)}), el('td', {text: when(a.finishedAt)}),
                el('td', {text: a.outcome || 'running'}),
                el('td', {}, a.message ? el('details', {}, el('summary', {text: a.category + ': ' + a.message}),
                    el('pre', {text: a.stackTrace || ''})) : '')))))));
}

async function act(question, method, path, done, then) {
    if (!confirm(question)) return;
    try {
        await api(method, path);
        await then();
    } catch (e) {
        main().prepend(notice(e.message, true));
    }
}

// --- Queues ------------------------------------------------------------------------------------------------------
async function queues(message) {
    const data = await api('GET', '/queues');
    const rows = data.items.map(q => el('tr', {'data-queue': q.name},
        el('td', {text: q.name}), el('td', {class: 'queue-status', text: q.paused ? 'paused' : 'running'}),
        el('td', {class: 'num', text: (q.counts.SCHEDULED || 0) + (q.counts.PENDING || 0)}),
        el('td', {class: 'num', text: q.counts.RUNNING || 0}),
        el('td', {class: 'num', text: q.maxRunning === null ? '' : q.maxRunning}),
        el('td', {class: 'num', text: q.refused}),
        el('td', {}, isAdmin() ? el('button', {class: 'secondary pause-toggle', text: q.paused ? 'Resume' : 'Pause',
            onclick: () => act((q.paused ? 'Resume' : 'Pause') + ' queue ' + q.name + ' on every node?', 'POST',
                '/queues/' + encodeURIComponent(q.name) + (q.paused ? '/resume' : '/pause'),
                null, () => queues('Queue ' + q.name + (q.paused ? ' resumed.' : ' paused.')))}) : '')));
    show(el('h1', {text: 'Queues'}), message ? notice(message) : null,
        el('div', {class: 'scroll'}, el('table', {id: 'queues'},
            el('thead', {}, el('tr', {}, ...['queue', 'status', 'waiting', 'running', 'max running', 'refused', '']
                .map(h => el('th', {text: h})))),
            el('tbody', {}, rows))),
        isAdmin() ? purgeForm(data.items.map(q => q.name)) : null);
}

// Purge goes through the engine's retention job (POST /jobs/purge); the page follows that job to its result.
const FINISHED = ['COMPLETED', 'CANCELLED', 'FAILED', 'DEAD_LETTER'];
const AGES = [['60', '1 hour'], ['1440', '1 day'], ['10080', '7 days'], ['43200', '30 days'], ['0', 'any age']];

function purgeForm(queueNames) {
    const outcome = el('div', {id: 'purge-outcome', role: 'status'});
    const form = el('form', {class: 'filters', id: 'purge', onsubmit: async e => {
        e.preventDefault();
        const f = new FormData(e.target);
        const states = f.getAll('state');
        if (states.length === 0) {
            outcome.replaceChildren(notice('Choose at least one state to purge.', true));
            return;
        }
        const minutes = Number(f.get('age'));
        const queue = f.get('queue');
        const age = AGES.find(a => a[0] === f.get('age'))[1];
        if (!confirm('Delete every ' + states.join(', ') + ' job' + (queue ? ' of queue ' + queue : '')
            + (minutes ? ' finished more than ' + age + ' ago' : ', whenever it finished') + '? This cannot be undone.')) return;
        const body = {states, olderThanMinutes: minutes};
        if (queue) body.queue = queue;
        try {
            const job = await api('POST', '/jobs/purge', body);
            const link = el('a', {href: '#/job/' + job.id, text: 'retention job ' + job.id.substring(0, 8)});
            outcome.replaceChildren(el('p', {class: 'notice'}, 'Purging through ', link, '...'));
            const until = Date.now() + 120000;
            let j = job;
            while (!['COMPLETED', 'FAILED', 'DEAD_LETTER', 'CANCELLED'].includes(j.state) && Date.now() < until) {
                await new Promise(r => setTimeout(r, 500));
                j = await api('GET', '/jobs/' + job.id);
            }
            if (j.state === 'COMPLETED') {
                const per = Object.entries(j.result.deleted).map(([k, v]) => k + ' ' + v).join(', ');
                outcome.replaceChildren(el('p', {class: 'notice', id: 'purge-done'},
                    'Purged ' + j.result.total + ' finished job(s)' + (per ? ' (' + per + ')' : '') + ' through ', link, '.'));
            } else {
                outcome.replaceChildren(el('p', {class: 'notice error'}, 'The ', link, ' is ' + j.state
                    + (j.lastError ? ': ' + j.lastError.message : '') + '.'));
            }
        } catch (err) {
            outcome.replaceChildren(notice(err.message, true));
        }
    }},
        el('fieldset', {}, el('legend', {text: 'States'}), ...FINISHED.map(st => el('label', {class: 'inline'},
            el('input', {type: 'checkbox', name: 'state', value: st, checked: st === 'COMPLETED' || st === 'CANCELLED'}), st))),
        el('label', {}, 'Finished more than', el('select', {name: 'age', id: 'purge-age'},
            ...AGES.map(([m, label]) => el('option', {value: m, text: label, selected: m === '10080'})))),
        el('label', {}, 'Queue', el('select', {name: 'queue', id: 'purge-queue'}, el('option', {value: '', text: 'all'}),
            ...queueNames.map(q => el('option', {value: q, text: q})))),
        el('button', {type: 'submit', id: 'purge-submit', class: 'secondary', text: 'Purge'}));
    return [el('h2', {text: 'Purge finished jobs'}),
        el('p', {class: 'hint', text: 'Deletes finished jobs and their attempts now, as the scheduled retention does.'}),
        form, outcome];
}

// --- Routing -----------------------------------------------------------------------------------------------------
async function route() {
    const [path, query] = (location.hash.substring(1) || '/').split('?');
    const params = new URLSearchParams(query || '');
    for (const a of document.querySelectorAll('nav a')) {
        a.classList.toggle('active', (a.getAttribute('href').substring(1) || '/') === (path.startsWith('/job/') ? '/jobs' : path));
    }
    try {
        if (path === '/jobs') await jobs(params);
        else if (path.startsWith('/job/')) await job(decodeURIComponent(path.substring(5)));
        else if (path === '/queues') await queues();
        else await overview(params);
    } catch (e) {
        show(notice('Could not load this page: ' + e.message, true));
    }
}

async function start() {
    session = await api('GET', '/session');
    document.getElementById('user').textContent = session.user + ' (' + session.roles.join(', ') + ')';
    // Signing out is a state change too: the form carries the session's token.
    document.getElementById('logout-csrf').value = session.csrfToken || '';
    window.addEventListener('hashchange', route);
    await route();
    // The overview is what stays open during an incident: refresh it in place (focus stays where it is).
    setInterval(() => {
        const [path, query] = (location.hash.substring(1) || '/').split('?');
        if ((path === '/' || path === '') && !document.hidden && !document.activeElement?.closest('details')) {
            overview(new URLSearchParams(query || ''), true).catch(() => {});
        }
    }, 15000);
}

start();

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
    if (!r.ok) throw new Error((json && json.message) || (r.status + ' ' + r.statusText));
    return json;
}

const isAdmin = () => session.roles.includes('admin');
const main = () => document.getElementById('main');

function show(...nodes) {
    main().replaceChildren(...nodes.flat().filter(n => n !== null && n !== undefined));
    main().focus({preventScroll: true});
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
async function overview() {
    const [queues, health] = await Promise.all([api('GET', '/queues'),
        fetch('../../health/ready').then(r => r.json()).catch(() => null)]);
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
    show(el('h1', {text: 'Overview'}), cards,
        el('h2', {text: 'Queues'}),
        el('div', {class: 'scroll'}, el('table', {id: 'queues-overview'},
            el('thead', {}, el('tr', {}, el('th', {text: 'queue'}), el('th', {text: 'status'}),
                ...STATES.map(s => el('th', {class: 'num', text: s})))),
            el('tbody', {}, rows))),
        el('p', {class: 'hint'}, 'Metrics for charts over time: ', el('a', {href: '../../metrics', text: '/metrics'}),
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
        api('GET', '/jobs/' + encodeURIComponent(id) + '/attempts')]);
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
        attempts.items.length === 0 ? notice('It has not run yet.') : el('div', {class: 'scroll'}, el('table', {id: 'attempts'},
            el('thead', {}, el('tr', {}, ...['run', 'attempt', 'node', 'started', 'finished', 'outcome', 'error']
                .map(h => el('th', {text: h})))),
            el('tbody', {}, attempts.items.map(a => el('tr', {},
                el('td', {class: 'num', text: a.run}), el('td', {class: 'num', text: a.attempt}),
                el('td', {text: a.node}), el('td', {text: when(a.startedAt)}), el('td', {text: when(a.finishedAt)}),
                el('td', {text: a.outcome || 'running'}),
                el('td', {}, a.errorMessage ? el('details', {}, el('summary', {text: a.errorCategory + ': ' + a.errorMessage}),
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
            el('tbody', {}, rows))));
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
        else await overview();
    } catch (e) {
        show(notice('Could not load this page: ' + e.message, true));
    }
}

async function start() {
    session = await api('GET', '/session');
    document.getElementById('user').textContent = session.user + ' (' + session.roles.join(', ') + ')';
    window.addEventListener('hashchange', route);
    await route();
}

start();

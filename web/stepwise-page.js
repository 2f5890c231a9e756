// index.html: the landing view, the full-window playground, deep links,
// export buttons, and — when framed by an article (#...&embed=1) — the
// postMessage commands from origins the embedder allows.
(function () {
  'use strict';
  const landing = document.getElementById('landing');
  const play = document.getElementById('play');
  const el = document.getElementById('playground');
  const message = document.getElementById('message');

  const fields = () => new URLSearchParams(location.hash.replace(/^#/, ''));
  const framed = window.parent !== window;
  window.stepwise = el;  // for scripts and tests: the same API as the element

  function route() {
    const f = fields();
    const embed = f.get('embed') === '1' || f.get('embed') === 'true';
    document.body.classList.toggle('embed', embed);
    document.body.classList.toggle('dark', f.get('theme') === 'dark');
    if (!f.get('lesson')) {
      play.hidden = true;
      landing.hidden = false;
      return;
    }
    landing.hidden = true;
    play.hidden = false;
    const msg = el.applyLink(location.hash);
    if (msg && msg !== 'not ready') show(msg);
    if (!embed) el.focus({ preventScroll: true });  // the keys step the lesson at once
  }

  function show(text) {
    message.textContent = text;
    message.title = text;
  }

  // The landing cards: one per lesson of the engine's registry.
  function renderCards() {
    const nav = document.getElementById('cards');
    const lessons = el.lessons() || [];
    nav.replaceChildren(...lessons.map((l) => {
      const a = document.createElement('a');
      a.className = 'card';
      a.href = '#lesson=' + encodeURIComponent(l.name);
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = l.title;
      const what = document.createElement('span');
      what.className = 'what';
      what.textContent = l.summary;
      a.append(name, what);
      return a;
    }));
    nav.removeAttribute('aria-busy');
  }

  el.addEventListener('ready', () => { renderCards(); route(); });
  el.addEventListener('error', (e) => show(String(e.detail)));
  el.addEventListener('restored', () => show(''));
  el.addEventListener('change', (e) => {
    document.body.classList.toggle('dark', e.detail.theme === 'dark');
    // A message belongs to the change that caused it: the next change without one clears it.
    if (!e.detail.notice) show('');
  });
  window.addEventListener('hashchange', route);
  route();

  // ---- export and sharing
  function download(name, blob) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }
  const lessonName = () => (el.getState() || {}).lesson || 'stepwise';

  document.getElementById('copy-link').addEventListener('click', async () => {
    const state = el.getState();
    if (!state) return;
    const link = location.origin + location.pathname + '#' + state.hash;
    // What the link leaves out (e.g. too many hand edits) is said with it.
    const note = state.link_note ? ' (' + state.link_note + ')' : '';
    try {
      await navigator.clipboard.writeText(link);
      show('Link copied' + note + ': ' + link);
    } catch (e) {
      show(link + note);  // no clipboard permission: the link is shown to copy by hand
    }
  });
  document.getElementById('export-png').addEventListener('click', async () => {
    download(lessonName() + '.png', await el.exportPNG());
  });
  document.getElementById('export-json').addEventListener('click', () => {
    download(lessonName() + '.json', new Blob([JSON.stringify(el.exportJSON(), null, 1)],
                                               { type: 'application/json' }));
  });
  document.getElementById('export-python').addEventListener('click', () => {
    download(lessonName() + '.py', new Blob([el.pythonSnippet()], { type: 'text/x-python' }));
  });
  // The PyTorch program; a lesson without one yet says so instead of a file.
  document.getElementById('export-torch').addEventListener('click', () => {
    const program = el.pythonSnippet({ framework: 'torch' });
    const error = /^# (\{"error".*\})$/.exec(program.trim());
    if (error) return show(JSON.parse(error[1]).error);
    download(lessonName() + '_torch.py', new Blob([program], { type: 'text/x-python' }));
  });

  // ---- postMessage, for iframes: only from this origin and the origins the
  // embedder lists in the link (origins=https://a.example,https://b.example).
  // Every message is validated; anything else is ignored without a reply.
  const allowed = new Set([location.origin]);
  for (const o of (fields().get('origins') || '').split(',')) {
    try { if (o) allowed.add(new URL(o).origin); } catch (e) { /* not an origin: ignored */ }
  }
  const COMMANDS = new Set(['step', 'seek', 'play', 'pause', 'reset', 'setParams', 'getState']);
  function valid(d) {
    if (!d || typeof d !== 'object' || d.type !== 'stepwise' || !COMMANDS.has(d.cmd)) return false;
    if (d.cmd === 'step' && d.n !== undefined && !Number.isFinite(d.n)) return false;
    if (d.cmd === 'seek' && !Number.isFinite(d.step)) return false;
    if (d.cmd === 'setParams') {
      if (!d.params || typeof d.params !== 'object' || Array.isArray(d.params)) return false;
      const entries = Object.entries(d.params);
      if (entries.length > 64) return false;
      for (const [k, v] of entries)
        if (k.length > 32 || !['string', 'number', 'boolean'].includes(typeof v) || String(v).length > 4096)
          return false;
    }
    return true;
  }
  window.addEventListener('message', (e) => {
    if (!allowed.has(e.origin) || !valid(e.data)) return;
    const d = e.data;
    let result;
    switch (d.cmd) {
      case 'step': result = el.step(d.n === undefined ? 1 : d.n); break;
      case 'seek': result = el.seek(d.step); break;
      case 'play': result = el.play(); break;
      case 'pause': result = el.pause(); break;
      case 'reset': result = el.reset(); break;
      case 'setParams': result = el.setParams(d.params); break;
      case 'getState': result = ''; break;
    }
    if (e.source) e.source.postMessage({ type: 'stepwise-reply', id: d.id, error: result || null,
                                         state: el.getState() }, e.origin);
  });
  // Documented events to the embedding page, and nothing else.
  if (framed) {
    for (const name of ['step', 'change', 'error']) {
      el.addEventListener(name, (e) => {
        const detail = name === 'error' ? String(e.detail) : e.detail;
        for (const origin of allowed) window.parent.postMessage({ type: 'stepwise-event', event: name, detail }, origin);
      });
    }
  }
})();

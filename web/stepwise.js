// stepwise.js — the <stepwise-playground> element and its JS API.
//
//   <script src="https://your.host/stepwise/stepwise.js"></script>
//   <stepwise-playground lesson="conv" params="H=8&W=8&kernel=laplacian" step="37"
//                        panels="transport,formula" theme="auto" height="480"></stepwise-playground>
//
// or, from the npm package, `import 'stepwise-playground'` (stepwise.mjs, which
// imports this file). The engine files (stepwise-engine.js/.wasm/.data and
// stepwise-element.css) are found next to this script, or next to the module;
// elsewhere when the page says so: the element's engine-base attribute, the
// script tag's data-engine-base, or StepwisePlayground.engineBase (a folder URL).
//
// Several elements on one page are independent instances of one engine: its
// WebAssembly is fetched and compiled once, then instantiated per element.
// Each instance pauses while scrolled off-screen or while the tab is hidden,
// takes keys only while it has focus, and never keeps the article from
// scrolling. API: step(n), seek(k), play(), pause(), setParams({...}),
// getState(), exportPNG(), exportJSON(), pythonSnippet({framework}), tour([...]),
// goToStop({...}); scroll markers (data-stepwise-target, see "tours" below); events
// "step" (every step moved by hand or by the API; at most every 100 ms while playing),
// "change" (at most every 100 ms during continuous edits; the last always fires),
// "error" (CustomEvent, detail = state or message), and "ready",
// "restored" (after a lost WebGL context came back).
(function () {
  'use strict';
  if (window.customElements && customElements.get('stepwise-playground')) return;

  // ------------------------------------------------------- engine files
  const FILES = ['stepwise-engine.js', 'stepwise-engine.wasm', 'stepwise-engine.data',
                 'stepwise-element.css'];
  const script = document.currentScript;  // null when imported as a module
  const scriptBase = (script && script.dataset.engineBase) ||
                     new URL('.', script && script.src ? script.src : location.href).href;
  let pageBase = '';        // StepwisePlayground.engineBase
  let moduleFiles = null;   // each file's URL, from stepwise.mjs (bundlers may rename them)

  // A folder URL (relative to the page), with the trailing slash.
  function folder(url) {
    const href = new URL(String(url), location.href).href;
    return href.endsWith('/') ? href : href + '/';
  }

  function filesIn(base) {
    const files = {};
    for (const f of FILES) files[f] = base + f;
    return files;
  }

  // The element's engine-base attribute, else StepwisePlayground.engineBase,
  // else the module's own files, else the folder of this script.
  function engineFiles(el) {
    const own = el.getAttribute('engine-base');
    if (own) return filesIn(folder(own));
    if (pageBase) return filesIn(pageBase);
    return moduleFiles || filesIn(scriptBase);
  }

  // ---------------------------------------------------------------- loading
  // The smallest module using a v128 instruction: validates only with SIMD.
  const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1,
    0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

  function unsupported() {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(SIMD_PROBE))
      return 'Stepwise needs WebAssembly with SIMD (Chrome 91+, Firefox 89+, Safari 16.4+). ' +
             'Please open this page in a current browser.';
    const probe = document.createElement('canvas');
    if (!probe.getContext('webgl2'))
      return 'Stepwise needs WebGL 2, which this browser or device has turned off. ' +
             'Enable hardware acceleration or try another browser.';
    return '';
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error('could not load ' + src));
      document.head.appendChild(s);
    });
  }

  // Fetches with byte progress reported to `onBytes(delta)`.
  async function fetchBytes(url, onBytes) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
    if (!res.body || !res.body.getReader) {
      const buf = await res.arrayBuffer();
      onBytes(buf.byteLength);
      return buf;
    }
    const reader = res.body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
      onBytes(value.length);
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) { out.set(c, at); at += c.length; }
    return out.buffer;
  }

  // One engine per location (normally one for the page): script, compiled
  // wasm and the font package.
  const listeners = new Set();  // progress callbacks of elements still loading
  const engines = new Map();    // wasm URL -> Promise<{wasm, data}>
  function loadEngine(files) {
    const key = files['stepwise-engine.wasm'];
    if (engines.has(key)) return engines.get(key);
    const engine = (async () => {
      const why = unsupported();
      if (why) throw new Error(why);
      let loaded = 0;
      const total = 1.3e6;  // an estimate, for the progress bar only
      const progress = (n) => {
        loaded += n;
        for (const f of listeners) f(Math.min(0.95, loaded / total), 'Downloading…');
      };
      const [, wasmBytes, data] = await Promise.all([
        window.createStepwiseEngine ? null : loadScript(files['stepwise-engine.js']),
        fetchBytes(files['stepwise-engine.wasm'], progress),
        fetchBytes(files['stepwise-engine.data'], progress),
      ]);
      for (const f of listeners) f(0.97, 'Compiling…');
      const wasm = await WebAssembly.compile(wasmBytes);
      return { wasm, data };
    })();
    engines.set(key, engine);
    engine.catch(() => engines.delete(key));  // a later element may try again
    return engine;
  }

  // ------------------------------------------------------------- the element
  const DOM_CURSORS = ['default', 'text', 'move', 'ns-resize', 'ew-resize', 'nesw-resize',
                       'nwse-resize', 'pointer', 'not-allowed'];
  const STEP_KEYS = new Set([37, 39, 32, 36, 35]);  // ← → Space Home End

  class StepwisePlayground extends HTMLElement {
    static get observedAttributes() {
      return ['lesson', 'params', 'step', 'panels', 'autoplay', 'theme', 'height', 'tour'];
    }

    // Where elements that start loading from now on find the engine files: a
    // folder URL (relative to the page), '' for the default (next to this
    // script or module). An element's engine-base attribute wins over it.
    static get engineBase() { return pageBase; }
    static set engineBase(url) { pageBase = url ? folder(url) : ''; }

    // stepwise.mjs: the URL of each engine file next to the module.
    static _moduleFiles(files) { moduleFiles = Object.assign(filesIn(''), files); }

    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open', delegatesFocus: true });
      // Styles come from a file next to this script, so pages with a strict
      // Content-Security-Policy (no inline styles) work too.
      root.innerHTML = `<link rel="stylesheet"><div class="frame">
        <canvas tabindex="0" role="application" aria-roledescription="interactive lesson"></canvas>
        <div class="overlay" role="status"><div><div class="msg">Loading Stepwise…</div>
        <progress max="1" value="0"></progress></div></div>
        <div class="live" aria-live="polite"></div></div>`;
      this._style = root.querySelector('link');
      this._canvas = root.querySelector('canvas');
      this._overlay = root.querySelector('.overlay');
      this._live = root.querySelector('.live');
      this._module = null;
      this._visible = true;
      this._lastStep = -1;
      this._lastRevision = -1;
      this._lastWords = 0;
      this._pendingPNG = [];
      this._bindInput();
    }

    connectedCallback() {
      this._applyHeight();
      this._canvas.setAttribute('aria-label', 'Stepwise ' + (this.getAttribute('lesson') || 'conv') +
        ' lesson. Arrow keys step, Space plays or pauses, Home and End jump.');
      if (!this._started) {
        this._started = true;
        // After the current script or module graph: settings made right
        // after importing (StepwisePlayground.engineBase) still apply.
        Promise.resolve().then(() => this._start());
      }
      this._observer = new IntersectionObserver((entries) => {
        this._visible = entries.some((e) => e.isIntersecting);
        this._updateRunning();
      });
      this._observer.observe(this);
      this._onVisibility = () => this._updateRunning();
      document.addEventListener('visibilitychange', this._onVisibility);
      this._themeQuery = window.matchMedia('(prefers-color-scheme: dark)');
      this._onScheme = () => { if (this._theme() === 'auto') this._applySettings(); };
      this._themeQuery.addEventListener('change', this._onScheme);
    }

    disconnectedCallback() {
      if (this._observer) this._observer.disconnect();
      document.removeEventListener('visibilitychange', this._onVisibility);
      if (this._themeQuery) this._themeQuery.removeEventListener('change', this._onScheme);
      this._visible = false;
      this._updateRunning();
    }

    attributeChangedCallback(name, oldValue, value) {
      if (oldValue === value) return;
      if (name === 'height') this._applyHeight();
      else if (name === 'tour') { if (this._module) this._applyTourAttribute(); }
      else if (this._module) this._applySettings();
    }

    // ---------------------------------------------------------- public API
    getState() { return this._module ? JSON.parse(this._call('stepwise_state_json', 'string')) : null; }
    step(n = 1) { return this._command({ cmd: 'step', n: Number(n) }); }
    seek(k) { return this._command({ cmd: 'seek', step: Number(k) }); }
    play() { return this._command({ cmd: 'play' }); }
    pause() { return this._command({ cmd: 'pause' }); }
    reset() { return this._command({ cmd: 'reset' }); }
    // Any engine command as an object: {cmd: 'level', level: 1}, {cmd: 'lesson', lesson: 'svm'}, …
    command(cmd) {
      if (!cmd || typeof cmd !== 'object' || typeof cmd.cmd !== 'string') return 'command: expected {cmd: "..."}';
      return this._command(cmd);
    }

    // Merges the given lesson parameters (deep-link keys, e.g. {H: 8, kernel: 'box'})
    // into the current state and rebuilds; returns what could not be applied.
    // A refused value leaves that parameter as it was; without a step of its
    // own the lesson stays at its step (or its new end, silently).
    setParams(params) {
      if (!this._module) return 'not ready';
      if (!params || typeof params !== 'object' || Array.isArray(params)) {
        this._error('setParams: expected an object of parameters');
        return 'setParams: expected an object';
      }
      const fields = new URLSearchParams(this.getState().hash);
      const problems = [];
      for (const [key, value] of Object.entries(params)) {
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
          problems.push('setParams: ' + key + ' must be a string, number or boolean');
          continue;
        }
        fields.set(key, String(value));
      }
      return this._applyMerged(fields, Object.prototype.hasOwnProperty.call(params, 'step'), problems);
    }

    // Applies a whole deep link ("lesson=conv&H=8&step=3"); the element's
    // theme attribute still decides the theme unless the link names one.
    applyLink(hash) {
      if (!this._module) { this._pendingLink = String(hash); return 'not ready'; }
      const fields = new URLSearchParams(String(hash).replace(/^#/, ''));
      if (!fields.has('theme')) {
        const theme = this._theme();
        fields.set('theme', theme === 'auto' ? (this._themeQuery && this._themeQuery.matches ? 'dark' : 'light') : theme);
      }
      if (!fields.has('embed')) fields.set('embed', this.hasAttribute('page') ? '0' : '1');
      const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      if (reduced) fields.delete('autoplay');
      return this._applyHash(fields.toString());
    }

    // The canvas as a PNG Blob, captured right after the next frame is drawn.
    exportPNG() {
      return new Promise((resolve) => this._pendingPNG.push(resolve));
    }

    // The current state, the lesson's job (the CLI's input) and its trace.
    exportJSON() { return this._module ? JSON.parse(this._call('stepwise_export_json', 'string')) : null; }

    // A program recomputing the current lesson: NumPy (PyTorch equivalent in a
    // comment), or {framework: 'torch'} a PyTorch program. A lesson without that
    // export gives one comment line: # {"error": "..."}.
    pythonSnippet(options) {
      if (!this._module) return '';
      const framework = options && options.framework !== undefined ? String(options.framework) : 'numpy';
      return this._call('stepwise_python_framework', 'string', ['string'], [framework]);
    }

    // Every registered lesson: [{name, title, description, summary, python}] (null until ready);
    // python lists the frameworks of its export ('numpy', 'torch').
    lessons() { return this._module ? JSON.parse(this._call('stepwise_lessons', 'string')) : null; }

    // -------------------------------------------------------------- engine
    async _start() {
      const files = engineFiles(this);
      this._style.href = files['stepwise-element.css'];
      const onProgress = (f, text) => {
        this._overlay.querySelector('progress').value = f;
        this._overlay.querySelector('.msg').textContent = text;
      };
      listeners.add(onProgress);
      try {
        const { wasm, data } = await loadEngine(files);
        listeners.delete(onProgress);
        onProgress(0.99, 'Starting…');
        this._module = await createStepwiseEngine({
          canvas: this._canvas,
          locateFile: (f) => files[f] || new URL(f, files['stepwise-engine.wasm']).href,
          instantiateWasm: (imports, done) => {
            WebAssembly.instantiate(wasm, imports).then((instance) => done(instance, wasm));
            return {};
          },
          getPreloadedPackage: () => data,
          print: (t) => console.log(t),
          printErr: (t) => console.warn(t),
          onAbort: (what) => this._fail('Stepwise stopped: ' + what),
          onFrame: () => this._afterFrame(),
        });
        this._overlay.classList.add('hidden');
        if (this._pendingLink !== undefined) this.applyLink(this._pendingLink);
        else this._applySettings();
        this._updateRunning();
        if (this.hasAttribute('tour')) this._applyTourAttribute();
        else if (this._pendingStop) this.goToStop(this._pendingStop);
        markers.install();
        markers.update();
        this.dispatchEvent(new CustomEvent('ready', { detail: this.getState() }));
      } catch (e) {
        listeners.delete(onProgress);
        this._fail(String(e && e.message || e));
      }
    }

    _fail(message) {
      this._overlay.classList.remove('hidden');
      this._overlay.classList.add('error');
      this._overlay.querySelector('.msg').textContent = message;
      this._error(message);
    }

    _call(name, ret, types = [], args = []) { return this._module.ccall(name, ret, types, args); }

    _command(cmd) {
      if (!this._module) return 'not ready';
      if (!this._inGlide) this._stopGlide();
      const msg = this._call('stepwise_command', 'string', ['string'], [JSON.stringify(cmd)]);
      if (msg) this._error(msg);
      this._afterFrame(true);
      return msg;
    }

    _applyHash(hash) {
      this._stopGlide();
      const msg = this._call('stepwise_apply_hash', 'string', ['string'], [hash.slice(0, 8192)]);
      if (msg) this._error(msg);
      this._afterFrame(true);
      return msg;
    }

    // Applies the current state's fields with some changed (setParams, tour
    // stops). A link applied whole gives a refused field its default and
    // reports a step past the new end; a change merged into the current state
    // should do neither: refused fields are applied again with the values they
    // had, and the current step (when the caller named none) clamps silently.
    // The message goes to the error event and stays shown (getState().notice)
    // until the next change.
    _applyMerged(fields, ownStep, problems = []) {
      this._stopGlide();
      const before = new URLSearchParams(this.getState().hash);
      const apply = () => this._call('stepwise_apply_hash', 'string', ['string'],
                                     [fields.toString().slice(0, 8192)]) || '';
      let parts = apply().split('; ').filter((p) => p);
      const pastEnd = (p) => /^step=\d+ is past the end$/.test(p);
      const clamp = !ownStep && parts.some(pastEnd);
      if (clamp) parts = parts.filter((p) => !pastEnd(p));
      const refused = [...new Set(parts.map((p) => /^([A-Za-z_][\w.]*)='/.exec(p)).filter((m) => m)
                                       .map((m) => m[1]))];
      for (const k of refused) if (before.has(k)) fields.set(k, before.get(k)); else fields.delete(k);
      if (clamp) fields.set('step', String(Math.min(Number(fields.get('step')), this.getState().steps)));
      if (clamp || refused.length) apply();
      const msg = problems.concat(parts).join('; ');
      if (msg) {
        this._call('stepwise_command', 'string', ['string'], [JSON.stringify({ cmd: 'notice', text: msg })]);
        this._error(msg);
      }
      this._afterFrame(true);
      return msg;
    }

    _theme() {
      const t = this.getAttribute('theme') || 'light';
      return ['light', 'dark', 'auto'].includes(t) ? t : 'light';
    }

    // Attributes -> one deep link, applied as a whole.
    _applySettings() {
      const fields = new URLSearchParams(this.getAttribute('params') || '');
      const lesson = this.getAttribute('lesson');
      if (lesson) fields.set('lesson', lesson);
      if (this.hasAttribute('step')) fields.set('step', this.getAttribute('step'));
      const theme = this._theme();
      fields.set('theme', theme === 'auto' ? (this._themeQuery && this._themeQuery.matches ? 'dark' : 'light') : theme);
      if (!fields.has('embed')) fields.set('embed', this.hasAttribute('page') ? '0' : '1');
      if (this.hasAttribute('panels')) fields.set('panels', this.getAttribute('panels'));
      const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      if (this.hasAttribute('autoplay') && this.getAttribute('autoplay') !== 'false' && !reduced)
        fields.set('autoplay', '1');
      const dark = fields.get('theme') === 'dark';
      this.style.setProperty('--stepwise-bg', dark ? '#1c1e23' : '#fff');
      this.style.setProperty('--stepwise-fg', dark ? '#eceef2' : '#1a1c21');
      return this._applyHash(fields.toString());
    }

    _applyHeight() {
      const h = this.getAttribute('height');
      if (h === null) return this.style.removeProperty('--stepwise-height');
      const px = /^\d{2,4}$/.test(h) ? h + 'px' : /^\d{1,3}(vh|%)$/.test(h) || /^\d{2,4}px$/.test(h) ? h : '';
      if (px) this.style.setProperty('--stepwise-height', px);
      else this._error('height must be a number of pixels (e.g. 480), or NNpx / NNvh / NN%');
    }

    _updateRunning() {
      if (!this._module) return;
      const run = this._visible && document.visibilityState !== 'hidden' && this.isConnected;
      if (run === this._running) return;
      this._running = run;
      if (run) this._module.resumeMainLoop(); else this._module.pauseMainLoop();
    }

    _error(message) {
      this.dispatchEvent(new CustomEvent('error', { detail: message }));
    }

    // After every frame: PNG captures (the drawing buffer is still intact),
    // the cursor, events and the live region.
    _afterFrame(force) {
      const m = this._module;
      if (!m) return;
      if (this._pendingPNG.length && !force) {
        const waiting = this._pendingPNG.splice(0);
        this._canvas.toBlob((blob) => waiting.forEach((f) => f(blob)), 'image/png');
      }
      if (this._tap && this._tap.widget === null && !force) {
        this._tap.widget = !!(this._call('stepwise_input_wants', 'number') & 8);
        if (this._tap.up) {
          if (!this._tap.widget) this.step(1);
          this._tap = null;
        }
      }
      const cursor = DOM_CURSORS[this._call('stepwise_mouse_cursor', 'number')] || 'default';
      if (this._canvas.style.cursor !== cursor) this._canvas.style.cursor = cursor;
      const step = this._call('stepwise_step', 'number');
      const revision = this._call('stepwise_revision', 'number');
      const revised = revision !== this._lastRevision;
      if (revised) {
        if (this._lastRevision !== -1) this._changePending = true;
        this._lastRevision = revision;
      }
      // 'change' carries the whole state — with a regression's 10,000 points
      // about 100 KB, 3 ms to build and parse — so during a drag, which
      // changes the lesson every frame, it fires at most every 100 ms and
      // every 4 frames (a device drawing under 10 frames a second would
      // otherwise pay it in every frame); the last change always fires (on the
      // first frame that satisfies both). A change made through the API
      // (force) fires at once.
      const now = performance.now();
      let state = null;
      if (!force) this._framesSinceChange = (this._framesSinceChange || 0) + 1;
      if (this._changePending && (force || (now - (this._lastChange || -1e9) >= 100 &&
                                            this._framesSinceChange >= 4))) {
        this._changePending = false;
        this._lastChange = now;
        this._framesSinceChange = 0;
        state = this.getState();
        this._playing = !!state.playing;
        this.dispatchEvent(new CustomEvent('change', { detail: state }));
      }
      // A step moved by a rebuild (the same operation at another index, or a
      // run that now stops elsewhere) is announced with its change, so at the
      // same rate: dragging a slider at the last step of a 10,000-point
      // regression moved the step in every frame, each state costing 3 ms.
      // While playing (as of the last state built), at most one 'step' every
      // 100 ms: each carries the whole state, and live training moves many
      // steps a frame (the network's state is 3.6 KB to build and parse in
      // every frame). The last step of a run still fires: the frames go on.
      const throttled = !force && this._playing && now - (this._lastStepEvent || -1e9) < 100;
      if (step !== this._lastStep && (!revised || force || state) && !throttled) {
        this._lastStep = step;
        this._lastStepEvent = now;
        state = state || this.getState();
        this._playing = !!state.playing;
        this.dispatchEvent(new CustomEvent('step', { detail: state }));
        // Words for screen readers: every step when stepping by hand, at most
        // one sentence a second while playing.
        if (!state.playing || now - this._lastWords > 1000) {
          this._lastWords = now;
          this._live.textContent = state.op ? state.op.words : 'Step 0: nothing computed yet.';
        }
      }
    }

    // -------------------------------------------------------------- input
    // Listeners on this element's canvas only: keys while focused, pointer
    // while over it, and the wheel only when a panel under it can scroll.
    _bindInput() {
      const c = this._canvas;
      const call = (name, types, args) => this._module && this._module.ccall(name, null, types, args);
      const pos = (e) => {
        const r = c.getBoundingClientRect();
        return [e.clientX - r.left, e.clientY - r.top];
      };
      const buttonsOf = (e) => (e.buttons & 1) | ((e.buttons & 2) ? 2 : 0) | ((e.buttons & 4) ? 4 : 0);
      // Touch: a tap on a widget is a click; a tap anywhere else steps forward.
      // Whether a widget is under the finger is known after the next frame.
      c.addEventListener('pointerdown', (e) => {
        if (e.pointerType === 'mouse' || e.isPrimary) c.focus({ preventScroll: true });
        this._tap = e.pointerType === 'touch' ? { x: e.clientX, y: e.clientY, t: performance.now(), widget: null, up: false } : null;
        if (e.pointerType === 'mouse') c.setPointerCapture(e.pointerId);
        call('stepwise_input_mouse', ['number', 'number', 'number'], [...pos(e), buttonsOf(e) || 1]);
      });
      c.addEventListener('pointermove', (e) => {
        call('stepwise_input_mouse', ['number', 'number', 'number'], [...pos(e), buttonsOf(e)]);
      });
      const up = (e) => {
        call('stepwise_input_mouse', ['number', 'number', 'number'], [...pos(e), buttonsOf(e)]);
        const tap = this._tap;
        if (tap && e.type === 'pointerup' && performance.now() - tap.t < 400 &&
            Math.hypot(e.clientX - tap.x, e.clientY - tap.y) < 12) {
          if (tap.widget === false) this.step(1);
          if (tap.widget === null) return void (tap.up = true);  // decided after the next frame
        }
        this._tap = null;
        if (e.pointerType !== 'mouse') setTimeout(() => call('stepwise_input_mouse_leave', [], []), 50);
      };
      c.addEventListener('pointerup', up);
      c.addEventListener('pointercancel', up);
      c.addEventListener('pointerleave', (e) => {
        if (!e.buttons) call('stepwise_input_mouse_leave', [], []);
      });
      // The canvas lets the browser pan vertically (touch-action: pan-y), so a
      // swipe over the playground scrolls the article. A finger that lands on
      // something the app drags in two dimensions (an SVM point) keeps the
      // gesture instead: cancelling touchstart stops the pan for this touch.
      c.addEventListener('touchstart', (e) => {
        if (!this._module || e.touches.length !== 1) return;  // two fingers: pinch-zoom
        const [x, y] = pos(e.touches[0]);
        if (this._module.ccall('stepwise_touch_grabs', 'number', ['number', 'number'], [x, y]))
          e.preventDefault();
      }, { passive: false });
      c.addEventListener('contextmenu', (e) => e.preventDefault());
      // WebGL context loss (GPU reset, driver update, too many contexts): say
      // so, and rebuild the GL resources when the browser restores it.
      c.addEventListener('webglcontextlost', (e) => {
        e.preventDefault();  // asks the browser to restore the context
        if (!this._module) return;
        this._call('stepwise_gl_lost', null);
        this._overlay.classList.remove('hidden', 'error');
        this._overlay.querySelector('.msg').textContent = 'The graphics context was lost. Restoring…';
        this._overlay.querySelector('progress').removeAttribute('value');
        this.dispatchEvent(new CustomEvent('error', { detail: 'WebGL context lost' }));
      });
      c.addEventListener('webglcontextrestored', () => {
        if (!this._module) return;
        this._call('stepwise_gl_restored', null);
        this._overlay.classList.add('hidden');
        this.dispatchEvent(new CustomEvent('restored'));
      });
      c.addEventListener('wheel', (e) => {
        if (!this._module || e.ctrlKey) return;  // pinch-zoom stays the browser's
        const wants = this._module.ccall('stepwise_input_wants', 'number', [], []);
        if (!(wants & 4)) return;  // nothing to scroll here: the article scrolls
        e.preventDefault();
        const unit = e.deltaMode === 1 ? 1 / 3 : e.deltaMode === 2 ? 3 : 1 / 100;
        call('stepwise_input_wheel', ['number', 'number'], [-e.deltaX * unit, -e.deltaY * unit]);
      }, { passive: false });
      c.addEventListener('keydown', (e) => {
        if (!this._module) return;
        const mods = (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0);
        call('stepwise_input_key', ['number', 'number', 'number'], [e.keyCode, 1, mods]);
        const typing = this._module.ccall('stepwise_input_wants', 'number', [], []) & 2;
        // Tab always moves focus on; keys the playground uses are kept from the page.
        if (e.keyCode === 9) return;
        if (typing && !e.ctrlKey && !e.metaKey) {
          if (e.key.length === 1) call('stepwise_input_char', ['number'], [e.key.codePointAt(0)]);
          e.preventDefault();
        } else if (STEP_KEYS.has(e.keyCode) || e.key === '+' || e.key === '-' || e.key === '=') {
          if (e.key.length === 1) call('stepwise_input_char', ['number'], [e.key.codePointAt(0)]);
          e.preventDefault();
        }
      });
      c.addEventListener('keyup', (e) => {
        const mods = (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0);
        call('stepwise_input_key', ['number', 'number', 'number'], [e.keyCode, 0, mods]);
      });
      c.addEventListener('blur', () => call('stepwise_input_blur', [], []));
    }
  }

  // ---------------------------------------------------------------- tours
  // A tour is a list of stops {step, params, level, caption}: el.tour([...])
  // or the tour attribute (the same list as JSON) adds Previous/Next buttons;
  // scroll markers in the article (data-stepwise-target="ID" with
  // data-stepwise-step, -params, -level, and -caption) move the playground as
  // they reach the middle of the viewport. Either way a stop applies its
  // params (deep-link fields, merged into the current state; what is invalid
  // is reported through the error event and the rest applied), its level,
  // shows its caption above the formula, and moves to its step through the
  // steps between within about a second (at once under prefers-reduced-motion).
  const GLIDE_MS = 900;

  // A stop's params as URLSearchParams: "k=v&…", or an object of values.
  function stopParams(params) {
    if (params === undefined || params === null || params === '') return new URLSearchParams();
    if (typeof params === 'string') return new URLSearchParams(params.replace(/^#/, ''));
    if (typeof params === 'object' && !Array.isArray(params)) {
      const out = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) out.set(k, String(v));
      return out;
    }
    return null;
  }

  // "" or what is wrong with one stop.
  function checkStop(stop, where) {
    if (!stop || typeof stop !== 'object') return where + ': expected {step, params, level, caption}';
    if (!Number.isInteger(stop.step) || stop.step < 0) return where + ': step must be a whole number ≥ 0';
    if (stopParams(stop.params) === null) return where + ': params must be "k=v&…" or an object';
    if (stop.caption !== undefined && typeof stop.caption !== 'string') return where + ': caption must be text';
    if (stop.level !== undefined && typeof stop.level !== 'string' && typeof stop.level !== 'number')
      return where + ': level must be a level name or number';
    return '';
  }

  Object.assign(StepwisePlayground.prototype, {
    // Goes to one stop (see above); returns the messages of what could not be applied.
    goToStop(stop) {
      if (!this._module) { this._pendingStop = stop; return 'not ready'; }
      const bad = checkStop(stop, 'stop');
      if (bad) { this._error(bad); return bad; }
      let msg = '';
      const fields = new URLSearchParams(this.getState().hash);
      const add = stopParams(stop.params);
      if (stop.level !== undefined) add.set('level', String(stop.level));
      const key = add.toString();
      if (key && key !== this._stopKey) {
        for (const [k, v] of add) fields.set(k, v);
        fields.set('step', String(this.getState().step));  // the glide below moves on from here
        msg = this._applyMerged(fields, false);
      }
      this._stopKey = key;
      this._command({ cmd: 'caption', text: stop.caption || '' });
      this._glide(stop.step);
      return msg;
    },

    // Moves to step `target` through the steps between (one seek per frame).
    _glide(target) {
      this._stopGlide();
      const from = this.getState().step, to = Math.min(target, this.getState().steps);
      const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      if (reduced || Math.abs(to - from) <= 1) return void this.seek(to);
      const t0 = performance.now();
      const tick = (now) => {
        const t = Math.min(1, (now - t0) / GLIDE_MS);
        const eased = t < 0.5 ? 2 * t * t : 1 - 2 * (1 - t) * (1 - t);
        this._inGlide = true;
        try { this.seek(Math.round(from + (to - from) * eased)); } finally { this._inGlide = false; }
        this._glideFrame = t < 1 ? requestAnimationFrame(tick) : 0;
      };
      this._glideFrame = requestAnimationFrame(tick);
    },

    // Any other move (a command, a link, the attributes, another stop) ends a
    // glide under way: its next frame would otherwise seek back over it.
    _stopGlide() {
      if (this._glideFrame) cancelAnimationFrame(this._glideFrame);
      this._glideFrame = 0;
    },

    // A tour with Previous/Next buttons; [] or null removes it. Returns "" or what is wrong.
    tour(stops) {
      if (stops === null || stops === undefined || (Array.isArray(stops) && !stops.length)) {
        this._tour = null;
        this._renderTour();
        if (this._module) this._command({ cmd: 'caption', text: '' });
        return '';
      }
      if (!Array.isArray(stops)) { this._error('tour: expected a list of stops'); return 'tour: expected a list'; }
      for (let i = 0; i < stops.length; ++i) {
        const bad = checkStop(stops[i], 'tour[' + i + ']');
        if (bad) { this._error(bad); return bad; }
      }
      this._tour = { stops: stops.map((s) => Object.assign({}, s)), at: 0 };
      this._renderTour();
      this.goToStop(this._tour.stops[0]);
      return '';
    },

    tourNext() { return this._tourMove(1); },
    tourPrevious() { return this._tourMove(-1); },

    _tourMove(delta) {
      if (!this._tour) return 'no tour';
      const at = Math.max(0, Math.min(this._tour.stops.length - 1, this._tour.at + delta));
      if (at === this._tour.at) return '';
      this._tour.at = at;
      this._renderTour();
      return this.goToStop(this._tour.stops[at]);
    },

    _renderTour() {
      const root = this.shadowRoot, frame = root.querySelector('.frame');
      let bar = root.querySelector('.tour');
      if (!this._tour) {
        if (bar) bar.remove();
        frame.classList.remove('with-tour');
        return;
      }
      if (!bar) {
        bar = document.createElement('div');
        bar.className = 'tour';
        bar.setAttribute('role', 'group');
        bar.setAttribute('aria-label', 'Tour');
        bar.innerHTML = '<button type="button" class="prev">‹ Previous</button>' +
                        '<span class="where" aria-live="polite"></span>' +
                        '<button type="button" class="next">Next ›</button>';
        bar.querySelector('.prev').addEventListener('click', () => this.tourPrevious());
        bar.querySelector('.next').addEventListener('click', () => this.tourNext());
        root.appendChild(bar);
      }
      frame.classList.add('with-tour');
      const { stops, at } = this._tour;
      bar.querySelector('.where').textContent = (at + 1) + ' / ' + stops.length;
      bar.querySelector('.prev').disabled = at === 0;
      bar.querySelector('.next').disabled = at === stops.length - 1;
    },

    // The tour attribute: the stops as JSON.
    _applyTourAttribute() {
      const text = this.getAttribute('tour');
      if (text === null) return void (this._tour && this.tour(null));
      let stops;
      try { stops = JSON.parse(text); } catch (e) {
        return void this._error('tour: the attribute is not JSON (' + e.message + ')');
      }
      this.tour(stops);
    },
  });

  // The stop a tour shows (−1 without a tour).
  Object.defineProperty(StepwisePlayground.prototype, 'tourIndex', {
    get() { return this._tour ? this._tour.at : -1; },
  });

  // Scroll markers: for each target, the last of its markers whose top has
  // passed the middle of the viewport is its stop; above the first marker the
  // playground returns to where its attributes put it.
  const markers = {
    frame: 0,
    active: new Map(),  // target id → the marker element applied last
    install() {
      if (this.installed) return;
      this.installed = true;
      const soon = () => { if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.update(); }); };
      window.addEventListener('scroll', soon, { passive: true, capture: true });
      window.addEventListener('resize', soon, { passive: true });
      this.soon = soon;
    },
    update() {
      const middle = window.innerHeight / 2;
      const chosen = new Map();
      for (const m of document.querySelectorAll('[data-stepwise-target]')) {
        const id = m.dataset.stepwiseTarget;
        if (!chosen.has(id)) chosen.set(id, null);
        if (m.getBoundingClientRect().top <= middle) chosen.set(id, m);
      }
      for (const [id, m] of chosen) {
        const el = document.getElementById(id);
        if (!el || !(el instanceof StepwisePlayground) || !el._module) continue;
        if (this.active.has(id) && this.active.get(id) === m) continue;
        this.active.set(id, m);
        if (!m) {
          el._stopKey = undefined;
          el._command({ cmd: 'caption', text: '' });
          el._applySettings();
          continue;
        }
        const d = m.dataset;
        const step = Number(d.stepwiseStep);
        if (!Number.isInteger(step) || step < 0) {
          el._error('data-stepwise-step="' + d.stepwiseStep + '": a whole number ≥ 0');
          continue;
        }
        el.goToStop({ step, params: d.stepwiseParams || '', level: d.stepwiseLevel,
                      caption: d.stepwiseCaption });
      }
    },
  };

  customElements.define('stepwise-playground', StepwisePlayground);
})();

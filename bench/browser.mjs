// Browser measurements for the benchmark (scripts/bench.sh runs it; not a
// test): in headless Chromium (Debian's, through tests/browser/harness.mjs)
//   site         transfer size of dist/ with gzip -9, file by file
//   first_frame  navigation start → end of the first frame the app drew
//                (fresh browser context per load: nothing cached)
//   frames       time of each frame on the page's main thread: CPU time from
//                Chromium's trace (FireAnimationFrame events, thread time
//                `tdur`) and wall time (the main-loop callback is wrapped before
//                the page's scripts run), for each lesson at its default size
//                and at a large preset, idle and while the learner interacts
//                so that every timed frame rebuilds the lesson (checked with
//                the lesson's rebuild count, view_json().version):
//                  conv       default; 256×256×3 with 16 filters — drag on the
//                             input, one input cell changes per frame
//                  svm        default (40 points); 10,000 points, C = 10,
//                             10 epochs, exact solver — drag point 0 on a
//                             circle, the exact solver re-solves every frame
//                  batchnorm  default (8×2); 256×16; the large preset 4096×256
//                             (#lesson=batchnorm&preset=large) — drag the
//                             momentum slider, m changes every frame; at
//                             4096×256 also drag the focus channel's γ
//                             (params panel), γ changes every frame. Either
//                             way the whole batch is recomputed per frame.
//                  optim      default; the large preset (#lesson=optim&preset=large:
//                             regression on 10,000 points, mini-batches of 100,
//                             four optimizers × 1000 steps) — drag the first
//                             optimizer's learning-rate slider, its path is
//                             recomputed every frame
//   peak         the wasm SIMD128 multiply+add peak (bench/peak.cpp, the
//                loop run.mjs times), sampled in this Node process right
//                before and after each frame scenario, when --peak gives the
//                SIMD benchmark module: frame figures are also reported
//                normalised to a 60 GFLOP/s machine, ms × peak / 60 (issue 17),
//                so that machines with different CPUs can be compared. The
//                peak runs in Node's V8, the frames in Chromium's: the same
//                engine family on the same core kind, not the same process.
//                The same loop is also timed in each scenario's page
//                (page_peak_gflops, normalised_page_peak): Chromium's own
//                peak, reported beside the Node one, which the targets use.
// usage: node browser.mjs DIST_DIR OUT.json [--quick] [--only REGEX] [--peak M.js]
//   --only REGEX  time only the scenarios whose name matches (no load timing)
//   --peak M.js   build/web/bench/stepwise-bench-simd.js (for the peak)
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { launch, serve } from '../tests/browser/harness.mjs';

const [dist, outFile] = process.argv.slice(2);
const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? new RegExp(process.argv[onlyAt + 1]) : null;
const peakAt = process.argv.indexOf('--peak');
const peakModule = peakAt > 0 ? process.argv[peakAt + 1] : null;
if (!dist || !outFile) { console.error('usage: node browser.mjs DIST_DIR OUT.json [--quick]'); process.exit(2); }

function siteSize(dir) {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const raw = readFileSync(p);
        files.push({ file: path.relative(dir, p), raw_bytes: raw.length, gzip_bytes: gzipSync(raw, { level: 9 }).length });
      }
    }
  };
  walk(dir);
  return { files: files.length, raw_bytes: files.reduce((s, f) => s + f.raw_bytes, 0),
           gzip_bytes: files.reduce((s, f) => s + f.gzip_bytes, 0), per_file: files };
}

// Runs in the page before its own scripts: time every frame of Emscripten's
// main loop (other animation-frame callbacks, e.g. Playwright's own polling,
// pass through untimed).
function instrument() {
  window.__frames = [];
  window.__beforeFrame = null;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => {
    if (!/mainLoop/.test(cb.name)) return raf(cb);
    return raf((ts) => {
      const t0 = performance.now();
      if (window.__beforeFrame) window.__beforeFrame();
      cb(ts);
      window.__frames.push([t0, performance.now()]);
    });
  };
}

const stats = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { frames: s.length, median_ms: q(0.5), p95_ms: q(0.95), min_ms: s[0], max_ms: s[s.length - 1] };
};

// ---- the wasm SIMD128 multiply+add peak, in this process ------------------------
// 2·10⁶ iterations of 12 f32x4 multiply+adds (192 MFLOP, a few ms); the median
// of `n` calls' process CPU time. Warmed up once, for a second, at the start
// (V8 optimises a function only once it is hot: run.mjs's procedure).
const peakIters = 2000000, peakFlops = peakIters * 12 * 4 * 2;
let peakFn = null, peakSink = 0;
if (peakModule) {
  const require = createRequire(import.meta.url);
  const wasmBinary = readFileSync(path.resolve(peakModule).replace(/\.js$/, '.wasm'));
  const m = await require(path.resolve(peakModule))({ wasmBinary });
  peakFn = () => { peakSink += m._bench_peak(peakIters, 0.999999, 1e-6); };
  for (const t0 = performance.now(); performance.now() - t0 < 1000;) peakFn();
}
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function samplePeak(n = 9) {
  if (!peakFn) return [];
  const v = [];
  for (let i = 0; i < n; ++i) { const c0 = cpuNow(); peakFn(); v.push(peakFlops / (cpuNow() - c0) / 1e6); }
  return v;
}
// The same loop in the scenario's page: Chromium's V8, not Node's (on the
// machine of run 10, Chromium 156 ran it about 20 % slower than Node 20), so
// that frames can also be read against the peak of the engine that ran them.
// Wall time of a synchronous call on the page's main thread, median of `n`.
const peakJs = peakModule ? readFileSync(path.resolve(peakModule), 'utf8') : null;
const peakWasm = peakModule ? readFileSync(path.resolve(peakModule).replace(/\.js$/, '.wasm')).toString('base64') : null;
async function samplePagePeak(page, n = 9) {
  if (!peakJs) return [];
  return page.evaluate(async ({ js, wasm, n, iters, flops }) => {
    if (!window.__peakModule) {
      (0, eval)(js + '\n;window.__createBench = createBench;');
      const bin = Uint8Array.from(atob(wasm), (c) => c.charCodeAt(0));
      const m = await window.__createBench({ wasmBinary: bin });
      for (const t0 = performance.now(); performance.now() - t0 < 1000;) m._bench_peak(iters, 0.999999, 1e-6);
      window.__peakModule = m;
    }
    const v = [];
    for (let i = 0; i < n; ++i) {
      const t0 = performance.now();
      window.__peakModule._bench_peak(iters, 0.999999, 1e-6);
      v.push(flops / (performance.now() - t0) / 1e6);
    }
    return v;
  }, { js: peakJs, wasm: peakWasm, n, iters: peakIters, flops: peakFlops });
}
const medianOf = (v) => { const s = [...v].sort((a, b) => a - b); return s.length ? s[s.length >> 1] : NaN; };

const server = await serve(dist);
const browser = await launch();
const out = { date: new Date().toISOString(), chromium: browser.version(), site: siteSize(dist), frames: {} };
const allPeaks = [];

async function open(hash) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.addInitScript(instrument);
  await page.goto(server.url + 'index.html' + hash);
  await page.waitForFunction(() => window.__frames.length >= 1, null, { timeout: 60000, polling: 10 });
  return { context, page, errors };
}

try {
  // ---- time to first frame --------------------------------------------------
  const loads = [];
  for (let i = 0; i < (only ? 0 : quick ? 2 : 5); ++i) {
    const { context, page } = await open('#lesson=conv');
    loads.push(await page.evaluate(() => window.__frames[0][1]));
    await context.close();
  }
  if (loads.length) {
    out.first_frame = { runs: loads.length, ...stats(loads), all_ms: loads };
    console.error(`first frame: ${loads.map((v) => v.toFixed(0)).join(', ')} ms`);
  }

  // ---- per-frame CPU time --------------------------------------------------------
  const count = quick ? 40 : 150;
  // [name, deep link, interaction]: 'idle', 'conv-edit' (paint the input),
  // 'svm-drag' (drag point 0 in a circle), 'bn-momentum' (drag the momentum slider),
  // 'bn-gamma' (drag the focus channel's γ), 'optim-lr' (drag the first racer's lr).
  const svmLarge = '#lesson=svm&preset=overlap&n=10000&C=10&epochs=10&solver=exact';
  const bnLarge = '#lesson=batchnorm&N=256&C=16&preset=random';
  const bnHuge = '#lesson=batchnorm&preset=large';  // 4096 × 256
  const optimLarge = '#lesson=optim&preset=large';  // 10,000 points, 4 racers × 1000 steps
  const scenarios = [
    ['conv_default_idle', '#lesson=conv&input=random', 'idle'],
    ['conv_default_edit', '#lesson=conv&input=random', 'conv-edit'],
    ['conv_large_idle', '#lesson=conv&C=3&H=256&W=256&F=16&input=random&kernel=random', 'idle'],
    ['conv_large_edit', '#lesson=conv&C=3&H=256&W=256&F=16&input=random&kernel=random', 'conv-edit'],
    ['svm_default_idle', '#lesson=svm', 'idle'],
    ['svm_default_drag', '#lesson=svm', 'svm-drag'],
    ['svm_large_idle', svmLarge, 'idle'],
    ['svm_large_drag', svmLarge, 'svm-drag'],
    ['batchnorm_default_idle', '#lesson=batchnorm', 'idle'],
    ['batchnorm_default_momentum', '#lesson=batchnorm', 'bn-momentum'],
    ['batchnorm_large_idle', bnLarge, 'idle'],
    ['batchnorm_large_momentum', bnLarge, 'bn-momentum'],
    ['batchnorm_4096x256_idle', bnHuge, 'idle'],
    ['batchnorm_4096x256_momentum', bnHuge, 'bn-momentum'],
    ['batchnorm_4096x256_gamma', bnHuge, 'bn-gamma'],
    ['optim_default_idle', '#lesson=optim', 'idle'],
    ['optim_default_lr', '#lesson=optim', 'optim-lr'],
    ['optim_large_idle', optimLarge, 'idle'],
    ['optim_large_lr', optimLarge, 'optim-lr'],
    // Live training (issue 13): the 2-16-16-16-1 tanh network on 1,000 points at
    // the level "training step", ten steps per frame: each frame trains them and
    // redraws the decision field, graph and curves.
    ['mlp_large_train', '#lesson=mlp&preset=large&level=train_step', 'mlp-train'],
  ].filter(([name]) => !only || only.test(name));
  for (const [name, hash, action] of scenarios) {
    const edit = action !== 'idle';
    const { context, page, errors } = await open(hash);
    await page.waitForFunction(() => window.stepwise && window.stepwise.getState() &&
                                     window.stepwise.getState().frames > 20, null, { timeout: 60000, polling: 50 });
    // At the last step: every result computed and drawn in each frame (live
    // training starts from step 0 instead, nothing trained yet).
    if (action !== 'mlp-train') {
      await page.evaluate(() => window.stepwise.command({ cmd: 'seek', step: 1e15 }));
      await page.waitForFunction(() => { const s = window.stepwise.getState(); return s.step === s.steps; },
                                 null, { timeout: 10000, polling: 50 });
    }
    await page.waitForFunction((n) => window.__frames.length >= n,
                               (await page.evaluate(() => window.__frames.length)) + 3, { timeout: 10000, polling: 20 });
    if (action === 'optim-lr') {
      // The first optimizer's lr slider sits below the fold of the parameter
      // panel at the large preset: scroll the panel until it is inside.
      await page.evaluate(() => {
        const m = window.stepwise._module;
        m.ccall('stepwise_input_mouse', null, ['number', 'number', 'number'], [100, 300, 0]);
        m.ccall('stepwise_input_wheel', null, ['number', 'number'], [0, -3]);
      });
      await page.waitForFunction(() => { const r = window.stepwise.getState().view.lr_slider;
                                         return r && r[3] < 0.9 * window.innerHeight - 60 && r[1] > 60; },
                                 null, { timeout: 10000, polling: 50 });
    }
    const before = await page.evaluate(() => window.stepwise.getState());
    const params = before.params;
    const peakBefore = samplePeak(), pagePeakBefore = await samplePagePeak(page);
    await browser.startTracing(page, { categories: ['devtools.timeline'] });
    await page.evaluate(({ action, view, params }) => {
      window.__frames = [];
      // The mouse as the app sees it: <stepwise-playground>'s pointer listeners
      // pass (x, y) in CSS px relative to its canvas and the buttons (1 left,
      // 2 right) to stepwise_input_mouse; view_json() positions are in the
      // same canvas coordinates (the page's toolbar above the canvas is not
      // included). Called right before each frame, so every frame sees a move.
      const mouse = (x, y, buttons) => window.stepwise._module.ccall(
        'stepwise_input_mouse', null, ['number', 'number', 'number'], [Math.round(x), Math.round(y), buttons]);
      let at = null;  // k → [x, y, buttons]: the mouse in frame k (0: hover, no button)
      if (action === 'svm-drag') {
        // Press on point 0, then move it on a circle of 40 CSS px, about 4 px
        // per frame: the point moves every frame, so the exact solver
        // re-solves and the trace is rebuilt in every timed frame.
        const [x0, y0] = view.points_screen[0];
        at = (k) => { const a = Math.max(0, k - 1) / 10;  // frame 1 presses on the point itself
          return [x0 + 40 * Math.sin(a), y0 + 40 * (1 - Math.cos(a)), k ? 1 : 0]; };
      } else if (action === 'bn-momentum' || action === 'optim-lr') {
        // Drag a slider (left panel) back and forth, 3 CSS px per frame: the
        // value changes every frame and the lesson rebuilds its trace —
        // batch norm's momentum m (the running statistics depend on it), or
        // the first optimizer's learning rate (its whole path is recomputed).
        const [l, t, r, b] = action === 'optim-lr' ? view.lr_slider : view.momentum_slider;
        const span = Math.max(20, Math.floor(0.5 * (r - l) - 20));
        at = (k) => {
          const phase = (3 * k) % (2 * span);
          return [l + 10 + (phase < span ? phase : 2 * span - phase), (t + b) / 2, k ? 1 : 0];
        };
      } else if (action === 'bn-gamma') {
        // Drag the focus channel's γ (a drag field, 0.01 per CSS px) right
        // and left, 3 CSS px per frame: γ changes every frame and the lesson
        // recomputes the batch (y, and x̂ with the statistics revalidated).
        const [l, t, r, b] = view.gamma_drag;
        const x0 = (l + r) / 2, span = 60;
        at = (k) => {
          const phase = (3 * k) % (2 * span);
          return [x0 + (phase < span ? phase : 2 * span - phase), (t + b) / 2, k ? 1 : 0];
        };
      } else if (action === 'conv-edit') {
        // Press on input cell (0, 0), then move on by ≥ 1 CSS px per frame, row
        // by row. Each pass over the input alternates the left button (paints
        // the brush value, 1) and the right one (paints 0), so every move
        // changes a value and the lesson rebuilds. Cells `step` apart in both
        // directions are ≥ 1 CSS px apart: distinct.
        const step = Math.max(1, Math.ceil(1 / view.cell));
        const cols = Math.ceil(params.W / step), rows = Math.ceil(params.H / step);
        at = (k) => {
          const j = (k ? k - 1 : 0) % (cols * rows), ix = (j % cols) * step, iy = Math.floor(j / cols) * step;
          const pass = Math.floor((k ? k - 1 : 0) / (cols * rows));
          return [view.input_map[0] + (params.padding[1] + ix + 0.5) * view.cell,
                  view.input_map[1] + (params.padding[0] + iy + 0.5) * view.cell,
                  k === 0 ? 0 : pass % 2 ? 2 : 1];
        };
      }
      if (action === 'mlp-train') {
        // Exactly ten training steps before each frame (what Play at 600 steps/s
        // gives at 60 Hz, without the catch-up of a slow frame).
        window.__beforeFrame = () => window.stepwise.command({ cmd: 'step', n: 10 });
        return;
      }
      if (!at) return;
      let k = 0;
      mouse(...at(0));
      window.__beforeFrame = () => {
        ++k;
        const [x, y, buttons] = at(k), prev = at(k - 1)[2];
        if (prev && buttons !== prev) mouse(x, y, 0);  // release before switching buttons
        mouse(x, y, buttons);
      };
    }, { action, view: before.view, params });
    await page.waitForFunction((n) => window.__frames.length >= n, count, { timeout: 300000, polling: 200 });
    const durations = await page.evaluate((n) => window.__frames.slice(0, n).map(([a, b]) => b - a), count);
    const after = await page.evaluate(() => window.stepwise.getState());
    const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
    const peaks = [...peakBefore, ...samplePeak()];
    const pagePeaks = [...pagePeakBefore, ...await samplePagePeak(page)];
    allPeaks.push(...peaks);
    // The animation-frame tasks of the page's main thread, in order; the first
    // may have started before the edits: skip it.
    const cpu = trace.filter((e) => e.name === 'FireAnimationFrame' && e.ph === 'X' && e.tdur != null)
                     .sort((a, b) => a.ts - b.ts).slice(1, count + 1).map((e) => e.tdur / 1000);
    out.frames[name] = { hash, action, ...stats(cpu), wall: stats(durations),
                         rebuilds: after.view.version - before.view.version,
                         console_errors: errors.length };
    const f = out.frames[name];
    if (peaks.length) {
      // Normalised to a 60 GFLOP/s machine: ms × peak / 60.
      f.peak_gflops = medianOf(peaks);
      f.peak_samples = peaks.map((v) => +v.toFixed(2));
      f.normalised = { median_ms: f.median_ms * f.peak_gflops / 60, p95_ms: f.p95_ms * f.peak_gflops / 60 };
    }
    if (pagePeaks.length) {
      f.page_peak_gflops = medianOf(pagePeaks);
      f.normalised_page_peak = { median_ms: f.median_ms * f.page_peak_gflops / 60 };
    }
    console.error(`${name}: CPU median ${f.median_ms.toFixed(2)} ms, p95 ${f.p95_ms.toFixed(2)} ms ` +
                  `(wall median ${f.wall.median_ms.toFixed(2)}, p95 ${f.wall.p95_ms.toFixed(2)}), ` +
                  `${f.rebuilds} rebuilds in ≥ ${f.frames} frames` +
                  (f.normalised ? `; peak ${f.peak_gflops.toFixed(1)} GFLOP/s → ` +
                   `${f.normalised.median_ms.toFixed(2)} ms at 60 GFLOP/s` : '') +
                  (f.page_peak_gflops ? `; Chromium's own peak ${f.page_peak_gflops.toFixed(1)} GFLOP/s → ` +
                   `${f.normalised_page_peak.median_ms.toFixed(2)} ms` : ''));
    if (action === 'mlp-train') {
      // Training steps per timed frame (the run trains lazily, as Play reaches each step).
      f.train_steps_per_frame = (after.view.trained_steps - before.view.trained_steps) / durations.length;
      console.error(`${name}: ${f.train_steps_per_frame.toFixed(1)} training steps per frame`);
    }
    f.every_frame_rebuilt = !edit || action === 'mlp-train' || f.rebuilds >= 0.9 * count;
    if (!f.every_frame_rebuilt) console.error(`${name}: NOT VALID, only ${f.rebuilds} rebuilds in ${count} frames`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
if (allPeaks.length) out.peak = { gflops_median: medianOf(allPeaks), samples: allPeaks.length,
                                  min: Math.min(...allPeaks), max: Math.max(...allPeaks) };
if (peakSink === 42) console.error('');  // keep the peak's result alive
writeFileSync(outFile, JSON.stringify(out, null, 1));
console.error(`site: ${(out.site.gzip_bytes / 1e6).toFixed(3)} MB gzip (${(out.site.raw_bytes / 1e6).toFixed(2)} MB raw); ` +
              (out.first_frame ? `first frame median ${out.first_frame.median_ms.toFixed(0)} ms; ` : '') +
              `wrote ${outFile}`);

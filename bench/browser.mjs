// Browser measurements for the benchmark (scripts/bench.sh runs it; not a
// test): in headless Chromium (Debian's, through tests/browser/harness.mjs)
//   site         transfer size of dist/ with gzip -9, file by file
//   first_frame  navigation start → end of the first frame the app drew
//                (fresh browser context per load: nothing cached)
//   frames       time of each frame on the page's main thread: CPU time from
//                Chromium's trace (FireAnimationFrame events, thread time
//                `tdur`) and wall time (the main-loop callback is wrapped before
//                the page's scripts run), for the convolution lesson at its
//                default size (random input) and at the large preset
//                (256×256×3, 16 filters),
//                idle and while the learner drags on the input — one input
//                cell changes per frame, so the whole layer is recomputed in
//                every timed frame (checked with the lesson's rebuild count).
// usage: node browser.mjs DIST_DIR OUT.json [--quick]
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { launch, serve } from '../tests/browser/harness.mjs';

const [dist, outFile] = process.argv.slice(2);
const quick = process.argv.includes('--quick');
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

const server = await serve(dist);
const browser = await launch();
const out = { date: new Date().toISOString(), chromium: browser.version(), site: siteSize(dist), frames: {} };

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
  for (let i = 0; i < (quick ? 2 : 5); ++i) {
    const { context, page } = await open('#lesson=conv');
    loads.push(await page.evaluate(() => window.__frames[0][1]));
    await context.close();
  }
  out.first_frame = { runs: loads.length, ...stats(loads), all_ms: loads };
  console.error(`first frame: ${loads.map((v) => v.toFixed(0)).join(', ')} ms`);

  // ---- per-frame CPU time --------------------------------------------------------
  const count = quick ? 40 : 150;
  const scenarios = [
    ['conv_default_idle', '#lesson=conv&input=random', false],
    ['conv_default_edit', '#lesson=conv&input=random', true],
    ['conv_large_idle', '#lesson=conv&C=3&H=256&W=256&F=16&input=random&kernel=random', false],
    ['conv_large_edit', '#lesson=conv&C=3&H=256&W=256&F=16&input=random&kernel=random', true],
  ];
  for (const [name, hash, edit] of scenarios) {
    const { context, page, errors } = await open(hash);
    await page.waitForFunction(() => window.stepwise && window.stepwise.getState() &&
                                     window.stepwise.getState().frames > 20, null, { timeout: 60000, polling: 50 });
    // At the last step: every output map computed and drawn in each frame.
    await page.evaluate(() => window.stepwise.command({ cmd: 'seek', step: 1e15 }));
    await page.waitForFunction(() => { const s = window.stepwise.getState(); return s.step === s.steps; },
                               null, { timeout: 10000, polling: 50 });
    const before = await page.evaluate(() => window.stepwise.getState());
    const params = before.params;
    await browser.startTracing(page, { categories: ['devtools.timeline'] });
    await page.evaluate(({ edit, view, params }) => {
      window.__frames = [];
      if (!edit) return;
      // Press on input cell (0, 0), then move on by ≥ 1 CSS px per frame, row by
      // row. Each pass over the input alternates the left button (paints the
      // brush value, 1) and the right one (paints 0), so every move changes a
      // value and the lesson rebuilds.
      const canvas = document.getElementById('canvas');
      const rect = canvas.getBoundingClientRect();
      // Cells `step` apart in both directions are ≥ 1 CSS px apart: distinct.
      const step = Math.max(1, Math.ceil(1 / view.cell));
      const cols = Math.ceil(params.W / step), rows = Math.ceil(params.H / step);
      const pass = (k) => Math.floor(k / (cols * rows));
      const at = (k) => {
        const j = k % (cols * rows), ix = (j % cols) * step, iy = Math.floor(j / cols) * step;
        const right = pass(k) % 2 === 1;
        // Whole CSS pixels: Chromium truncates a synthetic event's coordinates.
        return { clientX: Math.round(rect.left + view.input_map[0] + (params.padding[1] + ix + 0.5) * view.cell),
                 clientY: Math.round(rect.top + view.input_map[1] + (params.padding[0] + iy + 0.5) * view.cell),
                 bubbles: true, button: right ? 2 : 0, buttons: right ? 2 : 1 };
      };
      let k = 0;
      canvas.dispatchEvent(new MouseEvent('mousemove', at(0)));
      canvas.dispatchEvent(new MouseEvent('mousedown', at(0)));
      window.__beforeFrame = () => {
        ++k;
        if (pass(k) !== pass(k - 1)) {
          canvas.dispatchEvent(new MouseEvent('mouseup', at(k - 1)));
          canvas.dispatchEvent(new MouseEvent('mousedown', at(k)));
        }
        canvas.dispatchEvent(new MouseEvent('mousemove', at(k)));
      };
    }, { edit, view: before.view, params });
    await page.waitForFunction((n) => window.__frames.length >= n, count, { timeout: 300000, polling: 200 });
    const durations = await page.evaluate((n) => window.__frames.slice(0, n).map(([a, b]) => b - a), count);
    const after = await page.evaluate(() => window.stepwise.getState());
    const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
    // The animation-frame tasks of the page's main thread, in order; the first
    // may have started before the edits: skip it.
    const cpu = trace.filter((e) => e.name === 'FireAnimationFrame' && e.ph === 'X' && e.tdur != null)
                     .sort((a, b) => a.ts - b.ts).slice(1, count + 1).map((e) => e.tdur / 1000);
    out.frames[name] = { hash, edit, ...stats(cpu), wall: stats(durations),
                         rebuilds: after.view.version - before.view.version,
                         console_errors: errors.length };
    const f = out.frames[name];
    console.error(`${name}: CPU median ${f.median_ms.toFixed(2)} ms, p95 ${f.p95_ms.toFixed(2)} ms ` +
                  `(wall median ${f.wall.median_ms.toFixed(2)}, p95 ${f.wall.p95_ms.toFixed(2)}), ` +
                  `${f.rebuilds} rebuilds in ≥ ${f.frames} frames`);
    if (edit && f.rebuilds < 0.9 * count) throw new Error(`${name}: only ${f.rebuilds} rebuilds in ${count} frames`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
writeFileSync(outFile, JSON.stringify(out, null, 1));
console.error(`site: ${(out.site.gzip_bytes / 1e6).toFixed(3)} MB gzip (${(out.site.raw_bytes / 1e6).toFixed(2)} MB raw); ` +
              `first frame median ${out.first_frame.median_ms.toFixed(0)} ms; wrote ${outFile}`);

import { launch, serve } from '../tests/browser/harness.mjs';
const server = await serve('dist');
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
const page = await context.newPage();
await page.addInitScript(() => {
  window.__t = { before: [], frame: [], calls: {} };
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => {
    if (!/mainLoop/.test(cb.name)) return raf(cb);
    return raf((ts) => {
      const t0 = performance.now();
      if (window.__beforeFrame) window.__beforeFrame();
      const t1 = performance.now();
      cb(ts);
      const t2 = performance.now();
      if (window.__beforeFrame) { window.__t.before.push(t1 - t0); window.__t.frame.push(t2 - t1); }
    });
  };
});
await page.goto(server.url + 'index.html#lesson=mlp&preset=large&level=train_step');
await page.waitForFunction(() => window.stepwise && window.stepwise.getState() && window.stepwise.getState().frames > 20, null, { timeout: 60000 });
await page.evaluate(() => {
  const el = window.stepwise;
  const orig = el._call.bind(el);
  el._call = (name, ...a) => { const t0 = performance.now(); const r = orig(name, ...a);
    (window.__t.calls[name] = window.__t.calls[name] || []).push(performance.now() - t0); return r; };
  const parse = JSON.parse;
  window.__beforeFrame = () => window.stepwise.command({ cmd: 'step', n: 10 });
});
await page.waitForFunction(() => window.__t.frame.length >= 200, null, { timeout: 120000 });
const t = await page.evaluate(() => window.__t);
const med = (v) => { const s = [...v].sort((a, b) => a - b); return s[s.length >> 1]; };
console.log('beforeFrame (command+events) median', med(t.before).toFixed(2), 'frame (main loop) median', med(t.frame).toFixed(2));
for (const [k, v] of Object.entries(t.calls)) console.log(k, 'n', v.length, 'median', med(v).toFixed(3), 'sum/frame', (v.reduce((a, b) => a + b, 0) / t.frame.length).toFixed(3));
await browser.close(); server.close();

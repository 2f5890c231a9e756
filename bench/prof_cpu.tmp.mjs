import { launch, serve } from '../tests/browser/harness.mjs';
const server = await serve('dist');
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
const page = await context.newPage();
await page.goto(server.url + 'index.html#lesson=mlp&preset=large&level=train_step');
await page.waitForFunction(() => window.stepwise && window.stepwise.getState() && window.stepwise.getState().frames > 20, null, { timeout: 60000 });
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await page.evaluate(() => { window.__n = 0; const tick = () => { window.stepwise.command({ cmd: 'step', n: 10 }); if (++window.__n < 200) requestAnimationFrame(tick); }; requestAnimationFrame(tick); });
await cdp.send('Profiler.start');
await page.waitForFunction(() => window.__n >= 200, null, { timeout: 120000 });
const { profile } = await cdp.send('Profiler.stop');
const self = new Map(), byId = new Map();
for (const n of profile.nodes) byId.set(n.id, n);
const dt = profile.timeDeltas; const counts = new Map();
profile.samples.forEach((id, i) => counts.set(id, (counts.get(id) || 0) + (dt[i] || 0)));
let total = 0;
for (const [id, us] of counts) { const n = byId.get(id); const name = n.callFrame.functionName || '(anon ' + n.callFrame.url.split('/').pop() + ')'; self.set(name, (self.get(name) || 0) + us); total += us; }
// inclusive: parent map
const parent = new Map(); for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
const incl = new Map();
for (const [id, us] of counts) { const seen = new Set(); for (let x = id; x !== undefined; x = parent.get(x)) { const n = byId.get(x); const name = n.callFrame.functionName || '(anon)'; if (seen.has(name)) continue; seen.add(name); incl.set(name, (incl.get(name) || 0) + us); } }
console.log('total ms', (total / 1000).toFixed(1), 'per frame', (total / 1000 / 200).toFixed(2));
console.log('--- self');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((100 * v / total).toFixed(1).padStart(5), k);
console.log('--- inclusive');
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log((100 * v / total).toFixed(1).padStart(5), k.slice(0, 120));
await browser.close(); server.close();

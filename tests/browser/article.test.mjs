// The example article (web/examples/article.html) as a test fixture: embeds
// render, the article's own keys and wheel keep working, off-screen embeds
// pause, the JS API and postMessage drive the lessons, a message from a
// disallowed origin is ignored, and no request leaves the origin.
//   usage: node article.test.mjs DIST_DIR [SHOT_DIR]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { check, failed, launch, pngStats, serve, until } from './harness.mjs';

const dist = process.argv[2];
const shots = process.argv[3] || dist;
const server = await serve(dist);
const origin = new URL(server.url).origin;
const browser = await launch();

const state = (page, id) => page.evaluate((i) => document.getElementById(i).getState(), id);

try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const errors = [], foreign = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  context.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url()); });
  await page.goto(server.url + 'examples/article.html');

  // The first embed is on screen at load; it renders and starts at the given step.
  check(await until(page, () => { const e = document.getElementById('conv-demo'); return e.getState() && e.getState().frames > 3; }),
        'the conv element starts');
  let s = await state(page, 'conv-demo');
  check(s.lesson === 'conv' && s.step === 12 && s.params.kernel_preset === 'laplacian', `conv element at step ${s.step} with its attributes`);
  const convShot = await page.locator('#conv-demo').screenshot();
  writeFileSync(path.join(shots, 'article-conv.png'), convShot);
  check((await pngStats(page, convShot)).colours > 100, 'conv embed is not blank');

  // Off-screen: the batch-norm element further down is paused (its frame counter stands still).
  const bnBefore = await page.evaluate(() => { const s = document.getElementById('bn-demo').getState(); return s ? s.frames : 0; });
  await page.waitForTimeout(800);
  const bnAfter = await page.evaluate(() => { const s = document.getElementById('bn-demo').getState(); return s ? s.frames : 0; });
  check(bnAfter === bnBefore, `off-screen element paused (frames ${bnBefore} → ${bnAfter})`);
  const convFrames = (await state(page, 'conv-demo')).frames;
  await page.waitForTimeout(300);
  check((await state(page, 'conv-demo')).frames > convFrames, 'on-screen element keeps rendering');

  // Typing into the article's own field: the text arrives, no lesson steps.
  await page.locator('#notes').click();
  await page.keyboard.type('eps keeps 1/sqrt(var) finite');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Space');
  const notes = await page.locator('#notes').inputValue();
  // Backspace removed the "e", ← moved the caret before the "t", Space inserted a blank there.
  check(notes === 'eps keeps 1/sqrt(var) fini t', `typing, Backspace, ← and Space all reach the article field: "${notes}"`);
  check((await state(page, 'conv-demo')).step === 12, 'article typing does not step the lesson');

  // Wheel over the embed scrolls the article.
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.locator('#conv-demo').boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4);
  const y0 = await page.evaluate(() => window.scrollY);
  await page.mouse.wheel(0, 500);
  await until(page, (y) => window.scrollY > y, y0, 3000);
  const y1 = await page.evaluate(() => window.scrollY);
  check(y1 > y0, `wheel over an embed scrolls the article (${y0} → ${y1})`);

  // Keys reach a playground only once it has focus.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('#conv-demo').click({ position: { x: 20, y: box.height - 20 } });
  await page.keyboard.press('ArrowRight');
  check(await until(page, () => document.getElementById('conv-demo').getState().step === 13),
        'a focused playground steps with →');

  // The JS API and its events.
  await page.evaluate(() => {
    const el = document.getElementById('conv-demo');
    window.__events = [];
    for (const n of ['step', 'change', 'error']) el.addEventListener(n, (e) => window.__events.push(n));
  });
  await page.evaluate(() => document.getElementById('conv-demo').seek(40));
  s = await state(page, 'conv-demo');
  check(s.step === 40, 'seek(40)');
  await page.evaluate(() => document.getElementById('conv-demo').step(-2));
  check((await state(page, 'conv-demo')).step === 38, 'step(-2)');
  await page.evaluate(() => document.getElementById('conv-demo').setParams({ stride: 2, kernel: 'box' }));
  s = await state(page, 'conv-demo');
  check(s.params.stride[0] === 2 && s.params.kernel_preset === 'box' && s.params.H === 8,
        'setParams merges into the current parameters');
  await page.evaluate(() => document.getElementById('conv-demo').setParams({ stride: 'wide' }));
  const events = await page.evaluate(() => window.__events);
  check(events.includes('step') && events.includes('change') && events.includes('error'),
        `events fired: ${[...new Set(events)].join(', ')}`);
  await page.evaluate(() => document.getElementById('conv-demo').play());
  check(await until(page, () => document.getElementById('conv-demo').getState().playing), 'play()');
  await page.evaluate(() => document.getElementById('conv-demo').pause());
  check(!(await state(page, 'conv-demo')).playing, 'pause()');

  // The iframe, driven by postMessage from the article (same origin: allowed).
  await page.locator('#svm-frame').scrollIntoViewIfNeeded();
  const svmFrame = page.frames().find((f) => f.url().includes('lesson=svm'));
  check(!!svmFrame && await until(svmFrame, () => window.stepwise && window.stepwise.getState() && window.stepwise.getState().frames > 3),
        'the iframe embed starts');
  const before = await svmFrame.evaluate(() => window.stepwise.getState().step);
  await page.locator('#svm-step').click();
  check(await until(svmFrame, (b) => window.stepwise.getState().step > b, before), 'postMessage from the article steps the iframe');
  check(await until(page, () => /step \d+/.test(document.getElementById('svm-status').textContent)),
        'the iframe reports back to the article');
  const frameShot = await page.locator('#svm-frame').screenshot();
  writeFileSync(path.join(shots, 'article-iframe.png'), frameShot);
  check((await pngStats(page, frameShot)).colours > 100, 'iframe embed is not blank');

  // The third embed renders once scrolled into view.
  await page.locator('#bn-demo').scrollIntoViewIfNeeded();
  check(await until(page, () => { const s = document.getElementById('bn-demo').getState(); return s && s.frames > 5; }),
        'the scrolled-to element resumes');
  const bnShot = await page.locator('#bn-demo').screenshot();
  writeFileSync(path.join(shots, 'article-third.png'), bnShot);
  check((await pngStats(page, bnShot)).colours > 100, 'third embed is not blank');

  check(errors.length === 0, 'no console errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  check(foreign.length === 0, 'no request leaves the origin' + (foreign.length ? ': ' + foreign.join(' ') : ''));
  await context.close();

  // A page on another origin (localhost vs 127.0.0.1) frames the playground
  // without being allowed: its commands are ignored.
  const other = await browser.newPage();
  await other.goto(server.url.replace('127.0.0.1', 'localhost') + 'index.html');
  await other.evaluate((src) => {
    const f = document.createElement('iframe');
    f.src = src;
    f.style.width = '800px';
    f.style.height = '500px';
    // On screen: Chromium does not render an off-screen cross-origin frame,
    // and the landing page is taller than the viewport.
    f.style.position = 'fixed';
    f.style.top = '0';
    f.style.left = '0';
    document.body.appendChild(f);
  }, server.url + 'index.html#lesson=conv&embed=1');
  let foreignFrame = null;
  for (let i = 0; i < 100 && !foreignFrame; i++) {
    foreignFrame = other.frames().find((f) => f.url().startsWith(server.url + 'index.html'));
    if (!foreignFrame) await other.waitForTimeout(50);
  }
  check(await until(foreignFrame, () => window.stepwise && window.stepwise.getState() && window.stepwise.getState().frames > 2),
        'framed by another origin, the playground still runs');
  await other.evaluate(() => document.querySelector('iframe').contentWindow.postMessage(
    { type: 'stepwise', cmd: 'seek', step: 25 }, '*'));
  await other.waitForTimeout(500);
  check((await foreignFrame.evaluate(() => window.stepwise.getState().step)) === 0,
        'a command from a disallowed origin is ignored');
  await other.close();
} finally {
  await browser.close();
  server.close();
}
process.exit(failed() ? 1 : 0);

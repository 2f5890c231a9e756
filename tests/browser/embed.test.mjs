// Embedding details in headless Chromium: deep links round-trip for every
// lesson, exports (PNG, JSON, a NumPy program that reproduces the numbers),
// theme "auto", prefers-reduced-motion, the live region, touch taps, and a
// 2× light-theme screenshot of each lesson.   usage: node embed.test.mjs DIST [SHOTS]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { check, failed, launch, pngStats, serve, until } from './harness.mjs';

const dist = process.argv[2];
const shots = process.argv[3] || dist;
const server = await serve(dist);
const browser = await launch();


// A page holding one element, built from the site's own files (no inline script needed).
async function elementPage(options, attrs) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + 'examples/article.html');  // loads stepwise.js
  await page.evaluate((a) => {
    document.body.innerHTML = '';
    const el = document.createElement('stepwise-playground');
    el.id = 'x';
    for (const [k, v] of Object.entries(a)) el.setAttribute(k, v);
    document.body.appendChild(el);
  }, attrs);
  await until(page, () => { const e = document.getElementById('x'); return e.getState() && e.getState().frames > 3; });
  return { page, context, errors, state: () => page.evaluate(() => document.getElementById('x').getState()) };
}

try {
  // ---- deep links round-trip for every lesson the engine has
  const probe = await elementPage({}, { lesson: 'conv' });
  const lessons = (await probe.state()).lessons;
  await probe.context.close();
  check(lessons.includes('conv'), `lessons: ${lessons.join(', ')}`);
  for (const lesson of lessons) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
    const a = await ctx.newPage();
    await a.goto(server.url + `index.html#lesson=${lesson}`);
    await until(a, () => window.stepwise && window.stepwise.getState() && window.stepwise.getState().frames > 3);
    await a.evaluate(() => { window.stepwise.step(7); window.stepwise.pause(); });
    const s1 = await a.evaluate(() => window.stepwise.getState());
    const shot = await a.screenshot();
    writeFileSync(path.join(shots, `lesson-${lesson}-light-2x.png`), shot);
    check((await pngStats(a, shot)).colours > 200, `${lesson}: light 2× screenshot is not blank`);
    const b = await ctx.newPage();
    await b.goto(server.url + 'index.html#' + s1.hash);
    await until(b, () => window.stepwise && window.stepwise.getState() && window.stepwise.getState().frames > 3);
    const s2 = await b.evaluate(() => window.stepwise.getState());
    check(s2.lesson === lesson && s2.step === s1.step && JSON.stringify(s2.params) === JSON.stringify(s1.params) &&
          s2.hash === s1.hash, `${lesson}: deep link round-trips (step ${s2.step})`);
    await b.evaluate(() => { location.hash = '#lesson=' + window.stepwise.getState().lesson + '&step=-4&seed=%00%ff&zzz=1'; });
    await until(b, () => window.stepwise.getState().notice !== '');
    const s3 = await b.evaluate(() => window.stepwise.getState());
    check(/zzz/.test(s3.notice) && s3.frames > 0, `${lesson}: malformed link reported: "${s3.notice.slice(0, 90)}…"`);
    await ctx.close();
  }

  // ---- exports from the element
  const ex = await elementPage({}, { lesson: 'conv', params: 'H=6&W=7&C=2&F=2&act=relu&input=random&kernel=random&seed=9', step: '20' });
  const png = await ex.page.evaluate(async () => {
    const blob = await document.getElementById('x').exportPNG();
    const bytes = new Uint8Array(await blob.arrayBuffer());
    return { type: blob.type, size: bytes.length, magic: Array.from(bytes.slice(1, 4)) };
  });
  check(png.type === 'image/png' && png.size > 2000 && String.fromCharCode(...png.magic) === 'PNG',
        `exportPNG gives a PNG (${png.size} bytes)`);
  const exported = await ex.page.evaluate(() => document.getElementById('x').exportJSON());
  check(exported.state.step === 20 && exported.job.lesson === 'conv' && exported.result.output.shape.length === 3 &&
        Array.isArray(exported.trace) && exported.trace.length === exported.result.steps,
        `exportJSON: state, job, result and ${exported.trace && exported.trace.length} trace records`);
  const snippet = await ex.page.evaluate(() => document.getElementById('x').pythonSnippet());
  const py = JSON.parse(execFileSync('/usr/bin/python3', ['-c', snippet], { encoding: 'utf8' }));
  const maxDiff = Math.max(...py.output.data.map((v, i) => Math.abs(v - exported.result.output.data[i])));
  check(JSON.stringify(py.output.shape) === JSON.stringify(exported.result.output.shape) && maxDiff < 1e-5,
        `the NumPy snippet reproduces the engine's numbers (max |diff| ${maxDiff.toExponential(1)})`);
  check(/torch/.test(snippet), 'the snippet carries the PyTorch equivalent');

  // ---- the live region describes each step in words
  await ex.page.evaluate(() => document.getElementById('x').step(1));
  await until(ex.page, () => /running sum|bias|ReLU/.test(document.getElementById('x').shadowRoot.querySelector('.live').textContent));
  const words = await ex.page.evaluate(() => document.getElementById('x').shadowRoot.querySelector('.live').textContent);
  check(/^Output \d+, row \d+, column \d+: /.test(words), `live region: "${words}"`);
  check(ex.errors.length === 0, 'no console errors while exporting');
  await ex.context.close();

  // ---- theme "auto" follows prefers-color-scheme
  const dark = await elementPage({ colorScheme: 'dark' }, { lesson: 'conv', theme: 'auto' });
  check((await dark.state()).theme === 'dark', 'theme="auto" is dark under prefers-color-scheme: dark');
  await dark.page.emulateMedia({ colorScheme: 'light' });
  check(await until(dark.page, () => document.getElementById('x').getState().theme === 'light'),
        'and follows a switch to light');
  await dark.context.close();

  // ---- autoplay, and prefers-reduced-motion turning it off
  const moving = await elementPage({}, { lesson: 'conv', autoplay: '' });
  check((await moving.state()).playing, 'autoplay plays');
  await moving.context.close();
  const calm = await elementPage({ reducedMotion: 'reduce' }, { lesson: 'conv', autoplay: '' });
  check(!(await calm.state()).playing, 'prefers-reduced-motion disables autoplay');
  await calm.context.close();

  // ---- touch: a tap on the picture steps; a tap on a button is a click
  const touch = await elementPage({ hasTouch: true, isMobile: true, viewport: { width: 800, height: 600 } },
                                  { lesson: 'conv', height: '560' });
  const box = await touch.page.locator('#x').boundingBox();
  await touch.page.touchscreen.tap(box.x + box.width * 0.5, box.y + box.height * 0.55);
  check(await until(touch.page, () => document.getElementById('x').getState().step === 1), 'a tap on the picture steps forward');
  check(touch.errors.length === 0, 'no console errors with touch');
  await touch.context.close();

  // ---- touch: a finger on an SVM point drags it in any direction (the page
  // does not scroll); a vertical swipe anywhere else scrolls the article.
  const svmTouch = await elementPage({ hasTouch: true, isMobile: true, viewport: { width: 800, height: 600 } },
                                     { lesson: 'svm', height: '560' });
  const tp = svmTouch.page;
  await tp.evaluate(() => {
    const spacer = document.createElement('div');
    spacer.style.height = '3000px';
    document.body.appendChild(spacer);
  });
  const cdp = await svmTouch.context.newCDPSession(tp);
  const swipe = async (x, y, dx, dy) => {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    for (let k = 1; k <= 10; ++k) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x + dx * k / 10, y: y + dy * k / 10 }] });
      await tp.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  };
  const canvasAt = () => tp.evaluate(() => {
    const r = document.getElementById('x').shadowRoot.querySelector('canvas').getBoundingClientRect();
    return { x: r.left, y: r.top, h: r.height };
  });
  let st = await svmTouch.state();
  let co = await canvasAt();
  const q = st.view.points_screen[0];
  await swipe(co.x + q[0], co.y + q[1], 0, 60);  // straight down: a pan if nothing grabbed it
  const scrolledByDrag = await tp.evaluate(() => window.scrollY);
  st = await svmTouch.state();
  const q2 = st.view.points_screen[0];
  check(scrolledByDrag === 0 && q2[1] - q[1] > 40 && Math.abs(q2[0] - q[0]) < 4,
        `a finger on point 0 drags it down ${(q2[1] - q[1]).toFixed(0)} px; the page stays (scrollY ${scrolledByDrag})`);
  co = await canvasAt();
  await swipe(co.x + 20, co.y + co.h - 30, 0, -200);  // the formula panel: nothing to drag
  const scrolledBySwipe = await until(tp, () => window.scrollY > 50);
  check(scrolledBySwipe, `a swipe elsewhere on the playground scrolls the article (scrollY ${await tp.evaluate(() => window.scrollY)})`);
  check(svmTouch.errors.length === 0, 'no console errors with touch drags');
  await svmTouch.context.close();
} finally {
  await browser.close();
  server.close();
}
process.exit(failed() ? 1 : 0);

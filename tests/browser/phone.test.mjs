// Readers on phones (issue 14): every registered lesson at 360×740 and
// 320×640 CSS px, device scale 3, with touch — as the full page and embedded
// in an article. getState().layout (measured by the engine from ImGui's own
// content and clip rectangles) must report no sideways overflow and nothing
// cut; the parameters' drawer opens and closes from its labelled button (a
// 40 px touch target, as is every transport control); a tap on the picture
// steps; a swipe over an embed scrolls the article. Screenshots go to SHOTS.
//   usage: node phone.test.mjs DIST_DIR [SHOT_DIR]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { check, failed, launch, serve, until } from './harness.mjs';

const dist = process.argv[2];
const shots = process.argv[3] || dist;
const server = await serve(dist);
const browser = await launch();
const SIZES = [{ width: 360, height: 740 }, { width: 320, height: 640 }];

async function phone(size) {
  const context = await browser.newContext({ viewport: size, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

// The playground element of the page (the full page's or the article's).
const STATE = (sel) => document.querySelector(sel).getState();

// Waits for `n` more frames of the element, then returns its state.
async function settled(page, sel, n = 3) {
  const f0 = await page.evaluate((s) => document.querySelector(s).getState().frames, sel);
  await until(page, ([s, f]) => document.querySelector(s).getState().frames >= f, [sel, f0 + n], 20000);
  return page.evaluate(STATE, sel);
}

async function canvasBox(page, sel) {
  return page.evaluate((s) => {
    const r = document.querySelector(s).shadowRoot.querySelector('canvas').getBoundingClientRect();
    return { x: r.left, y: r.top, width: r.width, height: r.height };
  }, sel);
}

function fits(s, what) {
  const l = s.layout;
  check(l && typeof l.width === 'number' && l.width > 0 && l.width < 640 && l.height > 0,
        `${what}: layout reports the narrow size (${l && l.width}×${l && l.height})`);
  check(l && l.overflow_x === false && l.clipped === false,
        `${what}: nothing overflows sideways or is cut` + (s.layout_note ? ` (${s.layout_note})` : ''));
}

// A tap on the formula panel (text only: no widget there) steps forward.
async function tapSteps(page, sel, what) {
  const box = await canvasBox(page, sel);
  const before = (await page.evaluate(STATE, sel)).step;
  await page.touchscreen.tap(box.x + box.width * 0.5, box.y + box.height - 24);
  check(await until(page, ([s, b]) => document.querySelector(s).getState().step === b + 1, [sel, before], 10000),
        `${what}: a tap on the picture's formula steps forward (${before} → ${(await page.evaluate(STATE, sel)).step})`);
}

// Opens and closes the parameters' drawer with taps on its button.
async function drawer(page, sel, what, shot) {
  let s = await settled(page, sel);
  const d = s.drawer;
  check(d && d.open === false && d.button[2] >= 40 && d.button[3] >= 40,
        `${what}: a closed drawer with a button of at least 40×40 px (${d && d.button.map(Math.round)})`);
  if (!d) return;
  const box = await canvasBox(page, sel);
  const at = [box.x + d.button[0] + d.button[2] / 2, box.y + d.button[1] + d.button[3] / 2];
  await page.touchscreen.tap(...at);
  check(await until(page, (q) => { const x = document.querySelector(q).getState().drawer; return x && x.open; }, sel, 10000),
        `${what}: a tap on "Parameters" opens the drawer`);
  s = await settled(page, sel);
  fits(s, what + ' (drawer open)');
  writeFileSync(path.join(shots, shot), await page.screenshot());
  const d2 = s.drawer;
  if (!d2 || !d2.open) return check(false, `${what}: a second tap closes the drawer (it never opened)`);
  await page.touchscreen.tap(box.x + d2.button[0] + d2.button[2] / 2, box.y + d2.button[1] + d2.button[3] / 2);
  check(await until(page, (q) => { const x = document.querySelector(q).getState().drawer; return x && !x.open; }, sel, 10000),
        `${what}: a second tap ("Close parameters") closes it`);
}

try {
  // The registry, as the landing page knows it: a new lesson is covered without editing this file.
  const probe = await phone(SIZES[0]);
  await probe.page.goto(server.url + 'index.html');
  await until(probe.page, () => window.stepwise && window.stepwise.lessons(), null, 60000);
  const all = (await probe.page.evaluate(() => window.stepwise.lessons())).map((l) => l.name);
  check(all.length >= 4, `lessons: ${all.join(', ')}`);
  // PHONE_LESSONS=conv,svm runs only those (while working on one lesson's layout).
  const only = process.env.PHONE_LESSONS ? process.env.PHONE_LESSONS.split(',') : null;
  const lessons = only ? all.filter((n) => only.includes(n)) : all;
  await probe.context.close();

  for (const size of SIZES) {
    const tag = `${size.width}x${size.height}`;
    for (const name of lessons) {
      // ---- the full page
      {
        const { context, page, errors } = await phone(size);
        const sel = '#playground';
        await page.goto(server.url + 'index.html#lesson=' + name);
        await until(page, (s) => { const e = document.querySelector(s); return e && e.getState() && e.getState().frames > 5; }, sel, 60000);
        const s = await settled(page, sel);
        const what = `${name} page ${tag}`;
        check(s.lesson === name, `${what}: loads`);
        const docW = await page.evaluate(() => document.documentElement.scrollWidth);
        check(docW <= size.width, `${what}: the page itself does not scroll sideways (${docW} px)`);
        fits(s, what);
        writeFileSync(path.join(shots, `phone-${name}-page-${tag}.png`), await page.screenshot());
        await drawer(page, sel, what, `phone-${name}-drawer-${tag}.png`);
        await tapSteps(page, sel, what);
        check(errors.length === 0, `${what}: no console errors` + (errors.length ? ': ' + errors.join(' | ') : ''));
        await context.close();
      }
      // ---- embedded in an article (default panels: transport and formula)
      {
        const { context, page, errors } = await phone(size);
        const sel = '#x';
        await page.goto(server.url + 'examples/article.html');  // loads stepwise.js
        await page.evaluate((lesson) => {
          const p = (t) => { const e = document.createElement('p'); e.textContent = t; return e; };
          const words = 'A paragraph of the article around the playground, long enough to wrap. '.repeat(6);
          document.body.innerHTML = '';
          document.body.append(p(words));
          const el = document.createElement('stepwise-playground');
          el.id = 'x';
          el.setAttribute('lesson', lesson);
          el.setAttribute('height', '520');
          document.body.append(el);
          for (let i = 0; i < 12; ++i) document.body.append(p(words));
        }, name);
        await until(page, () => { const e = document.getElementById('x'); return e.getState() && e.getState().frames > 3; }, null, 60000);
        const what = `${name} embed ${tag}`;
        const s = await settled(page, sel);
        check(s.lesson === name && s.drawer === null, `${what}: loads, no drawer without the parameters panel`);
        fits(s, what);
        const el = await page.locator(sel).boundingBox();
        writeFileSync(path.join(shots, `phone-${name}-embed-${tag}.png`),
                      await page.screenshot({ clip: { x: 0, y: Math.max(0, el.y - 8), width: size.width, height: Math.min(el.height + 16, size.height) } }));
        // Wholly on screen for the tap (a touch off the viewport reaches nothing).
        await page.evaluate(() => document.getElementById('x').scrollIntoView({ block: 'start' }));
        await tapSteps(page, sel, what);
        await page.evaluate(() => window.scrollTo(0, 0));
        // A swipe up over the picture scrolls the article (the canvas pans vertically).
        const box = await canvasBox(page, sel);
        const y0 = await page.evaluate(() => window.scrollY);
        const cdp = await context.newCDPSession(page);
        const x = box.x + box.width / 2, y = box.y + box.height * 0.5;
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
        for (let k = 1; k <= 10; ++k) {
          await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y - 18 * k }] });
          await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
        }
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
        check(await until(page, (y) => window.scrollY > y + 50, y0, 5000),
              `${what}: a swipe over the playground scrolls the article (${y0} → ${await page.evaluate(() => window.scrollY)})`);
        // With the parameters asked for, the drawer works in an embed too.
        await page.evaluate(() => document.getElementById('x').setAttribute('panels', 'params,transport,formula'));
        await page.evaluate(() => document.getElementById('x').scrollIntoView({ block: 'start' }));
        await until(page, () => document.getElementById('x').getState().drawer !== null, null, 10000);
        await drawer(page, sel, what, `phone-${name}-embed-drawer-${tag}.png`);
        check(errors.length === 0, `${what}: no console errors` + (errors.length ? ': ' + errors.join(' | ') : ''));
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(failed() ? 1 : 0);

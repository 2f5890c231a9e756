// Scroll-driven tours and button tours in headless Chromium, on the example
// article web/examples/tour.html: two sticky playgrounds, each with its own
// markers (one marker with invalid params), and a third with a tour attribute.
// Scrolling each marker to the middle of the viewport moves its playground to
// the marker's step through the steps between, applies its params and level
// and shows its caption; scrolling back moves it back, to its attributes above
// the first marker. The invalid marker is reported through the error event and
// the rest applied. Under prefers-reduced-motion the move is one jump. The
// tour's Previous/Next buttons go through its stops.
//   usage: node tour.test.mjs DIST_DIR [SHOT_DIR]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { check, failed, launch, serve, until } from './harness.mjs';

const dist = process.argv[2];
const shots = process.argv[3] || dist;
const server = await serve(dist);
const browser = await launch();

async function openArticle(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  // Every element's error events and the steps it passes through.
  await page.addInitScript(() => {
    window.__errors = {};
    window.__steps = {};
    document.addEventListener('DOMContentLoaded', () => {
      for (const el of document.querySelectorAll('stepwise-playground')) {
        window.__errors[el.id] = [];
        window.__steps[el.id] = [];
        el.addEventListener('error', (e) => window.__errors[el.id].push(String(e.detail)));
        el.addEventListener('step', (e) => window.__steps[el.id].push(e.detail.step));
      }
    });
  });
  await page.goto(server.url + 'examples/tour.html');
  await page.waitForFunction(() => [...document.querySelectorAll('stepwise-playground')].every(
    (el) => el.getState() !== null), null, { timeout: 90000 });
  return { context, page, errors };
}

const stateOf = (page, id) => page.evaluate((i) => document.getElementById(i).getState(), id);

// Scrolls so that marker k of a target sits just above (or, going back, just below) the middle.
async function scrollToMarker(page, id, k, above = true) {
  await page.evaluate(([i, n, up]) => {
    const m = document.querySelectorAll(`[data-stepwise-target="${i}"]`)[n];
    const top = m.getBoundingClientRect().top + window.scrollY;
    window.scrollTo(0, top - window.innerHeight / 2 + (up ? 20 : -20));
  }, [id, k, above]);
}

async function markersOf(page, id) {
  return page.evaluate((i) => [...document.querySelectorAll(`[data-stepwise-target="${i}"]`)].map((m) => ({
    step: Number(m.dataset.stepwiseStep), params: m.dataset.stepwiseParams || '',
    level: m.dataset.stepwiseLevel || '', caption: m.dataset.stepwiseCaption || '' })), id);
}

try {
  const { context, page, errors } = await openArticle();
  for (const id of ['conv-story', 'optim-story']) {
    const marks = await markersOf(page, id);
    const start = (await stateOf(page, id)).step;
    check(start === 0, `${id}: starts at its step attribute (0)`);
    // Down through every marker.
    for (let k = 0; k < marks.length; ++k) {
      const m = marks[k];
      await page.evaluate((i) => { window.__steps[i] = []; }, id);
      await scrollToMarker(page, id, k);
      const ok = await until(page, ([i, step, caption]) => {
        const s = document.getElementById(i).getState();
        return s.step === step && s.caption === caption;
      }, [id, m.step, m.caption], 8000);
      const s = await stateOf(page, id);
      const passed = await page.evaluate((i) => window.__steps[i], id);
      check(ok, `${id} marker ${k + 1}: step ${s.step} (want ${m.step}), caption "${s.caption.slice(0, 40)}…"`);
      const between = passed.filter((v) => v !== m.step).length;
      if (Math.abs(m.step - (k ? marks[k - 1].step : start)) > 3)
        check(between >= 2, `${id} marker ${k + 1}: passes through ${between} steps between`);
      if (m.level) check(s.level === m.level, `${id} marker ${k + 1}: level ${s.level}`);
      if (m.params && !/nope/.test(m.params)) {
        const [key, value] = m.params.split('=');
        check(new URLSearchParams(s.hash).get(key) === value, `${id} marker ${k + 1}: ${m.params} applied (${s.hash.slice(0, 60)}…)`);
      }
      if (/nope/.test(m.params)) {
        const errs = await page.evaluate((i) => window.__errors[i], id);
        check(errs.some((e) => /stride/.test(e) && /kernel/.test(e)),
              `${id}: the invalid marker is reported: ${errs[errs.length - 1]}`);
        check(new URLSearchParams(s.hash).get('stride') === '2,2' || new URLSearchParams(s.hash).get('stride') === '2',
              `${id}: the invalid fields leave the rest as they were (${new URLSearchParams(s.hash).get('stride')})`);
      }
      if (k === 1) writeFileSync(path.join(shots, `tour-${id}.png`), await page.screenshot());
    }
    // And back up, marker by marker, to the attributes above the first.
    for (let k = marks.length - 2; k >= -1; --k) {
      await scrollToMarker(page, id, k + 1, false);
      const want = k >= 0 ? marks[k].step : start;
      const caption = k >= 0 ? marks[k].caption : '';
      const ok = await until(page, ([i, step, c]) => {
        const s = document.getElementById(i).getState();
        return s.step === step && s.caption === c;
      }, [id, want, caption], 8000);
      const s = await stateOf(page, id);
      check(ok, `${id} back above marker ${k + 2}: step ${s.step} (want ${want}), caption "${s.caption.slice(0, 30)}"`);
    }
  }
  // The other playground did not move with conv-story's markers.
  check((await page.evaluate(() => window.__errors['optim-story'])).length === 0,
        'optim-story: no errors from its markers');

  // The tour: Previous/Next buttons in the element.
  const tour = await page.evaluate(() => JSON.parse(document.getElementById('bn-tour').getAttribute('tour')));
  await page.evaluate(() => document.getElementById('bn-tour').scrollIntoView());
  let s = await stateOf(page, 'bn-tour');
  check(await page.evaluate(() => document.getElementById('bn-tour').tourIndex) === 0 &&
        s.caption === tour[0].caption && s.step === tour[0].step, `tour: stop 1 of ${tour.length}: "${s.caption}"`);
  const button = (which) => page.locator(`#bn-tour .tour .${which}`);
  check(await button('prev').isDisabled(), 'tour: Previous is disabled at the first stop');
  for (let k = 1; k < tour.length; ++k) {
    await button('next').click();
    await until(page, ([step, c]) => { const t = document.getElementById('bn-tour').getState();
                                       return t.step === step && t.caption === c; }, [tour[k].step, tour[k].caption], 8000);
    s = await stateOf(page, 'bn-tour');
    check(s.step === tour[k].step && s.caption === tour[k].caption, `tour: Next → stop ${k + 1}: step ${s.step}`);
  }
  check(s.params.momentum === 0.5, `tour: the last stop's params applied (momentum ${s.params.momentum})`);
  check(await button('next').isDisabled(), 'tour: Next is disabled at the last stop');
  writeFileSync(path.join(shots, 'tour-buttons.png'), await page.screenshot());
  await button('prev').click();
  await until(page, (step) => document.getElementById('bn-tour').getState().step === step, tour[tour.length - 2].step, 8000);
  s = await stateOf(page, 'bn-tour');
  check(s.step === tour[tour.length - 2].step, `tour: Previous → step ${s.step}`);
  const bad = await page.evaluate(() => document.getElementById('bn-tour').tour([{ step: -1 }]));
  check(/step/.test(bad) && (await page.evaluate(() => document.getElementById('bn-tour').tourIndex)) === tour.length - 2,
        `tour: an invalid list is refused and the tour kept: "${bad}"`);
  // Any other move during a glide ends it: before, the glide's next frame
  // sought back over a seek (or over the return above the first marker).
  await page.evaluate(() => document.getElementById('conv-story').goToStop({ step: 25 }));
  await page.waitForTimeout(200);
  const mid = (await stateOf(page, 'conv-story')).step;
  await page.evaluate(() => document.getElementById('conv-story').seek(2));
  await page.waitForTimeout(1500);
  s = await stateOf(page, 'conv-story');
  check(mid !== 25 && mid !== 2 && s.step === 2, `a seek during a glide ends it: step ${s.step} (want 2; mid-glide ${mid})`);
  check(errors.length === 0, 'no console errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  await context.close();

  // prefers-reduced-motion: one jump, no steps between.
  const reduced = await openArticle({ reducedMotion: 'reduce' });
  await reduced.page.evaluate(() => { window.__steps['conv-story'] = []; });
  await scrollToMarker(reduced.page, 'conv-story', 1);
  await until(reduced.page, () => document.getElementById('conv-story').getState().step === 9, null, 8000);
  const passed = await reduced.page.evaluate(() => window.__steps['conv-story']);
  check(passed.length >= 1 && passed.every((v) => v === 1 || v === 9),
        `reduced motion: straight to the marker's step (steps seen: ${passed.join(', ')})`);
  await reduced.context.close();
} finally {
  await browser.close();
  server.close();
}
process.exit(failed() ? 1 : 0);

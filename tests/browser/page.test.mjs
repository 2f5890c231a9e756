// Browser test of the built site in headless Chromium: the page loads, the
// canvas is not blank, keyboard stepping advances the lesson (observed
// through window.stepwise.getState()), the canvas is HiDPI-crisp, and the
// console stays free of errors.   usage: node page.test.mjs DIST_DIR [SHOT_DIR]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { check, failed, launch, openPage, pngStats, serve } from './harness.mjs';

const dist = process.argv[2];
const shots = process.argv[3] || dist;
const server = await serve(dist);
const browser = await launch();

// Input is handled on the next animation frame, which software WebGL may
// delay: wait for the expected state (up to 10 s) instead of a fixed sleep.
async function settle(page, predicate) {
  try {
    await page.waitForFunction(predicate, null, { timeout: 10000, polling: 50 });
  } catch (e) { /* the check that follows reports the state */ }
  return page.evaluate(() => window.stepwise.getState());
}

const open = (scale, hash) => openPage(browser, server, hash, scale);

try {
  const { page, errors, context } = await open(1, '#lesson=conv');
  const state = () => page.evaluate(() => window.stepwise.getState());
  let s = await state();
  check(s.lesson === 'conv', 'lesson from the hash is conv');
  check(s.step === 0 && s.steps > 100, `starts at step 0 of ${s.steps}`);

  const shot = await page.screenshot();
  writeFileSync(path.join(shots, 'page-light-1x.png'), shot);
  const st = await pngStats(page, shot);
  check(st.colours > 200 && st.dominant < 0.9, `canvas is not blank (${st.colours} colours)`);

  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  s = await settle(page, () => window.stepwise.getState().step === 3);
  check(s.step === 3, `→ three times: step ${s.step}`);
  check(s.op && s.op.kind === 'mac' && /^out\[0,0,0\] \+= /.test(s.op.formula),
        `current op formula: ${s.op && s.op.formula}`);
  await page.keyboard.press('ArrowLeft');
  check((await settle(page, () => window.stepwise.getState().step === 2)).step === 2, '← steps back');
  await page.keyboard.press('End');
  s = await settle(page, () => { const t = window.stepwise.getState(); return t.step === t.steps; });
  check(s.step === s.steps, 'End jumps to the last step');
  await page.keyboard.press('Home');
  await settle(page, () => window.stepwise.getState().step === 0);
  await page.keyboard.press('Space');
  s = await settle(page, () => window.stepwise.getState().step > 0);
  check(s.playing && s.step > 0, `Space plays (step ${s.step})`);
  await page.keyboard.press('Space');
  const mid = await page.screenshot();
  writeFileSync(path.join(shots, 'page-playing-1x.png'), mid);
  check(errors.length === 0, 'no console errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  await context.close();

  // A deep link restores the step; a malformed one is reported and the page keeps working.
  const deep = await open(1, '#lesson=conv&H=8&W=8&input=edges&kernel=laplacian&act=relu&winograd=1&step=137');
  s = await deep.page.evaluate(() => window.stepwise.getState());
  check(s.step === 137 && s.params.H === 8 && s.params.kernel_preset === 'laplacian' &&
        s.params.activation === 'relu' && s.params.winograd === true,
        `deep link restores the lesson at step ${s.step}`);
  writeFileSync(path.join(shots, 'page-deeplink-1x.png'), await deep.page.screenshot());
  await deep.page.evaluate(() => { location.hash = '#lesson=conv&H=banana&stride=0&step=3'; });
  s = await settle(deep.page, () => window.stepwise.getState().step === 3);
  check(/H='banana' ignored/.test(s.notice) && /stride='0' ignored/.test(s.notice) && s.step === 3 &&
        s.params.H === 10, `malformed hash: "${s.notice}"`);
  await deep.page.keyboard.press('ArrowRight');
  check((await settle(deep.page, () => window.stepwise.getState().step === 4)).step === 4,
        'still steps afterwards');
  check(deep.errors.length === 0, 'no console errors with deep links');
  await deep.context.close();

  // HiDPI: the backing store is twice the CSS size at device scale factor 2.
  const hi = await open(2, '#lesson=conv&theme=light');
  const dims = await hi.page.evaluate(() => {
    const c = document.getElementById('playground').shadowRoot.querySelector('canvas');
    return { w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight };
  });
  check(dims.w === 2 * dims.cw && dims.h === 2 * dims.ch,
        `2× backing store (${dims.w}×${dims.h} for ${dims.cw}×${dims.ch} CSS px)`);
  await hi.page.keyboard.press('ArrowRight');
  await settle(hi.page, () => window.stepwise.getState().step === 1);
  const shot2 = await hi.page.screenshot();
  writeFileSync(path.join(shots, 'page-light-2x.png'), shot2);
  check((await pngStats(hi.page, shot2)).colours > 200, 'HiDPI canvas is not blank');
  check(hi.errors.length === 0, 'no console errors at 2×');
  await hi.context.close();
} finally {
  await browser.close();
  server.close();
}
process.exit(failed() ? 1 : 0);

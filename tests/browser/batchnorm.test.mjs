// Browser test of the batch-norm lesson in headless Chromium: the lesson
// opens from the hash, the canvas is not blank, the keyboard steps through
// the ops (getState().step advances, the op formula carries the numbers),
// the element level moves x̂ and y together, typing into a cell changes the
// batch, deep links apply and bad fields are reported, the large preset
// (4096 × 256, its grids drawn as GPU textures) opens from its link, no
// console errors.
//   usage: node batchnorm.test.mjs DIST_DIR [SHOT_DIR]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { check, failed, frames, launch, openPage, pngStats, press, serve } from './harness.mjs';

const dist = process.argv[2];
const shots = process.argv[3] || dist;
const server = await serve(dist);
const browser = await launch();

// Input is handled on the next animation frame, which software WebGL may
// delay: wait for the expected state (up to 10 s) instead of a fixed sleep.
async function settle(page, predicate, arg) {
  try {
    await page.waitForFunction(predicate, arg, { timeout: 10000, polling: 50 });
  } catch (e) { /* the check that follows reports the state */ }
  return page.evaluate(() => window.stepwise.getState());
}

const open = (hash) => openPage(browser, server, hash);

try {
  const { page, errors, context } = await open('#lesson=batchnorm');
  const state = () => page.evaluate(() => window.stepwise.getState());
  let s = await state();
  check(s.lesson === 'batchnorm', 'lesson from the hash is batchnorm');
  // Default: 8 samples × 2 channels, training: 2·(4·8 + 5) operations.
  check(s.step === 0 && s.steps === 74, `starts at step 0 of ${s.steps}`);
  check(s.params.mode === 'train' && s.params.convention === 'pytorch' && s.params.epsilon === 1e-5 &&
        s.params.momentum === 0.1, 'defaults: training, PyTorch, ε 1e-5, momentum 0.1');

  const shot = await page.screenshot();
  writeFileSync(path.join(shots, 'batchnorm-light-1x.png'), shot);
  const st = await pngStats(page, shot);
  check(st.colours > 200 && st.dominant < 0.9, `canvas is not blank (${st.colours} colours)`);

  for (let i = 0; i < 3; ++i) {
    const before = s.step;
    s = await press(page, 'ArrowRight', (b) => window.stepwise.getState().step > b, before);
  }
  check(s.step >= 3 && s.step <= 6, `→ three times: step ${s.step}`);
  // The formula is the op just applied: the sum of channel 0 over sample step − 1.
  check(s.op && s.op.kind === 'sum' &&
        new RegExp(`^Σx\\[0\\] \\+= x\\[${s.step - 1},0\\] = \\S+ \\+ \\S+ → \\S+$`).test(s.op.formula),
        `current op formula: ${s.op && s.op.formula}`);
  const at = s.step;
  s = await press(page, 'ArrowLeft', (b) => window.stepwise.getState().step < b, at);
  check(s.step < at, `← steps back to ${s.step}`);

  // The element level: from the start of channel 0's normalisation (step 2M+3 = 19)
  // one press applies x̂ and y of the first element together.
  await page.evaluate(() => { window.stepwise.command({ cmd: 'seek', step: 19 });
                              window.stepwise.command({ cmd: 'level', level: 1 }); });
  await settle(page, () => window.stepwise.getState().level === 'element');
  s = await press(page, 'ArrowRight', () => window.stepwise.getState().step > 19);
  // Element steps never stop between an element's x̂ and its y.
  check((s.step === 21 || s.step === 23) && s.level === 'element' && s.op.kind === 'affine' &&
        new RegExp(`^y\\[${(s.step - 21) / 2},0\\] = γ\\[0\\]·x̂\\[${(s.step - 21) / 2},0\\] \\+ β\\[0\\] = `).test(s.op.formula),
        `element step to ${s.step}: ${s.op && s.op.formula}`);
  writeFileSync(path.join(shots, 'batchnorm-normalising-1x.png'), await page.screenshot());

  s = await press(page, 'End', () => { const t = window.stepwise.getState(); return t.step === t.steps; });
  check(s.step === s.steps && s.op.kind === 'running_var', `End: the last op updates the running variance`);

  // Type a value into the input cell x[3,0]: click it, select, type, Enter.
  const g = s.view.grid;  // canvas coordinates; the page puts a toolbar above the canvas
  const origin = await page.evaluate(() => {
    const r = document.getElementById('playground').shadowRoot.querySelector('canvas').getBoundingClientRect();
    return { x: r.left, y: r.top };
  });
  await page.mouse.move(origin.x + g.x + g.cell_w / 2, origin.y + g.y + 3.5 * g.cell_h);
  await frames(page);
  await page.mouse.down();
  await frames(page);
  await page.mouse.up();
  await frames(page);
  await page.keyboard.down('Control');
  await press(page, 'a');
  await page.keyboard.up('Control');
  await page.keyboard.type('9');
  await frames(page);
  s = await press(page, 'Enter', () => window.stepwise.getState().params.edited === true);
  check(s.params.edited === true, 'typing into a cell edits the batch');
  await page.evaluate(() => window.stepwise.command({ cmd: 'seek', step: 4 }));
  s = await settle(page, () => window.stepwise.getState().step === 4);
  check(s.op && / \+ 9\.00 → /.test(s.op.formula), `the typed value is summed: ${s.op && s.op.formula}`);
  writeFileSync(path.join(shots, 'batchnorm-edited-1x.png'), await page.screenshot());
  check(errors.length === 0, 'no console errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  await context.close();

  // A deep link: feature maps, inference, Keras, a step.
  const deep = await open('#lesson=batchnorm&N=4&C=3&H=3&W=3&preset=outlier&mode=inference&convention=keras&step=6');
  s = await deep.page.evaluate(() => window.stepwise.getState());
  check(s.step === 6 && s.params.spatial && s.params.H === 3 && s.params.mode === 'inference' &&
        s.params.convention === 'keras' && s.params.epsilon === 1e-3 && s.params.momentum === 0.99,
        `deep link restores the lesson at step ${s.step}`);
  check(s.op && /^x̂\[0,0,0,2\] = \(x\[0,0,0,2\] − moving_mean\[0\]\) \/ σ\[0\] = /.test(s.op.formula),
        `inference op: ${s.op && s.op.formula}`);
  const shot2 = await deep.page.screenshot();
  writeFileSync(path.join(shots, 'batchnorm-deeplink-1x.png'), shot2);
  check((await pngStats(deep.page, shot2)).colours > 200, 'deep-linked canvas is not blank');
  // Malformed fields are reported one by one; the rest applies and stepping still works.
  await deep.page.evaluate(() => { location.hash = '#lesson=batchnorm&N=abc&epsilon=0&C=3&step=3'; });
  s = await settle(deep.page, () => window.stepwise.getState().step === 3 &&
                                    window.stepwise.getState().params.C === 3);
  check(/N='abc' ignored/.test(s.notice) && /epsilon='0' ignored/.test(s.notice) && s.params.N === 8 &&
        s.params.C === 3 && s.params.epsilon === 1e-5, `malformed hash: "${s.notice}"`);
  s = await press(deep.page, 'ArrowRight', () => window.stepwise.getState().step > 3);
  check(s.step > 3, 'still steps afterwards');
  check(deep.errors.length === 0, 'no console errors with deep links');
  await deep.context.close();

  // The large preset: 4096 samples × 256 channels from its deep link.
  const large = await open('#lesson=batchnorm&preset=large');
  s = await large.page.evaluate(() => window.stepwise.getState());
  check(s.params.N === 4096 && s.params.C === 256 && s.params.preset === 'large' &&
        s.steps === 256 * (4 * 4096 + 5) && !s.notice,
        `large preset: ${s.params.N}×${s.params.C}, ${s.steps} steps, notice "${s.notice}"`);
  await large.page.evaluate(() => window.stepwise.command({ cmd: 'seek', step: 1e15 }));
  s = await settle(large.page, () => { const t = window.stepwise.getState(); return t.step === t.steps; });
  await frames(large.page, 3);
  const shot3 = await large.page.screenshot();
  writeFileSync(path.join(shots, 'batchnorm-large-1x.png'), shot3);
  const st3 = await pngStats(large.page, shot3);
  check(s.step === s.steps && st3.colours > 200 && st3.dominant < 0.9,
        `large preset at its last step: canvas not blank (${st3.colours} colours)`);
  check(/preset=large/.test(s.hash) && /N=4096&C=256/.test(s.hash), `large preset link: ${s.hash.slice(0, 80)}`);
  check(large.errors.length === 0, 'no console errors at 4096 × 256' +
        (large.errors.length ? ': ' + large.errors.join(' | ') : ''));
  await large.context.close();
} finally {
  await browser.close();
  server.close();
}
process.exit(failed() ? 1 : 0);

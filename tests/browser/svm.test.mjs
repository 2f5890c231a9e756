// Browser test of the SVM lesson in headless Chromium: the lesson opens from
// the hash, the canvas is not blank, the keyboard steps through the
// operations (getState().step advances, the formula carries the numbers),
// dragging a point with the mouse changes the solution, a click adds a point
// and a right-click deletes it, deep links apply and bad fields are reported,
// and the console stays free of errors.   usage: node svm.test.mjs DIST_DIR [SHOT_DIR]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { canvasOrigin, check, failed, frames, launch, loseAndRestoreContext, openPage, pixel, pngStats, press, serve, until } from './harness.mjs';

const dist = process.argv[2];
const shots = process.argv[3] || dist;
const server = await serve(dist);
const browser = await launch();

const state = (page) => page.evaluate(() => window.stepwise.getState());

const open = (hash) => openPage(browser, server, hash);

// The decision field is drawn by a fragment shader: blue where f < 0, red where f > 0.
async function fieldColours(page, label) {
  const s = await state(page);
  const o = await canvasOrigin(page);
  const pl = s.view.plane;
  const shot = await page.screenshot();
  writeFileSync(path.join(shots, `svm-field-${label}.png`), shot);
  // Corners of the plane, away from the axis labels: (−, −) and (+, +) of the data.
  const low = await pixel(page, shot, o.x + pl.left + 30, o.y + pl.bottom - 30);
  const high = await pixel(page, shot, o.x + pl.right - 30, o.y + pl.top + 30);
  return { low, high, ok: low.b > low.r + 20 && high.r > high.b + 20 };
}

try {
  const { page, errors, context } = await open('#lesson=svm');
  let s = await state(page);
  check(s.lesson === 'svm', 'lesson from the hash is svm');
  // 40 points, 10 epochs of 6·40 + 1 operations.
  check(s.step === 0 && s.steps === 2410, `starts at step 0 of ${s.steps}`);
  check(s.params.C === 1 && s.params.n === 40 && s.params.schedule === 'decay' && s.params.epochs === 10 &&
        s.params.exact.converged === true, 'defaults: C 1, 40 points, decay schedule, 10 epochs, exact solution');
  await until(page, () => window.stepwise.getState().view.plane !== undefined);
  s = await state(page);

  const shot = await page.screenshot();
  writeFileSync(path.join(shots, 'svm-light-1x.png'), shot);
  const st = await pngStats(page, shot);
  check(st.colours > 200 && st.dominant < 0.9, `canvas is not blank (${st.colours} colours)`);

  for (let i = 0; i < 3; ++i) {
    const before = s.step;
    s = await press(page, 'ArrowRight', (b) => window.stepwise.getState().step > b, before);
  }
  check(s.step >= 3 && s.step <= 6, `→ three times: step ${s.step}`);
  check(s.op && ['hinge', 'subgrad', 'update_w', 'update_b'].includes(s.op.kind) && /\d/.test(s.op.formula),
        `current op: ${s.op && s.op.kind}: ${s.op && s.op.formula}`);
  const at = s.step;
  s = await press(page, 'ArrowLeft', (b) => window.stepwise.getState().step < b, at);
  check(s.step < at, `← steps back to ${s.step}`);
  // One sample at the sample level is six operations.
  await page.evaluate(() => { window.stepwise.command({ cmd: 'seek', step: 0 });
                              window.stepwise.command({ cmd: 'level', level: 1 }); });
  await until(page, () => window.stepwise.getState().level === 'sample');
  s = await press(page, 'ArrowRight', () => window.stepwise.getState().step > 0);
  check(s.step === 6 && s.op.kind === 'update_b' && s.params.w[0] !== 0,
        `sample level: one press applies a whole sample (step ${s.step}, w = ${s.params.w})`);
  writeFileSync(path.join(shots, 'svm-stepping-1x.png'), await page.screenshot());

  // Drag point 0 across the plane with the mouse: the exact optimum follows.
  const before = s.params.exact;
  const origin = await canvasOrigin(page);
  const p0 = s.view.points_screen[0];
  const plane = s.view.plane;
  const from = { x: origin.x + p0[0], y: origin.y + p0[1] };
  // Towards the plane's centre: into the other class's side of the boundary.
  const to = { x: origin.x + (plane.left + plane.right) / 2 - 40, y: origin.y + (plane.top + plane.bottom) / 2 + 30 };
  await page.mouse.move(from.x, from.y);
  await frames(page, 2);
  await page.mouse.down();
  await frames(page, 2);
  for (let k = 1; k <= 8; ++k) {
    await page.mouse.move(from.x + (to.x - from.x) * k / 8, from.y + (to.y - from.y) * k / 8);
    await frames(page, 1);
  }
  await page.mouse.up();
  await until(page, (w) => { const t = window.stepwise.getState();
                             return t.params.exact.w[0] !== w[0] || t.params.exact.w[1] !== w[1]; }, before.w);
  s = await state(page);
  const moved = s.view.points_screen[0];
  check(Math.hypot(moved[0] + origin.x - to.x, moved[1] + origin.y - to.y) < 4,
        `point 0 followed the mouse to (${moved.map((v) => v.toFixed(0))})`);
  check(s.params.preset === 'custom' && s.params.n === 40 && s.params.exact.converged &&
        (s.params.exact.w[0] !== before.w[0] || s.params.exact.w[1] !== before.w[1]) &&
        s.params.exact.objective !== before.objective,
        `dragging changed the solution: w* (${before.w.map((v) => v.toFixed(3))}) → ` +
        `(${s.params.exact.w.map((v) => v.toFixed(3))}), P* ${before.objective.toFixed(4)} → ` +
        `${s.params.exact.objective.toFixed(4)}`);
  check(s.step === 6, `the learner stays at step ${s.step} while the trace is rebuilt`);
  check(/preset=custom&pts=/.test(s.hash), 'the hash carries the edited points');
  writeFileSync(path.join(shots, 'svm-dragged-1x.png'), await page.screenshot());

  // The exports describe the edited set: the job, its result and trace; the Python
  // program, run here, reproduces the result (SGD replays the engine bit for bit).
  const exported = await page.evaluate(() => window.stepwise.exportJSON());
  check(exported.job.lesson === 'svm' && exported.job.points.length === 40 &&
        exported.trace.length === s.steps && exported.trace[s.steps - 3].vector[0] === exported.result.w[0],
        `JSON export: job with ${exported.job.points.length} points, ${exported.trace.length} trace records`);
  const program = await page.evaluate(() => window.stepwise.pythonSnippet());
  const py = spawnSync('/usr/bin/python3', ['-c', program], { encoding: 'utf8', timeout: 60000 });
  const ran = py.status === 0 ? JSON.parse(py.stdout) : {};
  check(py.status === 0 && ran.w && ran.w[0] === exported.result.w[0] && ran.w[1] === exported.result.w[1] &&
        ran.b === exported.result.b, `the Python export reproduces w = (${exported.result.w}), b = ${exported.result.b}` +
        (py.status === 0 ? '' : ': ' + py.stderr.slice(-300)));

  // A click on empty space adds a point; a right-click on it deletes it again.
  const spot = { x: origin.x + plane.left + 25, y: origin.y + plane.top + 25 };
  await page.mouse.move(spot.x, spot.y);
  await frames(page, 2);
  await page.mouse.down();
  await frames(page, 1);
  await page.mouse.up();
  s = await (await until(page, () => window.stepwise.getState().params.n === 41), state(page));
  check(s.params.n === 41, `click adds a point (n = ${s.params.n})`);
  await page.mouse.down({ button: 'right' });
  await frames(page, 1);
  await page.mouse.up({ button: 'right' });
  await until(page, () => window.stepwise.getState().params.n === 40);
  s = await state(page);
  check(s.params.n === 40, `right-click deletes it (n = ${s.params.n})`);
  check(errors.length === 0, 'no console errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  await context.close();

  // A deep link: 2000 overlapping points, the exact optimum decorated, at a step.
  const deep = await open('#lesson=svm&preset=overlap&n=2000&C=10&solver=exact&step=5000&level=sample&theme=dark');
  s = await state(deep.page);
  check(s.step === 5000 && s.params.n === 2000 && s.params.C === 10 && s.params.solver === 'exact' &&
        s.level === 'sample' && s.params.exact.converged, `deep link restores the lesson at step ${s.step}`);
  const dshot = await deep.page.screenshot();
  writeFileSync(path.join(shots, 'svm-deeplink-dark-1x.png'), dshot);
  check((await pngStats(deep.page, dshot)).colours > 200, 'deep-linked canvas is not blank');
  await deep.page.evaluate(() => { location.hash = '#lesson=svm&C=-1&n=abc&schedule=adam&step=7'; });
  s = await (await until(deep.page, () => window.stepwise.getState().step === 7), state(deep.page));
  check(/C='-1' ignored/.test(s.notice) && /n='abc' ignored/.test(s.notice) && /schedule='adam' ignored/.test(s.notice) &&
        s.params.C === 1 && s.params.n === 40 && s.step === 7, `malformed hash: "${s.notice}"`);
  check(deep.errors.length === 0, 'no console errors with deep links');
  await deep.context.close();

  // A point dragged among 10,000 with the mouse: "Copy link" gives a link that
  // restores every point (as an edit list over the preset) and the solution.
  const big = await open('#lesson=svm&preset=overlap&n=10000&C=10&level=sample&step=60');
  await until(big.page, () => window.stepwise.getState().view.plane !== undefined);
  s = await state(big.page);
  const bo = await canvasOrigin(big.page);
  const q0 = s.view.points_screen[0];
  const bp = s.view.plane;
  const dragTo = { x: bo.x + bp.left + 30, y: bo.y + bp.top + 30 };  // a corner: empty space
  await big.page.mouse.move(bo.x + q0[0], bo.y + q0[1]);
  await frames(big.page, 2);
  await big.page.mouse.down();
  await frames(big.page, 2);
  for (let k = 1; k <= 6; ++k) {
    await big.page.mouse.move(bo.x + q0[0] + (dragTo.x - bo.x - q0[0]) * k / 6,
                              bo.y + q0[1] + (dragTo.y - bo.y - q0[1]) * k / 6);
    await frames(big.page, 1);
  }
  await big.page.mouse.up();
  await until(big.page, () => /&moved=/.test(window.stepwise.getState().hash));
  s = await state(big.page);
  check(/preset=overlap&n=10000&seed=1&moved=\d+,[-\d.e]+,[-\d.e]+&C=10&/.test(s.hash) && !s.link_note,
        `the dragged point travels as an edit: ${s.hash.slice(0, 90)}…`);
  await big.page.click('#copy-link');
  await until(big.page, () => /#lesson=svm/.test(document.getElementById('message').textContent));
  const copied = await big.page.evaluate(() => document.getElementById('message').textContent);
  const link = copied.slice(copied.indexOf('http'));
  check(link.endsWith('#' + s.hash), `"Copy link" shows the link (${copied.slice(0, 40)}…)`);
  const sent = await big.page.evaluate(() => window.stepwise.exportJSON().job);
  const fresh = await open(link.slice(link.indexOf('#')));
  const t = await state(fresh.page);
  const got = await fresh.page.evaluate(() => window.stepwise.exportJSON().job);
  check(t.hash === s.hash && t.notice === '' && t.step === s.step, `the link opens without a message at step ${t.step}`);
  check(JSON.stringify(got.points) === JSON.stringify(sent.points) &&
        JSON.stringify(got.labels) === JSON.stringify(sent.labels) && got.points.length === 10000,
        `all ${got.points.length} points and labels restored exactly`);
  check(t.params.w[0] === s.params.w[0] && t.params.w[1] === s.params.w[1] && t.params.b === s.params.b,
        `SGD (w, b) identical: (${t.params.w}), ${t.params.b}`);
  // The original was warm-started through the drag, the restored one solved cold.
  const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  check(close(t.params.exact.w[0], s.params.exact.w[0]) && close(t.params.exact.w[1], s.params.exact.w[1]) &&
        close(t.params.exact.b, s.params.exact.b),
        `exact (w*, b*) the same: (${t.params.exact.w}), ${t.params.exact.b} vs (${s.params.exact.w}), ${s.params.exact.b}`);
  check(big.errors.length === 0 && fresh.errors.length === 0, 'no console errors around the 10,000-point link');
  await big.context.close();
  await fresh.context.close();

  // The field shader: drawn, and rebuilt after the WebGL context is lost and restored.
  const gl = await open('#lesson=svm&step=2410');
  await until(gl.page, () => window.stepwise.getState().view.plane !== undefined);
  await frames(gl.page, 2);
  let f = await fieldColours(gl.page, 'before');
  check(f.ok, `decision field: blue where f < 0 (${JSON.stringify(f.low)}), red where f > 0 (${JSON.stringify(f.high)})`);
  await loseAndRestoreContext(gl.page);
  f = await fieldColours(gl.page, 'restored');
  check(f.ok, `after a lost and restored context the field draws again (${JSON.stringify(f.low)}, ${JSON.stringify(f.high)})`);
  check(gl.errors.length === 0, 'no console errors around the context loss' + (gl.errors.length ? ': ' + gl.errors.join(' | ') : ''));
  await gl.context.close();
} finally {
  await browser.close();
  server.close();
}
process.exit(failed() ? 1 : 0);

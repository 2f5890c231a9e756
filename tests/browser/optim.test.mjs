// Browser test of the optimizer lesson in headless Chromium: the lesson opens
// from the hash and the shader-drawn surface is not blank; the keyboard steps
// operations and whole updates; a click on the plane sets the start (at the
// data coordinates under the mouse) while a drag pans without moving it; on
// the regression surface a click on the data plot adds a point and a
// right-click deletes it; a malformed hash is reported and changes nothing;
// the PyTorch export, run here, reproduces the page's paths; no console errors.
//   usage: node optim.test.mjs DIST_DIR [SHOT_DIR]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { canvasOrigin, check, failed, frames, launch, openPage, pngStats, press, serve, until } from './harness.mjs';

const dist = process.argv[2];
const shots = process.argv[3] || dist;
const server = await serve(dist);
const browser = await launch();

const state = (page) => page.evaluate(() => window.stepwise.getState());
const open = (hash, scale = 1) => openPage(browser, server, hash, scale);

async function click(page, x, y, button = 'left') {
  await page.mouse.move(x, y);
  await frames(page, 2);
  await page.mouse.down({ button });
  await frames(page, 1);
  await page.mouse.up({ button });
  await frames(page, 2);
}

try {
  const { page, errors, context } = await open('#lesson=optim', 2);
  let s = await state(page);
  check(s.lesson === 'optim' && s.params.preset === 'valley' && s.params.surface.name === 'quadratic' &&
        s.params.optimizers.length === 2, `lesson optim, preset valley, ${s.params.optimizers.length} optimizers`);
  await until(page, () => window.stepwise.getState().view.plane !== undefined);
  const shot = await page.screenshot();
  writeFileSync(path.join(shots, 'optim-valley-2x.png'), shot);
  const st = await pngStats(page, shot);
  check(st.colours > 300 && st.dominant < 0.8, `canvas is not blank (${st.colours} colours)`);

  // Operations: the first is a gradient component with its numbers.
  s = await press(page, 'ArrowRight', () => window.stepwise.getState().step === 1);
  check(s.step === 1 && /∂f\/∂x/.test(s.op.formula) && /\d/.test(s.op.formula),
        `step 1: ${s.op && s.op.formula}`);
  await page.evaluate(() => window.stepwise.command({ cmd: 'level', level: 1 }));
  await until(page, () => window.stepwise.getState().level === 'update');
  s = await press(page, 'ArrowRight', () => window.stepwise.getState().step > 1);
  check(s.params.now.every((r) => r.updates === 1), `update level: one press completes update 1 for every racer`);
  s = await press(page, 'ArrowLeft', (b) => window.stepwise.getState().step < b, s.step);
  check(s.params.now.every((r) => r.updates === 0), `← steps back to update 0 (step ${s.step})`);

  // A click on the plane sets the start there (rounded to 3 digits of the window).
  const o = await canvasOrigin(page);
  const pl = s.view.plane;
  const cx = pl.left + (pl.right - pl.left) * 0.3, cy = pl.top + (pl.bottom - pl.top) * 0.35;
  const want = [pl.x_min + (cx - pl.left) / pl.scale, pl.y_min + (pl.bottom - cy) / pl.scale];
  await click(page, o.x + cx, o.y + cy);
  await until(page, (w) => { const p = window.stepwise.getState().params.start;
                             return Math.abs(p[0] - w[0]) < 0.2 && Math.abs(p[1] - w[1]) < 0.2; }, want);
  s = await state(page);
  check(Math.abs(s.params.start[0] - want[0]) < 0.1 && Math.abs(s.params.start[1] - want[1]) < 0.1,
        `click set the start to (${s.params.start}) near (${want.map((v) => v.toFixed(2))})`);
  check(/start=/.test(s.hash), 'the hash carries the start');

  // A drag pans: the window moves, the start stays.
  const start = s.params.start, xmin = s.view.plane.x_min;
  await page.mouse.move(o.x + cx + 40, o.y + cy + 40);
  await frames(page, 2);
  await page.mouse.down();
  for (let k = 1; k <= 6; ++k) {
    await page.mouse.move(o.x + cx + 40 + 10 * k, o.y + cy + 40);
    await frames(page, 1);
  }
  await page.mouse.up();
  await frames(page, 3);
  s = await state(page);
  check(s.params.start[0] === start[0] && s.params.start[1] === start[1] && s.view.plane.x_min < xmin - 0.1,
        `a drag pans (x from ${xmin.toFixed(2)} to ${s.view.plane.x_min.toFixed(2)}) and keeps the start`);
  check(errors.length === 0, 'no console errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  await context.close();

  // Regression: click the data plot to add a point, right-click it to delete it.
  const reg = await open('#lesson=optim&preset=minibatch&level=update&step=40');
  await until(reg.page, () => window.stepwise.getState().view.data !== undefined);
  s = await state(reg.page);
  const n = s.params.surface.x.length;
  const ro = await canvasOrigin(reg.page);
  const d = s.view.data;
  writeFileSync(path.join(shots, 'optim-minibatch-1x.png'), await reg.page.screenshot());
  // The top-left corner of the data plot is empty (y ≈ 2x + 1 runs bottom-left to top-right).
  await click(reg.page, ro.x + d.left + 12, ro.y + d.top + 12);
  await until(reg.page, (k) => window.stepwise.getState().params.surface.x.length === k + 1, n);
  s = await state(reg.page);
  check(s.params.surface.x.length === n + 1, `click adds a point (n ${n} → ${s.params.surface.x.length})`);
  check(s.step === 40 || s.params.now.some((r) => r.updates > 0), `the learner stays in place (step ${s.step})`);
  await click(reg.page, ro.x + d.left + 12, ro.y + d.top + 12, 'right');
  await until(reg.page, (k) => window.stepwise.getState().params.surface.x.length === k, n);
  s = await state(reg.page);
  check(s.params.surface.x.length === n, `right-click deletes it (n = ${s.params.surface.x.length})`);

  // A malformed hash: reported, nothing changes.
  const before = s.params;
  await reg.page.evaluate(() => { location.hash = '#lesson=optim&preset=minibatch&o1.lr=-1&steps=abc&surface=bowl'; });
  await until(reg.page, () => /ignored/.test(window.stepwise.getState().notice || ''));
  s = await state(reg.page);
  check(/lr/.test(s.notice) && /steps='abc'/.test(s.notice) && /surface='bowl'/.test(s.notice) &&
        s.params.optimizers[0].lr === before.optimizers[0].lr,
        `malformed hash: "${s.notice}" (lr ${before.optimizers[0].lr} → ${s.params.optimizers[0].lr})`);

  // The PyTorch export reproduces the page's paths.
  const exported = await reg.page.evaluate(() => window.stepwise.exportJSON());
  const program = await reg.page.evaluate(() => window.stepwise.pythonSnippet({ framework: 'torch' }));
  const py = spawnSync('/usr/bin/python3', ['-c', program], { encoding: 'utf8', timeout: 120000 });
  let worst = Infinity;
  if (py.status === 0) {
    const ran = JSON.parse(py.stdout);
    worst = 0;
    exported.result.runs.forEach((r, i) => r.path.forEach((p, k) => {
      worst = Math.max(worst, Math.abs(p[0] - ran.runs[i].path[k][0]), Math.abs(p[1] - ran.runs[i].path[k][1]));
    }));
  }
  check(/import torch/.test(program) && worst < 1e-9,
        `the torch.optim export reproduces every path (max difference ${worst})` + (py.status ? ': ' + py.stderr.slice(-300) : ''));
  check(reg.errors.length === 0, 'no console errors' + (reg.errors.length ? ': ' + reg.errors.join(' | ') : ''));
  await reg.context.close();
} finally {
  await browser.close();
  server.close();
}
process.exit(failed() ? 1 : 0);

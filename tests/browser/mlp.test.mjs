// Browser test of the network lesson in headless Chromium: the walk-through
// preset's forward numbers (net_h1 = 0.3775, out_h1 = 0.593269992, computed
// here) appear in the formulas as the learner steps; one training step at the
// "train_step" level completes the first step; live training (Play at the
// step level) lowers the XOR loss; a click on the plane adds a point and a
// right-click deletes it; a malformed hash is reported and changes nothing;
// the element API (setParams, seek) works; the page is not blank; no console
// errors. Screenshots at 1× and 2×.
//   usage: node mlp.test.mjs DIST_DIR [SHOT_DIR]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { canvasOrigin, check, failed, frames, launch, loseAndRestoreContext, openPage, pixels, pngStats, serve, until } from './harness.mjs';

const dist = process.argv[2];
const shots = process.argv[3] || dist;
const server = await serve(dist);
const browser = await launch();
const state = (page) => page.evaluate(() => window.stepwise.getState());

try {
  // The published walk-through: 2-2-2 sigmoid, inputs 0.05 and 0.10.
  const { page, errors, context } = await openPage(browser, server, '#lesson=mlp&preset=walkthrough', 2);
  let s = await state(page);
  check(s.lesson === 'mlp' && s.params.preset === 'walkthrough' && s.params.layers.join() === '2,2,2',
        `lesson mlp, walk-through 2-2-2 (${s.params.layers})`);
  const shot = await page.screenshot();
  writeFileSync(path.join(shots, 'mlp-walkthrough-2x.png'), shot);
  const st = await pngStats(page, shot);
  check(st.colours > 300 && st.dominant < 0.8, `canvas is not blank (${st.colours} colours)`);

  const netH1 = 0.15 * 0.05 + 0.20 * 0.10 + 0.35, outH1 = 1 / (1 + Math.exp(-netH1));
  const formulas = await page.evaluate(() => {
    const out = [];
    for (let k = 1; k <= 12; ++k) { window.stepwise.seek(k); out.push(window.stepwise.getState().op.formula); }
    return out;
  });
  const has = (v, digits) => formulas.some((f) => f.includes(v.toFixed(digits)));
  check(has(netH1, 4), `net_h1 = ${netH1.toFixed(4)} in a formula: ${formulas.slice(0, 4).join(' | ')}`);
  check(has(outH1, 4), `out_h1 = ${outH1.toFixed(4)} in a formula`);

  // One training step at the train_step level.
  await page.evaluate(() => { window.stepwise.seek(0); window.stepwise.command({ cmd: 'level', level: 4 }); });
  await until(page, () => window.stepwise.getState().level === 'train_step');
  await page.evaluate(() => window.stepwise.step(1));
  await until(page, () => window.stepwise.getState().view.trained_steps === 1);
  s = await state(page);
  check(s.view.trained_steps === 1 && s.view.loss_first.toFixed(6) === '0.298371',
        `one press trains one step (${s.view.trained_steps}); the loss before it is 0.298371 (${s.view.loss_first})`);

  // A malformed hash: reported, nothing changes.
  const before = JSON.stringify(s.params);
  const msg = await page.evaluate(() => window.stepwise.applyLink('lesson=mlp&preset=walkthrough&layers=2,99,2&loss=nope'));
  s = await state(page);
  check(/layers|loss/.test(msg) && s.params.layers.join() === '2,2,2', `malformed link reported (${msg})`);
  check(JSON.stringify(s.params) === before || s.params.preset === 'walkthrough', 'the lesson stays the walk-through');
  await context.close();

  // Live training on XOR: Play at the training-step level, fast.
  const x = await openPage(browser, server, '#lesson=mlp&preset=xor&level=train_step', 1);
  await until(x.page, () => window.stepwise.getState().view.plane !== undefined);
  await x.page.evaluate(() => {
    window.__stepEvents = [];
    window.stepwise.addEventListener('step', (e) => window.__stepEvents.push([performance.now(), e.detail.step]));
    window.stepwise.command({ cmd: 'speed', speed: 240 });
    window.stepwise.play();
  });
  check(await until(x.page, () => window.stepwise.getState().view.trained_steps >= 40, null, 30000),
        'live training runs (40 steps)');
  await x.page.evaluate(() => window.stepwise.pause());
  s = await state(x.page);
  // 'step' while playing: at most one every 100 ms (each carries the whole
  // state), and the step where it paused is announced.
  const events = await x.page.evaluate(() => window.__stepEvents);
  const gaps = events.slice(1, -1).map((e, i) => e[0] - events[i][0]);
  check(events.length >= 3 && gaps.every((g) => g >= 95) && events[events.length - 1][1] === s.step,
        `'step' while playing: ${events.length} events, shortest gap ${Math.min(...gaps).toFixed(0)} ms, ` +
        `the last at the paused step (${events[events.length - 1][1]} = ${s.step})`);
  check(s.view.loss_now < 0.9 * s.view.loss_first,
        `the XOR loss falls: ${s.view.loss_first.toFixed(4)} → ${s.view.loss_now.toFixed(4)} after ${s.view.trained_steps} steps`);
  writeFileSync(path.join(shots, 'mlp-xor-trained.png'), await x.page.screenshot());

  // The decision field is the network's forward pass in a fragment shader:
  // at cell centres away from the points, the pixels have the colour of the
  // value the CPU computes there (diverging scale, light theme: colormap.cpp).
  await frames(x.page, 2);
  s = await state(x.page);
  const probes = s.view.field_probes, origin = await canvasOrigin(x.page);
  const field = await x.page.screenshot();
  const stops = [[33, 102, 172], [103, 169, 207], [247, 247, 247], [239, 138, 98], [178, 24, 43]];
  const diverging = (t) => {
    const u = (Math.max(-1, Math.min(1, t)) + 1) * 2, i = Math.min(3, Math.floor(u)), f = u - i;
    return stops[i].map((c, k) => c + (stops[i + 1][k] - c) * f);
  };
  const compare = async (png) => {
    let worst = 0, worstAt = '', signs = 0;
    const colours = await pixels(x.page, png, probes.map((p) => [origin.x + p.x, origin.y + p.y]));
    for (const [k, p] of probes.entries()) {
      const got = colours[k];
      const want = diverging(p.value / p.vmax);
      const d = Math.max(Math.abs(got.r - want[0]), Math.abs(got.g - want[1]), Math.abs(got.b - want[2]));
      if (d > worst) worst = d, worstAt = `value ${p.value.toFixed(3)}: got ${got.r},${got.g},${got.b}, want ${want.map(Math.round)}`;
      if (Math.abs(p.value) > 0.1 && (p.value > 0) === (got.r > got.b)) ++signs;
    }
    return { worst, worstAt, signs };
  };
  let cmp = await compare(field);
  check(probes.length >= 8 && cmp.worst <= 24,
        `field pixels match the CPU's values at ${probes.length} probes (worst difference ${cmp.worst}; ${cmp.worstAt})`);
  check(cmp.signs >= 4, `red where the network says class 1, blue where class 0 (${cmp.signs} clear probes)`);
  // After a lost and restored WebGL context the shader and its textures are built again.
  await loseAndRestoreContext(x.page);
  cmp = await compare(await x.page.screenshot());
  check(cmp.worst <= 24, `the field draws again after a lost and restored context (worst ${cmp.worst}; ${cmp.worstAt})`);

  // Data edits on the plane: a click adds a point, a right-click removes it.
  const n0 = s.params.points, plane = s.view.plane, o = await canvasOrigin(x.page);
  const px = o.x + plane.left + 0.02 * (plane.right - plane.left), py = o.y + plane.top + 0.02 * (plane.bottom - plane.top);
  await x.page.mouse.move(px, py);
  await frames(x.page, 2);
  await x.page.mouse.down();
  await frames(x.page, 1);
  await x.page.mouse.up();
  check(await until(x.page, (n) => window.stepwise.getState().params.points === n + 1, n0), `click adds a point (${n0} → ${n0 + 1})`);
  // The added point, in data coordinates (rounded to 0.01 as the plane does),
  // where the refitted plane now draws it.
  const dx = Math.round((plane.x_min + (px - o.x - plane.left) / (plane.right - plane.left) * (plane.x_max - plane.x_min)) * 100) / 100;
  const dy = Math.round((plane.y_max - (py - o.y - plane.top) / (plane.bottom - plane.top) * (plane.y_max - plane.y_min)) * 100) / 100;
  await frames(x.page, 3);
  const p2 = (await state(x.page)).view.plane;
  await x.page.mouse.move(o.x + p2.left + (dx - p2.x_min) / (p2.x_max - p2.x_min) * (p2.right - p2.left),
                          o.y + p2.top + (p2.y_max - dy) / (p2.y_max - p2.y_min) * (p2.bottom - p2.top));
  await frames(x.page, 2);
  await x.page.mouse.down({ button: 'right' });
  await frames(x.page, 1);
  await x.page.mouse.up({ button: 'right' });
  check(await until(x.page, (n) => window.stepwise.getState().params.points === n, n0), 'right-click deletes it');

  // The element API.
  const err = await x.page.evaluate(() => window.stepwise.setParams({ dropout: 0.5 }));
  s = await state(x.page);
  check(!err && s.params.dropout === 0.5 && s.params.preset === 'xor', `setParams({dropout: 0.5}) (${err || 'ok'})`);
  check(x.errors.length === 0 && errors.length === 0, 'no console errors: ' + [...errors, ...x.errors].join(' | '));
  await x.context.close();
} finally {
  await browser.close();
  server.close();
}
process.exit(failed() ? 1 : 0);

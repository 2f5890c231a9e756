// Browser test of what a learner notices in the three lessons (issue 18):
// each section drives the page as a learner or an article author would and
// asserts what the lesson reports in getState() — the values a screenshot
// would show — so that each fails without its fix.
//   usage: node learner.test.mjs DIST_DIR [SHOT_DIR]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { canvasOrigin, check, failed, frames, launch, openPage, serve, until } from './harness.mjs';

const dist = process.argv[2];
const shots = process.argv[3] || dist;
const server = await serve(dist);
const browser = await launch();

const state = (page) => page.evaluate(() => window.stepwise.getState());

// Collects the element's "error" events in window.__errors.
async function recordErrors(page) {
  await page.evaluate(() => {
    window.__errors = [];
    window.stepwise.addEventListener('error', (e) => window.__errors.push(String(e.detail)));
  });
}

// ---- 5. setParams: no spurious step error, refused fields keep their value,
// messages clear on the next successful change.
async function embedMessages() {
  const { page, errors, context } = await openPage(browser, server, '#lesson=conv');
  await recordErrors(page);
  let s = await state(page);
  const fullSteps = s.steps;
  await page.evaluate(() => window.stepwise.seek(505));
  await page.evaluate(() => window.stepwise.setParams({ stride: 2 }));
  s = await state(page);
  let events = await page.evaluate(() => window.__errors);
  check(s.params.stride[0] === 2 && s.steps < 505 && s.step === s.steps && events.length === 0 && s.notice === '',
        `setParams({stride: 2}) at step 505 of ${fullSteps}: step ${s.step} of ${s.steps}, ` +
        `errors [${events.join(' | ')}], notice "${s.notice}"`);
  // A step named by the author that is past the end is still reported.
  await page.evaluate(() => window.stepwise.setParams({ step: 100000 }));
  events = await page.evaluate(() => window.__errors.splice(0));
  check(events.length === 1 && /step=100000 is past the end/.test(events[0]),
        `an explicit step past the end is reported: [${events.join(' | ')}]`);

  // A refused value keeps the value it had (not the default); the rest applies.
  await page.evaluate(() => window.stepwise.setParams({ stride: 'wide', kernel: 'box', padding: 1 }));
  s = await state(page);
  events = await page.evaluate(() => window.__errors.splice(0));
  check(s.params.stride[0] === 2 && s.params.kernel_preset === 'box' && s.params.padding[0] === 1,
        `a refused stride keeps 2 (stride ${s.params.stride}), kernel ${s.params.kernel_preset}, padding ${s.params.padding}`);
  check(events.length === 1 && /stride='wide' ignored/.test(events[0]) && /stride='wide' ignored/.test(s.notice),
        `the refusal is reported once and shown: [${events.join(' | ')}], notice "${s.notice}"`);
  const shown = await page.evaluate(() => document.getElementById('message').textContent);
  check(/stride='wide'/.test(shown), `the page shows it: "${shown}"`);

  // The next successful change clears it, in the state and on the page.
  await page.evaluate(() => window.stepwise.setParams({ kernel: 'sobel_x' }));
  s = await state(page);
  const cleared = await page.evaluate(() => document.getElementById('message').textContent);
  check(s.notice === '' && cleared === '' && s.params.kernel_preset === 'sobel_x',
        `a successful setParams clears the message: notice "${s.notice}", page "${cleared}"`);

  // A bad deep link, then a change made in the app (the theme): cleared too.
  await page.evaluate(() => window.stepwise.setParams({ H: 'banana' }));
  check(/H='banana'/.test((await state(page)).notice), 'a bad field is shown');
  await page.evaluate(() => window.stepwise.command({ cmd: 'theme', theme: 'dark' }));
  await frames(page, 2);
  s = await state(page);
  const after = await page.evaluate(() => document.getElementById('message').textContent);
  check(s.notice === '' && after === '', `a later change in the app clears it: notice "${s.notice}", page "${after}"`);
  check(errors.length === 0, 'no console errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  await context.close();
}

// ---- 1. SVM: a click on a point pins it (and shows its computation); only a
// drag past a few pixels moves it.
async function svmClickPins() {
  const { page, errors, context } = await openPage(browser, server, '#lesson=svm');
  await until(page, () => window.stepwise.getState().view.plane !== undefined);
  await page.evaluate(() => window.stepwise.seek(30));
  let s = await state(page);
  const o = await canvasOrigin(page);
  const job0 = await page.evaluate(() => window.stepwise.exportJSON().job);
  const at = (i) => ({ x: o.x + s.view.points_screen[i][0], y: o.y + s.view.points_screen[i][1] });
  const click = async (p) => {
    await page.mouse.move(p.x, p.y);
    await frames(page, 2);
    await page.mouse.down();
    await frames(page, 2);
    await page.mouse.up();
    await frames(page, 3);
  };
  // 3 px off the centre, then dead on it.
  await click({ x: at(3).x + 3, y: at(3).y - 2 });
  s = await state(page);
  let job = await page.evaluate(() => window.stepwise.exportJSON().job);
  check(JSON.stringify(job.points) === JSON.stringify(job0.points) && s.params.preset !== 'custom',
        `a click 3 px off point 3 leaves it at (${job.points[3]}) (was (${job0.points[3]})), preset ${s.params.preset}`);
  check(s.view.pinned === 3, `the click pins point 3 (pinned ${s.view.pinned})`);
  // The pinned computation, against w·x + b from the state and the job.
  const [x1, x2] = job0.points[3], y = job0.labels[3];
  const f = s.params.w[0] * x1 + s.params.w[1] * x2 + s.params.b;
  const lines = s.view.pinned_lines || [];
  const num = (t) => Number(t.replace(/−/g, '-'));
  const fShown = lines[1] ? num(lines[1].split(' = ').pop()) : NaN;
  const mShown = lines[2] ? num(lines[2].split(' = ').pop()) : NaN;
  check(lines.length >= 4 && /^f\(x\) = w·x \+ b = /.test(lines[1]) && Math.abs(fShown - f) < 6e-4 &&
        Math.abs(mShown - y * f) < 6e-4,
        `pinned computation: "${lines[1]}" (f = ${f.toFixed(4)}), "${lines[2]}"`);
  writeFileSync(path.join(shots, 'learner-svm-pinned-1x.png'), await page.screenshot());
  await click(at(3));
  s = await state(page);
  job = await page.evaluate(() => window.stepwise.exportJSON().job);
  check(JSON.stringify(job.points) === JSON.stringify(job0.points) && s.view.pinned === -1,
        `a click dead on it leaves it in place and unpins it (pinned ${s.view.pinned})`);
  // A drag of 30 px moves it by 30 px worth of data, without a jump.
  const from = at(5);
  await page.mouse.move(from.x + 2, from.y + 2);
  await frames(page, 2);
  await page.mouse.down();
  await frames(page, 2);
  for (let k = 1; k <= 6; ++k) {
    await page.mouse.move(from.x + 2 + 5 * k, from.y + 2);
    await frames(page, 1);
  }
  await page.mouse.up();
  await until(page, (p) => window.stepwise.exportJSON().job.points[5][0] !== p, job0.points[5][0]);
  s = await state(page);
  job = await page.evaluate(() => window.stepwise.exportJSON().job);
  const dx = job.points[5][0] - job0.points[5][0], dy = job.points[5][1] - job0.points[5][1];
  check(Math.abs(dx - 30 / s.view.plane.scale) < 0.02 && Math.abs(dy) < 0.015 && s.params.preset === 'custom',
        `a 30 px drag moves point 5 by (${dx.toFixed(3)}, ${dy.toFixed(3)}) = 30 px / ${s.view.plane.scale.toFixed(1)} px per unit`);
  check(errors.length === 0, 'no console errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  await context.close();
}

try {
  await embedMessages();
  await svmClickPins();
} finally {
  await browser.close();
  server.close();
}
process.exit(failed() ? 1 : 0);

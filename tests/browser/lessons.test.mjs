// Every registered lesson in the browser, read from the engine's registry —
// a new lesson is covered without editing this file: the landing page shows
// one card per lesson (titles from the registry), and each lesson loads from
// its card's link, draws a non-blank canvas at 1× and 2×, steps forward and
// back at every level, keeps its deep link through a reload, exports JSON
// whose job result agrees with getState(), gives a Python program, and logs
// no console error.   usage: node lessons.test.mjs DIST_DIR [SHOT_DIR]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { check, failed, frames, launch, openPage, pngStats, serve, until } from './harness.mjs';

const dist = process.argv[2];
const shots = process.argv[3] || dist;
const server = await serve(dist);
const browser = await launch();

try {
  // The landing page: its cards are the registry. (The playground is hidden
  // there and draws no frames: wait for the engine and the cards instead.)
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const land = { context, page: await context.newPage(), errors: [] };
  land.page.on('console', (m) => { if (m.type() === 'error') land.errors.push(m.text()); });
  land.page.on('pageerror', (e) => land.errors.push(String(e)));
  await land.page.goto(server.url + 'index.html');
  check(await until(land.page, () => document.querySelectorAll('#cards .card').length > 0, null, 60000),
        'the landing page shows lesson cards');
  const lessons = await land.page.evaluate(() => window.stepwise.lessons());
  const names = (await land.page.evaluate(() => window.stepwise.getState().lessons));
  check(Array.isArray(lessons) && lessons.length >= 3 && lessons.map((l) => l.name).join() === names.join(),
        `lessons() and getState().lessons agree: ${names}`);
  const cards = await land.page.evaluate(() => [...document.querySelectorAll('#cards .card')].map(
      (a) => ({ href: a.getAttribute('href'), title: a.querySelector('.name').textContent })));
  check(cards.length === lessons.length && cards.every((c, i) => c.href === '#lesson=' + lessons[i].name &&
        c.title === lessons[i].title), `one landing card per lesson: ${cards.map((c) => c.title)}`);
  writeFileSync(path.join(shots, 'landing-1x.png'), await land.page.screenshot());
  check(land.errors.length === 0, 'landing: no console errors' + (land.errors.length ? ': ' + land.errors.join(' | ') : ''));
  await land.context.close();

  for (const { name } of lessons) {
    for (const scale of [1, 2]) {
      const { page, errors, context } = await openPage(browser, server, '#lesson=' + name, scale);
      const state = () => page.evaluate(() => window.stepwise.getState());
      let s = await state();
      check(s.lesson === name && s.step === 0 && s.steps > 0, `${name} @${scale}×: loads at step 0 of ${s.steps}`);
      await frames(page, 2);
      const shot = await page.screenshot();
      writeFileSync(path.join(shots, `lesson-${name}-${scale}x.png`), shot);
      const st = await pngStats(page, shot);
      check(st.colours > 100 && st.dominant < 0.95, `${name} @${scale}×: canvas is not blank (${st.colours} colours)`);
      if (scale === 2) {
        check(errors.length === 0, `${name} @2×: no console errors` + (errors.length ? ': ' + errors.join(' | ') : ''));
        await context.close();
        continue;
      }
      // Every level: forward moves to a boundary, back returns.
      const levels = await page.evaluate(() => {
        const out = [];
        for (let l = 0; l < 8; ++l) {
          window.stepwise.command({ cmd: 'level', level: l });
          out.push(window.stepwise.getState().level);
        }
        window.stepwise.command({ cmd: 'level', level: 0 });
        return [...new Set(out)];
      });
      for (let l = 0; l < levels.length; ++l) {
        const r = await page.evaluate((lv) => {
          const e = window.stepwise;
          e.reset();
          e.command({ cmd: 'level', level: lv });
          e.step(1);
          const a = e.getState().step;
          e.step(-1);
          return { a, b: e.getState().step, level: e.getState().level };
        }, l);
        check(r.a > 0 && r.b === 0, `${name}: level ${r.level} steps forward to ${r.a} and back to 0`);
      }
      await page.evaluate(() => { window.stepwise.reset(); window.stepwise.command({ cmd: 'level', level: 0 }); window.stepwise.step(3); });
      s = await state();
      check(s.step === 3 && s.op && s.op.formula.length > 0 && s.op.words.length > 0,
            `${name}: step 3 has a formula and words: ${s.op && s.op.formula}`);
      // The deep link survives a reload.
      const hash = s.hash;
      await page.goto(server.url + 'index.html#' + hash);
      await page.reload();
      await until(page, (h) => window.stepwise && window.stepwise.getState() && window.stepwise.getState().hash === h, hash, 30000);
      const again = await state();
      check(again.hash === hash && again.step === 3, `${name}: the link restores the state (${again.step})`);
      const exp = await page.evaluate(() => window.stepwise.exportJSON());
      check(exp && exp.job && exp.job.lesson === name && exp.result && !exp.result.error && exp.state.lesson === name,
            `${name}: exportJSON has the job and its result` + (exp && exp.result && exp.result.error ? ': ' + exp.result.error : ''));
      const py = await page.evaluate(() => window.stepwise.pythonSnippet());
      check(/import numpy/.test(py) && !/^# \{"error"/.test(py), `${name}: a Python program (${py.length} chars)`);
      check(errors.length === 0, `${name}: no console errors` + (errors.length ? ': ' + errors.join(' | ') : ''));
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(failed() ? 1 : 0);

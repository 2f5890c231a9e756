// Browser test: painting on the input of a large layer (256×256×3, 16
// filters) with the mouse held down rebuilds the lesson on every move and the
// module keeps running. (The canvas once read the replaced trace after an
// edit: the wasm module aborted with "memory access out of bounds".)
//   usage: node paint.test.mjs DIST_DIR
import { check, failed, launch, serve } from './harness.mjs';

const server = await serve(process.argv[2]);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(server.url + 'index.html#lesson=conv&C=3&H=256&W=256&F=16&input=random&kernel=random');
  await page.waitForFunction(() => window.stepwise && window.stepwise.getState() &&
                                   window.stepwise.getState().frames > 5, null, { timeout: 60000, polling: 50 });
  // The whole layer on screen (the last step).
  await page.evaluate(() => window.stepwise.command({ cmd: 'seek', step: 1e15 }));
  await page.waitForFunction(() => { const s = window.stepwise.getState(); return s.step === s.steps; },
                             null, { timeout: 10000, polling: 50 });
  const before = await page.evaluate(() => window.stepwise.getState());
  // view_json() speaks in canvas pixels; the page has a toolbar above the canvas.
  const at = await page.evaluate(() => {
    const r = document.getElementById('playground').shadowRoot.querySelector('canvas').getBoundingClientRect();
    return [r.left, r.top];
  });
  const x0 = before.view.input_map[0] + at[0], y0 = before.view.input_map[1] + at[1], cell = before.view.cell;
  check(cell > 0, `input map at (${x0}, ${y0}), cell ${cell} px`);

  // Press inside input map 0 and drag across it, waiting for a frame after each move.
  const moves = 20;
  await page.mouse.move(x0 + 10, y0 + 10);
  await page.mouse.down();
  let stalled = 0;
  for (let i = 1; i <= moves && !stalled; ++i) {
    const frames = await page.evaluate(() => window.stepwise.getState().frames);
    await page.mouse.move(x0 + 10 + 2 * i, y0 + 10 + (i % 5));
    await page.waitForFunction((f) => window.stepwise.getState().frames > f + 1, frames,
                               { timeout: 10000, polling: 20 }).catch(() => { stalled = i; });
  }
  check(!stalled, stalled ? `frames stopped after move ${stalled}` : 'a frame after every move');
  await page.mouse.up();
  const after = await page.evaluate(() => window.stepwise.getState());
  const rebuilds = after.view.version - before.view.version;
  check(rebuilds >= moves - 2, `${rebuilds} rebuilds for ${moves} moves while painting`);
  check(after.step === after.steps, `still at the last step (${after.step} of ${after.steps})`);
  const frames = after.frames;
  await page.waitForFunction((f) => window.stepwise.getState().frames > f + 5, frames,
                             { timeout: 10000, polling: 50 }).catch(() => {});
  check((await page.evaluate(() => window.stepwise.getState().frames)) > frames + 5, 'frames keep coming');
  check(errors.length === 0, 'no page errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  await context.close();
} finally {
  await browser.close();
  server.close();
}
process.exit(failed() ? 1 : 0);

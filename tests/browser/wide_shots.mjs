// Screenshots of every lesson on wide screens (1280×800 at 1× and 2×, the
// full page) and in a 720×480 embed, for comparing a layout change before
// and after by eye or by pixels.   usage: node wide_shots.mjs DIST_DIR OUT_DIR
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { frames, launch, openPage, serve, until } from './harness.mjs';

const [dist, out] = process.argv.slice(2);
const server = await serve(dist);
const browser = await launch();
try {
  const probe = await openPage(browser, server, '#lesson=conv');
  const lessons = await probe.page.evaluate(() => window.stepwise.getState().lessons);
  await probe.context.close();
  for (const name of lessons) {
    for (const scale of [1, 2]) {
      const { page, context } = await openPage(browser, server, '#lesson=' + name, scale);
      await page.evaluate(() => window.stepwise.step(3));
      await frames(page, 3);
      writeFileSync(path.join(out, `wide-${name}-${scale}x.png`), await page.screenshot());
      await context.close();
    }
    const context = await browser.newContext({ viewport: { width: 800, height: 560 } });
    const page = await context.newPage();
    await page.goto(server.url + 'examples/article.html');
    await page.evaluate((lesson) => {
      document.body.innerHTML = '';
      document.body.style.margin = '0';
      const el = document.createElement('stepwise-playground');
      el.id = 'x';
      el.setAttribute('lesson', lesson);
      el.style.width = '720px';
      el.setAttribute('height', '480');
      document.body.append(el);
    }, name);
    await until(page, () => { const e = document.getElementById('x'); return e.getState() && e.getState().frames > 3; }, null, 60000);
    await page.evaluate(() => document.getElementById('x').step(3));
    await page.waitForTimeout(500);
    writeFileSync(path.join(out, `embed720-${name}.png`), await page.screenshot({ clip: { x: 0, y: 0, width: 720, height: 480 } }));
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}

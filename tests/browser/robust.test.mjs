// Robustness in the browser: the example article under a strict
// Content-Security-Policy, and WebGL context loss and restore without a
// reload.   usage: node robust.test.mjs DIST [SHOTS]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { check, failed, launch, pngStats, serve, until } from './harness.mjs';

const dist = process.argv[2];
const shots = process.argv[3] || dist;
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const strict = await serve(dist, { STEPWISE_CSP: CSP });
const plain = await serve(dist);
const browser = await launch();


try {
  // ---- the example article under a strict CSP: no eval, no inline script or style
  {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    const res = await page.goto(strict.url + 'examples/article.html');
    check(res.headers()['content-security-policy'] === CSP, 'the server sends the strict policy');
    check(await until(page, () => { const e = document.getElementById('conv-demo'); return e.getState() && e.getState().frames > 3; }),
          'the element starts under the strict policy');
    await page.evaluate(() => document.getElementById('conv-demo').step(3));
    check((await page.evaluate(() => document.getElementById('conv-demo').getState().step)) === 15, 'and steps');
    const sized = await page.evaluate(() => document.getElementById('conv-demo').shadowRoot.querySelector('canvas').clientHeight);
    check(sized === 470, `the element's stylesheet applies (canvas height ${sized})`);
    await page.locator('#svm-frame').scrollIntoViewIfNeeded();
    await until(page, () => document.getElementById('svm-frame').contentWindow.location.href.includes('index.html'));
    const svm = page.frames().find((f) => f.url().includes('index.html'));
    check(!!svm && await until(svm, () => window.stepwise && window.stepwise.getState() && window.stepwise.getState().frames > 3),
          'the iframe page starts under the strict policy');
    writeFileSync(path.join(shots, 'article-csp.png'), await page.screenshot());
    check(errors.length === 0, 'no CSP violations or errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
    await page.close();
  }

  // ---- WebGL context loss: a message, then recovery without reloading
  {
    const page = await browser.newPage({ viewport: { width: 1100, height: 750 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(plain.url + 'index.html#lesson=conv&step=30');
    await until(page, () => window.stepwise && window.stepwise.getState() && window.stepwise.getState().frames > 3);
    await page.evaluate(() => {
      const c = document.getElementById('playground').shadowRoot.querySelector('canvas');
      window.__lose = c.getContext('webgl2').getExtension('WEBGL_lose_context');
      window.__marker = 'same page';
      window.__lose.loseContext();
    });
    const overlay = () => page.evaluate(() => {
      const o = document.getElementById('playground').shadowRoot.querySelector('.overlay');
      return { hidden: o.classList.contains('hidden'), text: o.textContent.trim() };
    });
    check(await until(page, () => !document.getElementById('playground').shadowRoot.querySelector('.overlay').classList.contains('hidden')),
          'context loss shows a message');
    check(/graphics context was lost/i.test((await overlay()).text), `message: "${(await overlay()).text}"`);
    await page.evaluate(() => window.__lose.restoreContext());
    check(await until(page, () => document.getElementById('playground').shadowRoot.querySelector('.overlay').classList.contains('hidden')),
          'the message goes away on restore');
    const f0 = await page.evaluate(() => window.stepwise.getState().frames);
    check(await until(page, (f) => window.stepwise.getState().frames > f + 5, f0), 'frames render again');
    await page.evaluate(() => window.stepwise.step(2));
    const s = await page.evaluate(() => window.stepwise.getState());
    check(s.step === 32 && (await page.evaluate(() => window.__marker)) === 'same page', 'same state, no reload');
    // Big maps go through the field shader: it must be rebuilt too.
    await page.evaluate(() => window.stepwise.setParams({ H: 100, W: 100 }));
    await page.waitForTimeout(300);
    const shot = await page.screenshot();
    writeFileSync(path.join(shots, 'context-restored.png'), shot);
    check((await pngStats(page, shot)).colours > 200, 'the restored canvas draws (with GPU-coloured maps)');
    check(errors.length === 0, 'no page errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
    await page.close();
  }
} finally {
  await browser.close();
  strict.close();
  plain.close();
}
process.exit(failed() ? 1 : 0);

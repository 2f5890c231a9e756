// Shared browser-test plumbing: serve dist/ on 127.0.0.1, start Debian's
// chromium through playwright-core (never a downloaded browser) with the
// flags this offline, GPU-less machine needs, and measure screenshots.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function serve(dir, env = {}) {
  const server = spawn('python3', [path.join(here, '../../scripts/serve.py'), dir, '0'],
                       { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error('server exited ' + code)));
  });
  return { url, close: () => server.kill() };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
}

// A PNG read by the page itself (no PNG decoder needed in Node): the colours
// at `points` ([[x, y], …]) and, with `stats`, the number of distinct colours
// and the share of the most common one.
async function readPng(page, png, points, stats) {
  return page.evaluate(async ([b64, points, stats]) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width, c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const at = points.map(([x, y]) => {
      const i = 4 * (Math.round(y) * c.width + Math.round(x));
      return { r: d[i], g: d[i + 1], b: d[i + 2] };
    });
    if (!stats) return { at };
    const counts = new Map();
    for (let i = 0; i < d.length; i += 4) {
      const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      counts.set(k, (counts.get(k) || 0) + 1);
    }
    const top = Math.max(...counts.values());
    return { at, colours: counts.size, dominant: top / (d.length / 4), width: c.width, height: c.height };
  }, [png.toString('base64'), points, stats]);
}

// Distinct colours and the share of the most common one in a PNG.
export async function pngStats(page, png) {
  return readPng(page, png, [], true);
}

// The colours of a screenshot at points [[x, y], …] (CSS px × the scale).
export async function pixels(page, png, points) {
  return (await readPng(page, png, points, false)).at;
}

// The colour of one pixel of a screenshot.
export async function pixel(page, png, x, y) {
  return (await pixels(page, png, [[x, y]]))[0];
}

// Waits for fn(arg) to be true in the page (polling); false after the timeout.
// Input is handled on the next animation frame, which software WebGL may
// delay: tests wait for the expected state instead of sleeping.
export async function until(page, fn, arg, timeout = 15000) {
  try {
    await page.waitForFunction(fn, arg, { timeout, polling: 50 });
    return true;
  } catch (e) {
    return false;
  }
}

// Opens index.html + hash in a fresh 1280×800 context (device pixel ratio
// `scale`) and waits for the app's first frames; console errors and page
// errors are collected in `errors`.
export async function openPage(browser, server, hash, scale = 1) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: scale });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + 'index.html' + hash);
  await page.waitForFunction(() => window.stepwise && window.stepwise.getState() &&
                                   window.stepwise.getState().frames > 5, null, { timeout: 60000 });
  return { page, errors, context };
}

// Waits until the app has drawn `n` more frames (polled on every animation frame).
export async function frames(page, n = 1) {
  const start = await page.evaluate(() => window.stepwise.getState().frames);
  await page.waitForFunction((f) => window.stepwise.getState().frames >= f, start + n,
                             { timeout: 10000, polling: 'raf' });
}

// A key press, then a wait for its effect (predicate(arg) true in the page, up
// to 10 s; without one, two frames) and one more frame; returns getState().
// The page queues input and hands ImGui at most one change per key per frame,
// so a quick press is never lost (and, unlike a held key, never auto-repeats
// on a slow machine).
export async function press(page, key, predicate, arg) {
  await page.keyboard.press(key);
  if (predicate) await until(page, predicate, arg, 10000);
  else await frames(page, 2);
  await frames(page, 1);
  return page.evaluate(() => window.stepwise.getState());
}

let failures = 0;
export function check(cond, what) {
  console.log(`${cond ? 'ok  ' : 'FAIL'} ${what}`);
  if (!cond) failures++;
}
export function failed() { return failures; }

// Where the playground's canvas sits on the page (CSS px): view_json()
// positions are relative to it.
export async function canvasOrigin(page) {
  return page.evaluate(() => {
    const r = document.getElementById('playground').shadowRoot.querySelector('canvas').getBoundingClientRect();
    return { x: r.left, y: r.top };
  });
}

// Loses the page's WebGL context (WEBGL_lose_context), waits for the
// element's overlay, restores it and waits for a few frames drawn again.
export async function loseAndRestoreContext(page) {
  await page.evaluate(() => {
    const c = document.getElementById('playground').shadowRoot.querySelector('canvas');
    window.__lose = c.getContext('webgl2').getExtension('WEBGL_lose_context');
    window.__lose.loseContext();
  });
  await until(page, () => !document.getElementById('playground').shadowRoot.querySelector('.overlay').classList.contains('hidden'));
  await page.evaluate(() => window.__lose.restoreContext());
  await until(page, () => document.getElementById('playground').shadowRoot.querySelector('.overlay').classList.contains('hidden'));
  await frames(page, 5);
}

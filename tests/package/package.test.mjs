// The npm package as an author gets it: scripts/package.sh builds and packs it
// from a web build; the tarball is installed without network into an empty
// folder; tsc type-checks example.ts against the installed declarations (and
// bad.ts must fail); a page in a sub-folder imports the module by its bare
// name (an import map, as a bundler would resolve it) and, in Chromium, the
// element renders, its API and events work and the engine files come from
// the module's own folder, or from where engine-base / engineBase say.
//   usage: node package.test.mjs WEB_BUILD_DIR SCRATCH_DIR
// TypeScript is this folder's pinned devDependency (package-lock.json),
// installed here with `npm ci` when missing (scripts/deps.sh normally has).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, failed, launch, pngStats, serve, until } from '../browser/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const [build, scratchArg] = process.argv.slice(2);
if (!build || !scratchArg) {
  console.error('usage: node package.test.mjs WEB_BUILD_DIR SCRATCH_DIR');
  process.exit(2);
}
const scratch = path.resolve(scratchArg);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', ...opts });

// ---- TypeScript, pinned by this folder's lock file
if (!existsSync(path.join(here, 'node_modules/typescript/bin/tsc'))) {
  console.log('npm ci (tests/package: typescript)');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
}

// ---- build the package folder and pack it
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
const tgz = run('bash', [path.join(root, 'scripts/package.sh'), '--no-build', '--build-dir', build,
                         '--out', path.join(scratch, 'package')]).trim().split('\n').pop();
const manifest = JSON.parse(readFileSync(path.join(scratch, 'package/package.json'), 'utf8'));
check(existsSync(tgz) && path.basename(tgz) === `stepwise-playground-${manifest.version}.tgz`,
      `npm pack wrote ${path.basename(tgz)}`);
const listed = run('tar', ['-tzf', tgz]).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
const wanted = ['package.json', 'README.md', 'stepwise.mjs', 'stepwise.js', 'stepwise.d.ts',
                'stepwise-element.css', 'stepwise-engine.js', 'stepwise-engine.wasm', 'stepwise-engine.data'];
check(wanted.every((f) => listed.includes(f)), `the tarball holds ${listed.sort().join(', ')}`);
check(manifest.exports['.'].import === './stepwise.mjs' && manifest.exports['.'].types === './stepwise.d.ts' &&
      manifest.types === './stepwise.d.ts', 'package.json: exports (import, types) and types');

// ---- offline install into an empty folder
const app = path.join(scratch, 'app');
mkdirSync(app);
copyFileSync(tgz, path.join(app, path.basename(tgz)));
let installed = true;
try {
  run('npm', ['install', './' + path.basename(tgz), '--offline', '--no-audit', '--no-fund'], { cwd: app });
} catch (e) {
  installed = false;
  console.log(e.stdout, e.stderr);
}
const pkgDir = path.join(app, 'node_modules/stepwise-playground');
check(installed && existsSync(path.join(pkgDir, 'stepwise-engine.wasm')),
      'npm install ./' + path.basename(tgz) + ' --offline into an empty folder');
// Node resolves the bare name through "exports" (what bundlers do too).
const resolved = run('node', ['--input-type=module', '-e',
                              "console.log(import.meta.resolve('stepwise-playground'))"], { cwd: app }).trim();
check(resolved === 'file://' + path.join(pkgDir, 'stepwise.mjs'), `'stepwise-playground' resolves to ${resolved}`);

// ---- tsc --noEmit over the example, against the installed declarations
for (const f of ['example.ts', 'bad.ts', 'tsconfig.json']) copyFileSync(path.join(here, f), path.join(app, f));
const tsc = path.join(here, 'node_modules/typescript/bin/tsc');
let tscOut = '';
try {
  tscOut = run('node', [tsc, '-p', path.join(app, 'tsconfig.json')]);
  check(true, 'tsc --noEmit: example.ts type-checks against stepwise.d.ts');
} catch (e) {
  check(false, 'tsc --noEmit: example.ts type-checks against stepwise.d.ts\n' + e.stdout + tscOut);
}
writeFileSync(path.join(app, 'tsconfig.bad.json'), JSON.stringify({
  extends: './tsconfig.json', files: ['bad.ts'] }));
let badErrors = '';
try {
  run('node', [tsc, '-p', path.join(app, 'tsconfig.bad.json')]);
} catch (e) {
  badErrors = e.stdout;
}
const badCount = (badErrors.match(/error TS/g) || []).length;
check(badCount === 4, `tsc rejects each of bad.ts's 4 misuses (${badCount} errors)`);

// ---- the module in Chromium, from a page in a sub-folder
const map = JSON.stringify({ imports: { 'stepwise-playground': '/node_modules/stepwise-playground/stepwise.mjs' } });
const pageHead = `<!doctype html><meta charset="utf-8"><title>package test</title>
<link rel="icon" href="data:,"><script type="importmap">${map}</script>`;
mkdirSync(path.join(app, 'site/sub'), { recursive: true });
writeFileSync(path.join(app, 'site/sub/index.html'), `${pageHead}
<script type="module">
  import { StepwisePlayground } from 'stepwise-playground';
  import Default from 'stepwise-playground';
  window.StepwisePlayground = StepwisePlayground;
  window.sameDefault = Default === StepwisePlayground;
  window.steps = [];
  document.getElementById('a').addEventListener('step', (e) => window.steps.push(e.detail.step));
</script>
<body style="margin:0">
<stepwise-playground id="a" lesson="conv" params="H=8&W=8&input=edges&kernel=laplacian&act=relu"
    panels="transport,formula" height="420"></stepwise-playground>`);
// Elsewhere: two copies of the engine files; one element follows engineBase,
// set right after the import, the other its own engine-base attribute.
for (const dir of ['cdn/e', 'cdn/f']) {
  mkdirSync(path.join(app, dir), { recursive: true });
  for (const f of ['stepwise-engine.js', 'stepwise-engine.wasm', 'stepwise-engine.data', 'stepwise-element.css'])
    copyFileSync(path.join(pkgDir, f), path.join(app, dir, f));
}
writeFileSync(path.join(app, 'site/sub/elsewhere.html'), `${pageHead}
<body style="margin:0">
<stepwise-playground id="a" lesson="svm" height="300"></stepwise-playground>
<stepwise-playground id="b" lesson="batchnorm" height="300" engine-base="../../cdn/f"></stepwise-playground>
<script type="module">
  import { StepwisePlayground } from 'stepwise-playground';
  StepwisePlayground.engineBase = '/cdn/e/';
</script>`);

const server = await serve(app);
const browser = await launch();
const ready = (id) => { const e = document.getElementById(id); return e.getState() && e.getState().frames > 3; };
try {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  const page = await context.newPage();
  const errors = [], requests = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(server.url + 'site/sub/index.html');
  check(await until(page, ready, 'a', 60000), 'the element imported as a module starts');
  const engineFrom = requests.filter((p) => /stepwise-(engine\.(js|wasm|data)|element\.css)$/.test(p));
  check(engineFrom.length === 4 && engineFrom.every((p) => p.startsWith('/node_modules/stepwise-playground/')),
        `engine files from the module's folder: ${engineFrom.join(', ')}`);
  const info = await page.evaluate(() => {
    const el = document.getElementById('a');
    return { isClass: el instanceof window.StepwisePlayground, same: window.sameDefault,
             defined: customElements.get('stepwise-playground') === window.StepwisePlayground };
  });
  check(info.isClass && info.same && info.defined, 'the exports are the defined element class (named and default)');

  const shot = await page.locator('#a').screenshot();
  const stats = await pngStats(page, shot);
  check(stats.colours > 100 && stats.dominant < 0.9,
        `the element renders (${stats.colours} colours, ${(stats.dominant * 100).toFixed(0)}% one colour)`);
  writeFileSync(path.join(scratch, 'package-element.png'), shot);

  const api = await page.evaluate(async () => {
    const el = document.getElementById('a');
    el.pause();
    const r = {};
    r.step = el.step(3);
    r.state = el.getState().step;
    r.seek = el.seek(10);
    r.afterSeek = el.getState().step;
    r.setParams = el.setParams({ kernel: 'box' });
    r.kernel = el.getState().params.kernel_preset;
    r.bad = el.setParams({ zzz: 1 });
    r.lessons = el.lessons();
    r.numpy = el.pythonSnippet();
    r.torch = el.pythonSnippet({ framework: 'torch' });
    r.unknown = el.pythonSnippet({ framework: 'jax' });
    r.job = el.exportJSON().job.lesson;
    r.png = (await el.exportPNG()).size;
    r.op = el.getState().op.formula;
    return r;
  });
  check(api.step === '' && api.state === 3 && api.seek === '' && api.afterSeek === 10,
        `step(3) and seek(10) (state.step ${api.state}, ${api.afterSeek})`);
  check(api.setParams === '' && api.kernel === 'box' && /zzz/.test(api.bad),
        `setParams applies {kernel: 'box'} and reports {zzz} ("${api.bad}")`);
  check(api.lessons.length >= 3 && api.lessons.every((l) => Array.isArray(l.python) && l.python.includes('numpy')),
        'lessons() lists each lesson with its Python frameworks: ' +
        api.lessons.map((l) => `${l.name} [${l.python}]`).join(', '));
  check(api.numpy.includes('import numpy as np') && api.torch.includes('import torch') &&
        api.torch.includes('fn.conv2d(') && /unknown framework/.test(api.unknown),
        'pythonSnippet(): NumPy by default, PyTorch with {framework: "torch"}, an error comment otherwise');
  check(api.job === 'conv' && api.png > 1000 && api.op.length > 5, `exportJSON, exportPNG (${api.png} bytes), op "${api.op}"`);
  const steps = await page.evaluate(() => window.steps);
  check(steps.includes(3) && steps.includes(10), `"step" events carry the state (steps ${steps.join(', ')})`);
  check(errors.length === 0, 'no console errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  await context.close();

  // ---- engineBase and engine-base
  const ctx2 = await browser.newContext({ viewport: { width: 900, height: 700 } });
  const page2 = await ctx2.newPage();
  const errors2 = [], requests2 = [];
  page2.on('console', (m) => { if (m.type() === 'error') errors2.push(m.text()); });
  page2.on('pageerror', (e) => errors2.push(String(e)));
  page2.on('request', (r) => requests2.push(new URL(r.url()).pathname));
  await page2.goto(server.url + 'site/sub/elsewhere.html');
  const both = await until(page2, () => ['a', 'b'].every((id) => {
    const e = document.getElementById(id);
    return e.getState() && e.getState().frames > 3;
  }), null, 60000);
  check(both, 'both elements start with their engine files elsewhere');
  const wasm = requests2.filter((p) => p.endsWith('.wasm')).sort();
  check(JSON.stringify(wasm) === JSON.stringify(['/cdn/e/stepwise-engine.wasm', '/cdn/f/stepwise-engine.wasm']),
        `StepwisePlayground.engineBase and the engine-base attribute decide where: ${wasm.join(', ')}`);
  const css = requests2.filter((p) => p.endsWith('.css')).sort();
  check(css.includes('/cdn/e/stepwise-element.css') && css.includes('/cdn/f/stepwise-element.css'),
        `the element's style sheet follows too: ${css.join(', ')}`);
  const lessons2 = await page2.evaluate(() => ['a', 'b'].map((id) => document.getElementById(id).getState().lesson));
  check(lessons2.join() === 'svm,batchnorm', `lessons ${lessons2.join(', ')}`);
  check(errors2.length === 0, 'no console errors' + (errors2.length ? ': ' + errors2.join(' | ') : ''));
  await ctx2.close();
} finally {
  await browser.close();
  server.close();
}
process.exit(failed() ? 1 : 0);

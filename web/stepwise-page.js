// The full page: checks the browser, loads the module with a progress bar,
// passes the URL hash to it and exposes window.stepwise for scripts and tests.
(function () {
  'use strict';
  const overlay = document.getElementById('overlay');
  const status = document.getElementById('status');
  const progress = document.getElementById('progress');
  const canvas = document.getElementById('canvas');

  function fail(message) {
    overlay.classList.remove('hidden');
    overlay.classList.add('error');
    status.textContent = message;
  }

  // The smallest module using a v128 instruction: validates only with SIMD.
  const simdProbe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1,
    0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(simdProbe)) {
    fail('Stepwise needs WebAssembly with SIMD (Chrome 91+, Firefox 89+, Safari 16.4+). ' +
         'Please open this page in a current browser.');
    return;
  }
  if (!document.createElement('canvas').getContext('webgl2')) {
    fail('Stepwise needs WebGL 2, which this browser or device has turned off. ' +
         'Enable hardware acceleration or try another browser.');
    return;
  }

  const script = document.createElement('script');
  script.src = 'stepwise.js';
  script.onerror = () => fail('Could not load stepwise.js.');
  script.onload = start;
  document.head.appendChild(script);

  function start() {
    let module = null;
    createStepwise({
      canvas: canvas,
      setStatus: (text) => {
        // Emscripten reports "Downloading data... (loaded/total)".
        const m = /\((\d+)\/(\d+)\)/.exec(text || '');
        if (m) progress.value = Number(m[1]) / Math.max(1, Number(m[2]));
        if (text) status.textContent = text.replace(/\s*\(\d+\/\d+\)/, '') || 'Starting…';
      },
      print: (t) => console.log(t),
      printErr: (t) => console.warn(t),
      onAbort: (what) => fail('Stepwise stopped: ' + what),
    }).then((m) => {
      module = m;
      const applyHash = () => {
        const msg = m.ccall('stepwise_apply_hash', 'string', ['string'], [location.hash.slice(0, 4096)]);
        if (msg) console.info('stepwise: ' + msg);
      };
      applyHash();
      window.addEventListener('hashchange', applyHash);
      overlay.classList.add('hidden');
      canvas.focus();
    }).catch((e) => fail('Stepwise could not start: ' + e));

    window.stepwise = {
      getState: () => module ? JSON.parse(module.ccall('stepwise_state_json', 'string', [], [])) : null,
      command: (cmd) => module ? module.ccall('stepwise_command', 'string', ['string'],
        [JSON.stringify(cmd)]) : 'not ready',
    };
  }
})();

// The example article's own script: drives the embeds through their APIs.
(function () {
  'use strict';
  const conv = document.getElementById('conv-demo');
  const status = document.getElementById('conv-status');
  const say = (e) => { status.textContent = e.detail && e.detail.op ? e.detail.op.formula : 'step ' + e.detail.step; };
  conv.addEventListener('step', say);
  document.getElementById('conv-back').addEventListener('click', () => conv.step(-1));
  document.getElementById('conv-next').addEventListener('click', () => conv.step(1));
  document.getElementById('conv-cell').addEventListener('click', () => {
    const s = conv.getState();
    if (s) conv.seek(s.step + (s.params.C * s.params.KH * s.params.KW + 1 + (s.params.activation === 'relu' ? 1 : 0)));
  });
  document.getElementById('conv-stride').addEventListener('click', () => conv.setParams({ stride: 2 }));

  // The iframe takes the same commands by postMessage, and reports events.
  const frame = document.getElementById('svm-frame');
  const svmStatus = document.getElementById('svm-status');
  document.getElementById('svm-step').addEventListener('click', () => {
    frame.contentWindow.postMessage({ type: 'stepwise', cmd: 'step', n: 1 }, location.origin);
  });
  window.addEventListener('message', (e) => {
    if (e.origin !== location.origin || !e.data || e.data.source === 'article') return;
    if (e.data.type === 'stepwise-reply' || (e.data.type === 'stepwise-event' && e.data.event === 'step'))
      svmStatus.textContent = 'step ' + (e.data.state || e.data.detail).step;
  });
})();

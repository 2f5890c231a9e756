// A TypeScript author's use of the package: type-checked by package.test.mjs
// with `tsc --noEmit` against the installed package's declarations.
import { StepwisePlayground } from 'stepwise-playground';
import type {
  StepwiseExport,
  StepwiseLessonInfo,
  StepwisePlaygroundAttributes,
  StepwiseState,
} from 'stepwise-playground';

StepwisePlayground.engineBase = '/assets/stepwise/';
const base: string = StepwisePlayground.engineBase;

// HTMLElementTagNameMap: querySelector and createElement know the element.
const el = document.querySelector('stepwise-playground');
const made: StepwisePlayground = document.createElement('stepwise-playground');
const attrs: StepwisePlaygroundAttributes = { lesson: 'svm', theme: 'auto', height: 480, 'engine-base': base };
for (const [k, v] of Object.entries(attrs)) made.setAttribute(k, String(v));

if (el) {
  el.addEventListener('ready', (e) => {
    const first: StepwiseState = e.detail;
    console.log(first.lesson, first.steps);
  });
  el.addEventListener('step', (e) => {
    const formula: string | undefined = e.detail.op?.formula;
    const target: number[] | undefined = e.detail.op?.target;
    console.log(formula, target, e.detail.step, e.detail.hash);
  });
  el.addEventListener('change', (e) => console.log(e.detail.params));
  el.addEventListener('error', (e) => console.warn(e.detail.toUpperCase()));  // detail: string
  el.addEventListener('click', (e: MouseEvent) => console.log(e.clientX));     // DOM events still typed

  const messages: string[] = [
    el.step(), el.step(-1), el.seek(37), el.play(), el.pause(), el.reset(),
    el.command({ cmd: 'level', level: 1 }), el.command({ cmd: 'lesson', lesson: 'batchnorm' }),
    el.setParams({ stride: 2, kernel: 'box', bias: true }), el.applyLink('#lesson=conv&step=3'),
  ];
  const state: StepwiseState | null = el.getState();
  if (state) console.log(state.playing, state.level, state.notice, state.link_note, messages);
  const exported: StepwiseExport | null = el.exportJSON();
  if (exported) console.log(exported.job.lesson, exported.result, exported.trace?.length);
  const numpy: string = el.pythonSnippet();
  const torch: string = el.pythonSnippet({ framework: 'torch' });
  const lessons: StepwiseLessonInfo[] | null = el.lessons();
  const withTorch = (lessons ?? []).filter((l) => l.python.includes('torch')).map((l) => l.name);
  el.exportPNG().then((png: Blob | null) => console.log(png?.size, numpy.length, torch.length, withTorch));
}

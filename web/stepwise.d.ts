// stepwise.d.ts — TypeScript declarations for <stepwise-playground>
// (web/stepwise.js, and the package's ES-module entry web/stepwise.mjs).
//
//   import { StepwisePlayground } from 'stepwise-playground';   // or: import 'stepwise-playground';
//   const el = document.querySelector('stepwise-playground');    // StepwisePlayground | null
//   el?.addEventListener('step', (e) => console.log(e.detail.op?.formula));
//
// Hand-written next to the element: a method, attribute, state field or event
// added there belongs here too (tests/package type-checks an example against it).

/** A registered lesson's name; `lessons()` lists them all. */
export type StepwiseLessonName = 'conv' | 'svm' | 'batchnorm' | 'optim' | 'mlp' | (string & {});

/** The frameworks of the "reproduce in Python" export. */
export type StepwisePythonFramework = 'numpy' | 'torch';

/** Panels an embed can show besides the picture (attribute `panels`, comma-separated). */
export type StepwisePanel = 'header' | 'params' | 'transport' | 'formula';

/** The element's attributes; every value is a string in HTML. */
export interface StepwisePlaygroundAttributes {
  /** `conv`, `svm`, `batchnorm`, … (default `conv`). */
  lesson?: StepwiseLessonName;
  /** The lesson's deep-link fields, e.g. `H=8&W=8&kernel=box`. */
  params?: string;
  /** The starting step. */
  step?: string | number;
  /** Any of `header,params,transport,formula` (embeds default to `transport,formula`). */
  panels?: string;
  /** Start playing (ignored under `prefers-reduced-motion`); `"false"` is off. */
  autoplay?: boolean | '' | 'true' | 'false';
  /** `light` (default), `dark`, or `auto` to follow `prefers-color-scheme`. */
  theme?: 'light' | 'dark' | 'auto';
  /** CSS height: `480`, `480px`, `60vh`, `50%`. */
  height?: string | number;
  /** The folder holding the engine files, when they are not next to the script or module. */
  'engine-base'?: string;
  /** Present on the full page (header and parameters shown), absent in embeds. */
  page?: boolean | '';
  /** A tour with Previous/Next buttons: a JSON list of `StepwiseTourStop`. */
  tour?: string;
}

/**
 * One stop of a tour (`tour()`, the `tour` attribute) or of a scroll marker
 * (`data-stepwise-target`, `data-stepwise-step`, `data-stepwise-params`,
 * `data-stepwise-level`, `data-stepwise-caption` on any element of the page).
 */
export interface StepwiseTourStop {
  /** The step to move to (through the steps between, within about a second). */
  step: number;
  /** Deep-link fields merged into the current state: `"k=v&…"` or an object. */
  params?: string | Record<string, string | number | boolean>;
  /** A level name of the lesson (`operation`, `update`, …) or its number. */
  level?: string | number;
  /** Shown above the formula while the stop is current. */
  caption?: string;
}

/** The operation just applied, with its live numbers. */
export interface StepwiseOp {
  kind: string;
  /** Index of the value written (e.g. `[f, y, x]` for conv). */
  target: number[];
  value: number;
  result: number;
  /** e.g. `out[0,1,4] += in[0,1,4]·k[0,0,1,1] = 0.00·(−4.00) → 0.00` */
  formula: string;
  /** The same in words, for screen readers. */
  words: string;
}

/**
 * Whether the last frame fitted its panels, measured from the engine's own
 * content and clip rectangles (not assumed from the screen size).
 */
export interface StepwiseLayout {
  /** The playground's size in CSS pixels. */
  width: number;
  height: number;
  /** Some panel's content is wider than its visible area. */
  overflow_x: boolean;
  /** Some text or widget is cut at a panel edge it cannot be scrolled past. */
  clipped: boolean;
}

/** On narrow screens (under 640 CSS px) with the parameters shown: their drawer. */
export interface StepwiseDrawer {
  open: boolean;
  /** Its button: x, y, width, height in CSS pixels of the playground. */
  button: [number, number, number, number];
}

/** `getState()`, and the `detail` of `step`, `change` and `ready` events. */
export interface StepwiseState {
  lesson: StepwiseLessonName;
  /** Every lesson the engine has, in tab order. */
  lessons: StepwiseLessonName[];
  step: number;
  steps: number;
  /** The stepping granularity's name, e.g. `op`, `cell`, `channel`, `layer`. */
  level: string;
  playing: boolean;
  speed: number;
  theme: 'light' | 'dark';
  /** Frames drawn so far. */
  frames: number;
  /** A deep link to this state (`lesson=conv&…&step=12`), without `#`. */
  hash: string;
  /** What the last link or parameters could not apply ('' when all applied). */
  notice: string;
  /** The current tour stop's caption, `''` without one. */
  caption: string;
  /** What a link cannot carry (e.g. too many hand edits), '' when nothing. */
  link_note: string;
  /** The lesson's parameters (its deep-link fields, typed). */
  params: Record<string, unknown>;
  /** The view's own state (panels, hover, pinned cell, …). */
  view: Record<string, unknown>;
  /** Whether everything fits (see `StepwiseLayout`). */
  layout: StepwiseLayout;
  /** Which panel overflows or is cut first, '' when everything fits. */
  layout_note: string;
  /** The parameters' drawer on a narrow screen, `null` elsewhere. */
  drawer: StepwiseDrawer | null;
  /** Absent at step 0. */
  op?: StepwiseOp;
}

/** One entry of `lessons()`. */
export interface StepwiseLessonInfo {
  name: StepwiseLessonName;
  title: string;
  description: string;
  summary: string;
  /** The frameworks `pythonSnippet({framework})` supports for this lesson. */
  python: StepwisePythonFramework[];
}

/** `exportJSON()`: the state, the job that reproduces it (`stepwise job`), its result. */
export interface StepwiseExport {
  state: StepwiseState;
  job: { lesson: StepwiseLessonName; [field: string]: unknown };
  /** The job's output, or `{error}`; its trace moved to `trace`. */
  result: Record<string, unknown>;
  /** One record per operation, when there are at most 20,000. */
  trace?: Array<Record<string, unknown>>;
  /** Why the trace was left out, when there are more. */
  trace_omitted?: string;
}

/** Engine commands for `command()`. */
export type StepwiseCommand =
  | { cmd: 'step'; n?: number }
  | { cmd: 'seek'; step: number }
  | { cmd: 'play' }
  | { cmd: 'pause' }
  | { cmd: 'reset' }
  | { cmd: 'level'; level: number }
  /** Play speed in units of the current level a second (0.25 … 4096). */
  | { cmd: 'speed'; speed: number }
  | { cmd: 'theme'; theme: 'light' | 'dark' }
  | { cmd: 'lesson'; lesson: StepwiseLessonName };

/** The element's own events (CustomEvent); `error` replaces the DOM's ErrorEvent. */
export interface StepwisePlaygroundEventMap extends Omit<HTMLElementEventMap, 'error'> {
  /** The engine is running; detail: the first state. */
  ready: CustomEvent<StepwiseState>;
  /** The step changed (when an edit moved it, together with the `change` event; while playing, at most every 100 ms, the last step always). */
  step: CustomEvent<StepwiseState>;
  /** Parameters or data changed (at most every 100 ms and every 4 frames while edits
   * continue, e.g. during a drag; the last change always fires). */
  change: CustomEvent<StepwiseState>;
  /** A message: a field that could not be applied, a failed load, a lost WebGL context. */
  error: CustomEvent<string>;
  /** A lost WebGL context came back. */
  restored: CustomEvent<undefined>;
}

/**
 * `<stepwise-playground>`. Methods that change the lesson return `''` on
 * success, else the message (also sent as an `error` event), or `'not ready'`
 * before the `ready` event.
 */
export declare class StepwisePlayground extends HTMLElement {
  static readonly observedAttributes: string[];
  /**
   * Where elements that start loading from now on find the engine files
   * (stepwise-engine.js/.wasm/.data, stepwise-element.css): a folder URL,
   * relative to the page. `''` (the default): next to the script or module.
   * An element's `engine-base` attribute wins over it.
   */
  static engineBase: string;

  /** The current state; null until ready. */
  getState(): StepwiseState | null;
  /** Steps forward (n > 0) or back (n < 0) at the current granularity. */
  step(n?: number): string;
  seek(step: number): string;
  play(): string;
  pause(): string;
  reset(): string;
  command(cmd: StepwiseCommand): string;
  /** Merges deep-link fields into the current state and rebuilds; returns what could not be applied. */
  setParams(params: Record<string, string | number | boolean>): string;
  /** Applies a whole deep link (`lesson=conv&H=8&step=3`, with or without `#`). */
  applyLink(hash: string): string;
  /** The canvas as a PNG, captured after the next frame. */
  exportPNG(): Promise<Blob | null>;
  exportJSON(): StepwiseExport | null;
  /**
   * A Python program recomputing the current lesson and printing its result
   * as JSON: NumPy (default), or PyTorch with `{framework: 'torch'}`. A lesson
   * without that export gives one comment line, `# {"error": "…"}`. `''` until ready.
   */
  pythonSnippet(options?: { framework?: StepwisePythonFramework }): string;
  /** Every registered lesson; null until ready. */
  lessons(): StepwiseLessonInfo[] | null;
  /** Adds Previous/Next buttons over these stops and goes to the first; `[]` or `null` removes them. */
  tour(stops: StepwiseTourStop[] | null): string;
  /** The stop the tour shows, −1 without a tour. */
  readonly tourIndex: number;
  tourNext(): string;
  tourPrevious(): string;
  /** Applies one stop: its params, level and caption, then moves to its step. */
  goToStop(stop: StepwiseTourStop): string;

  addEventListener<K extends keyof StepwisePlaygroundEventMap>(
    type: K,
    listener: (this: StepwisePlayground, ev: StepwisePlaygroundEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof StepwisePlaygroundEventMap>(
    type: K,
    listener: (this: StepwisePlayground, ev: StepwisePlaygroundEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

export default StepwisePlayground;

declare global {
  interface HTMLElementTagNameMap {
    'stepwise-playground': StepwisePlayground;
  }
}

// stepwise.mjs — the ES-module entry of the stepwise-playground package.
//
//   import 'stepwise-playground';                        // defines <stepwise-playground>
//   import { StepwisePlayground } from 'stepwise-playground';
//   StepwisePlayground.engineBase = '/assets/stepwise/';  // optional: the engine files elsewhere
//
// The element itself is stepwise.js (the classic script, imported here for
// its effect). The engine files are located next to this module, each by
// `new URL(file, import.meta.url)`: browsers resolve that from the module's
// own URL (a CDN, a sub-folder of a static site), and bundlers that know the
// pattern (webpack 5, Vite, Parcel, esbuild with a loader for the files)
// copy each file into their asset folder and put its final URL here.
import './stepwise.js';

const StepwisePlayground = customElements.get('stepwise-playground');

StepwisePlayground._moduleFiles({
  'stepwise-engine.js': new URL('./stepwise-engine.js', import.meta.url).href,
  'stepwise-engine.wasm': new URL('./stepwise-engine.wasm', import.meta.url).href,
  'stepwise-engine.data': new URL('./stepwise-engine.data', import.meta.url).href,
  'stepwise-element.css': new URL('./stepwise-element.css', import.meta.url).href,
});

export { StepwisePlayground };
export default StepwisePlayground;

// Must NOT type-check: proves the declarations are applied (not `any`).
import 'stepwise-playground';

const el = document.querySelector('stepwise-playground')!;
el.seek('twelve');                                    // a step is a number
el.pythonSnippet({ framework: 'jax' });               // numpy or torch
el.addEventListener('step', (e) => e.detail.op?.formulaa);  // no such field
el.command({ cmd: 'fly' });                           // not a command

export { WorkLoop } from './work-loop.js';

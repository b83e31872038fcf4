// The entry of a render worker thread. It lowers its priority before loading anything:
// loading the engine is the costliest thing a thread does besides a runaway render (a
// second or so from TypeScript sources), and a pool replaces every thread it stops, so
// that too must yield to the main thread's requests and pipeline.
import { lowerThreadPriority } from '../../shared/index.js';

lowerThreadPriority();
await import('./render-loop.js');

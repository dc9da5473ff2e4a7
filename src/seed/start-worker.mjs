// The entry of a worker thread: runs the worker module it is given (workerData.module), as plain JavaScript from
// dist/, or from the TypeScript sources through tsx's loader, since neither tsx's nor vitest's reaches a worker.
import { workerData } from 'node:worker_threads';

if (workerData.module.endsWith('.ts')) (await import('tsx/esm/api')).register();
await import(workerData.module);

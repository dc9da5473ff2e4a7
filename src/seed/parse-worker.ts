// A worker of ParsePool: parses and validates each topic file it is sent, off the main thread.
import { parentPort } from 'node:worker_threads';
import type { ParseJob, ParseResult } from './parse-pool.js';
import { parseTopicFile } from './read.js';

const port = parentPort!;
port.on('message', ({ id, file, bytes }: ParseJob) => {
  port.postMessage({ id, checked: parseTopicFile(file, bytes) } satisfies ParseResult);
});

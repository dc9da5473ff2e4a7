// The ceiling of the benchmark: a bare Fastify process answering a fixed body (the bytes of the service's
// own answer), so the ratio shows what the service's work costs on top of Fastify itself.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [bodyFile] = process.argv.slice(2);
const port = process.env.PORT;
if (!bodyFile || !port) throw new Error('usage: PORT=<port> ceiling.mjs <body-file>');
// bytes, as the service's response cache keeps them: the best bare Fastify can do with a precomputed body
const body = readFileSync(bodyFile);
const app = Fastify({ logger: false });
app.get('/*', (_request, reply) => {
  reply.type('application/json; charset=utf-8').send(body);
});
await app.listen({ port: Number(port), host: '127.0.0.1' });
console.log('ready');

// A plain Node http client (50 keep-alive sockets, 3 s per target, alternating): the cached topic page against the
// cached compare of the same topic. autocannon reads HTML answers far slower than JSON ones while the server idles
// (see bench/README.md), so this is the yardstick for issue 15's 'within 2x a cached compare'. Needs a server on
// PORT (default 3000): node bench/page-vs-compare.mjs
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
async function run(path, ms) {
  let n = 0;
  const end = Date.now() + ms;
  const one = () =>
    new Promise((res) => {
      http.get({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3000), path, agent }, (r) => {
        r.on('data', () => {});
        r.on('end', res);
      });
    });
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (Date.now() < end) {
        await one();
        n++;
      }
    }),
  );
  return n / (ms / 1000);
}
for (const p of [
  '/v1/compare?topic=load-balancing',
  '/topics/load-balancing',
  '/v1/compare?topic=load-balancing',
  '/topics/load-balancing',
])
  console.log(p, Math.round(await run(p, 3000)), 'req/s');

import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttackServer, attackServer, percentile, sleep, withNeighbour } from './harness.js';

/**
 * docs/security.md: a request must arrive completely within 30 s, checked every second (closed at 30-31 s
 * with 408). The server has no setting to shorten that, and the documented bound fits the run's budget (this
 * file runs beside the others), so the trickle is held against the real timeout: it must be closed by 40 s
 * (the documented 31 s plus room for a loaded machine), never left open for the 60 s idle timeout or for ever.
 */
const CONNECTIONS = 20;
const CLOSED_BY_MS = 40_000;
const TRICKLE_EVERY_MS = 1_000;

let server: AttackServer;
beforeAll(async () => {
  server = await attackServer();
});
afterAll(async () => {
  await server?.stop('SIGKILL');
});

interface Trickle {
  closedAfter?: number;
  answer: string;
}

/** One connection sending its request line and then one header byte a second, until the server closes it. */
function trickle(port: number, started: number): { socket: Socket; state: Trickle; closed: Promise<void> } {
  const state: Trickle = { answer: '' };
  const socket = connect(port, '127.0.0.1');
  socket.on('data', (d) => {
    state.answer += d.toString('latin1');
  });
  const closed = new Promise<void>((done) => {
    socket.on('close', () => {
      state.closedAfter = Date.now() - started;
      done();
    });
    socket.on('error', () => {});
  });
  socket.write('GET /v1/providers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  const timer = setInterval(() => {
    if (socket.destroyed) clearInterval(timer);
    else socket.write('a');
  }, TRICKLE_EVERY_MS);
  socket.on('close', () => clearInterval(timer));
  return { socket, state, closed };
}

describe('slowloris against the real server', () => {
  it('closes slow header trickles within the documented request timeout while serving others', async () => {
    const started = Date.now();
    const trickles = Array.from({ length: CONNECTIONS }, () => trickle(server.port, started));
    const { waits, failures } = await withNeighbour(server.url, async () => {
      await Promise.race([Promise.all(trickles.map((t) => t.closed)), sleep(CLOSED_BY_MS)]);
    });
    for (const t of trickles) t.socket.destroy();
    const open = trickles.filter((t) => t.state.closedAfter === undefined || t.state.closedAfter > CLOSED_BY_MS);
    expect(open.length, 'trickles still open past the bound').toBe(0);
    for (const t of trickles) {
      // closed with 408 (Node's request timeout) or without a word; never served as a request
      expect(t.state.answer === '' || /^HTTP\/1\.1 408 /.test(t.state.answer), t.state.answer.slice(0, 100)).toBe(true);
    }
    // not closed early either: the documented timeout is the one that acted, not a crash
    expect(Math.min(...trickles.map((t) => t.state.closedAfter ?? 0))).toBeGreaterThanOrEqual(25_000);
    expect(failures).toEqual([]);
    expect(percentile(waits, 99)).toBeLessThan(500);
  }, 60_000);
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCidr, parseIntParam, parsePrefixLength } from '../../../src/kb/calculators/index.js';
import { BadInputError } from '../../../src/kb/errors.js';

const address = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
const prefix = fc.integer({ min: 1, max: 30 });

function thrown(fn: () => unknown): BadInputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BadInputError) return err;
    throw err;
  }
  throw new Error('expected a BadInputError');
}

describe('CIDR parsing', () => {
  it('accepts exactly the network addresses, and suggests the network for any other address', () => {
    fc.assert(
      fc.property(address, prefix, (octets, p) => {
        const text = `${octets.join('.')}/${p}`;
        const value = octets.reduce((a, o) => a * 256 + o, 0);
        const size = 2 ** (32 - p);
        if (value % size === 0) {
          expect(parseCidr('pod_cidr', text)).toEqual({ cidr: text, prefix: p, size });
        } else {
          const network = Math.floor(value / size) * size;
          const expected = `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.')}/${p}`;
          expect(thrown(() => parseCidr('pod_cidr', text)).message).toBe(
            `pod_cidr: "${text}" has host bits set; did you mean ${expected}?`,
          );
        }
      }),
    );
  });

  it('refuses any text that is not a CIDR with a prefix from /1 to /30, naming the parameter', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), (text) => {
        let ok = false;
        try {
          parseCidr('subnet', text);
          ok = true;
        } catch (err) {
          expect(err).toBeInstanceOf(BadInputError);
          expect((err as BadInputError).param).toBe('subnet');
        }
        if (ok) expect(text).toMatch(/^\s*\d{1,3}(\.\d{1,3}){3}\/([1-9]|[12]\d|30)\s*$/);
      }),
    );
    for (const text of ['10.0.0.0/0', '10.0.0.0/31', '256.0.0.0/8', '10.0.0/8', '::/0']) {
      expect(thrown(() => parseCidr('subnet', text)).param).toBe('subnet');
    }
  });

  it('reads a prefix length with or without its slash', () => {
    fc.assert(
      fc.property(prefix, fc.boolean(), (p, slash) => {
        expect(parsePrefixLength('pod_range_prefix', `${slash ? '/' : ''}${p}`)).toEqual({ prefix: p, size: 2 ** (32 - p) });
      }),
    );
  });

  it('reads integers within their range and names the parameter and the range otherwise', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 400 }), (x) => {
        if (x >= 8 && x <= 256) expect(parseIntParam('max_pods', String(x), 8, 256, 'GKE')).toBe(x);
        else expect(thrown(() => parseIntParam('max_pods', String(x), 8, 256, 'GKE')).message).toMatch(/from 8 to 256$/);
      }),
    );
  });
});

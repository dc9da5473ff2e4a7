import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { SeedTopic } from '../src/domain/seed.js';

/**
 * Writes a seed `factor` times the size of `seedDir`: every topic file again as `<slug>-x<k>` with its
 * facts' values and details marked by copy number, so the index and the snapshot grow like real data.
 */
export function writeScaledSeed(seedDir: string, outDir: string, factor: number): void {
  mkdirSync(outDir, { recursive: true });
  cpSync(join(seedDir, 'providers.yaml'), join(outDir, 'providers.yaml'));
  for (const file of readdirSync(seedDir).filter((f) => f.endsWith('.yaml') && f !== 'providers.yaml')) {
    const text = readFileSync(join(seedDir, file), 'utf8');
    writeFileSync(join(outDir, file), text);
    const topic = parse(text) as SeedTopic;
    for (let k = 2; k <= factor; k++) {
      const copy: SeedTopic = {
        ...topic,
        slug: `${topic.slug}-x${k}`,
        title: `${topic.title} (copy ${k})`,
        dimensions: topic.dimensions.map((d) => ({
          ...d,
          facts: Object.fromEntries(
            Object.entries(d.facts).map(([p, cell]) => [
              p,
              cell.map((f) => ({ ...f, value: `${f.value} [${k}]`, details: `${f.details} Copy ${k}.` })),
            ]),
          ) as SeedTopic['dimensions'][number]['facts'],
        })),
      };
      writeFileSync(join(outDir, `${copy.slug}.yaml`), stringify(copy, { lineWidth: 0 }));
    }
  }
}

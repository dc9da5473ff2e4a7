// `npm run seed:check [dir]`: validate the seed without touching any database.
import { readSeed, SeedError } from './read.js';

const dir = process.argv[2] ?? process.env.SEED_DIR ?? 'seed';
try {
  const seed = readSeed(dir);
  const dims = seed.topics.reduce((n, t) => n + t.dimensions.length, 0);
  const facts = seed.topics.reduce(
    (n, t) => n + t.dimensions.reduce((m, d) => m + d.facts.aws.length + d.facts.azure.length + d.facts.gcp.length, 0),
    0,
  );
  console.log(`${dir}: ok — ${seed.topics.length} topics, ${dims} dimensions, ${facts} facts, version ${seed.version}`);
} catch (err) {
  if (err instanceof SeedError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

// `npm run seed [-- --discard-edits]`: rebuild the database at DB_PATH from SEED_DIR.
import { loadConfig } from '../config.js';
import { openDb } from '../db/connection.js';
import { loadSeed, UnexportedEditsError } from './load.js';
import { readSeed, SeedError } from './read.js';

const config = loadConfig();
const discardUnexported = process.argv.includes('--discard-edits');
const db = openDb(config.DB_PATH);
try {
  const seed = readSeed(config.SEED_DIR);
  const { version } = loadSeed(db, seed, { actor: 'npm run seed', discardUnexported });
  console.log(`${config.DB_PATH}: loaded ${config.SEED_DIR} (${seed.topics.length} topics), dataset version ${version}`);
} catch (err) {
  if (err instanceof SeedError || err instanceof UnexportedEditsError) {
    console.error(err.message);
    console.error('the database was left unchanged');
    process.exitCode = 1;
  } else {
    throw err;
  }
} finally {
  db.$client.close();
}

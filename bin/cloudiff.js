#!/usr/bin/env node
// The `cloudiff` command. It runs the TypeScript sources directly through tsx (no build step), so it works
// from a clone right after `npm ci`, and from any working directory (paths resolve from this file).
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

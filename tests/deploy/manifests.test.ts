import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { serverArgs } from '../../scripts/server-command.mjs';
import { loadConfig, OLD_SPACE_SHARE } from '../../src/config.js';
import { memoryThresholds } from '../../src/http/load-shedding.js';
import { fixtureApp } from '../helpers/app.js';

/** No cluster or Docker engine here: these check that the manifests agree with the service they run. */
const ROOT = resolve(import.meta.dirname, '../..');
type Doc = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };
const docs = loadAll(readFileSync(resolve(ROOT, 'deploy/k8s/cloudiff.yaml'), 'utf8')) as Doc[];
const byKind = (kind: string) => docs.find((d) => d.kind === kind) as Doc;

interface Container {
  ports: { name: string; containerPort: number }[];
  env: { name: string; value?: string; valueFrom?: { resourceFieldRef?: { resource: string; divisor: string } } }[];
  resources: { limits: { memory: string } };
  startupProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
}

describe('deploy/k8s/cloudiff.yaml', () => {
  const deployment = byKind('Deployment');
  const template = deployment.spec.template as {
    metadata: { labels: Record<string, string> };
    spec: { containers: Container[] };
  };
  const container = template.spec.containers[0] as Container;

  it('holds a Deployment, Service, PodDisruptionBudget and HorizontalPodAutoscaler that select the same pods', () => {
    expect(docs.map((d) => d.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service']);
    const labels = template.metadata.labels;
    expect((deployment.spec.selector as { matchLabels: object }).matchLabels).toEqual(labels);
    expect(byKind('Service').spec.selector).toEqual(labels);
    expect((byKind('PodDisruptionBudget').spec.selector as { matchLabels: object }).matchLabels).toEqual(labels);
    expect((byKind('HorizontalPodAutoscaler').spec.scaleTargetRef as { name: string }).name).toBe(deployment.metadata.name);
    expect(byKind('PodDisruptionBudget').spec.minAvailable as number).toBeLessThan(deployment.spec.replicas as number);
  });

  it('listens on the port it exposes, on all interfaces, and probes routes the service answers', async () => {
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    expect(env.HOST).toBe('0.0.0.0');
    expect(Number(env.PORT)).toBe(container.ports[0]?.containerPort);
    expect(env.ADMIN_TOKEN).toBeUndefined();
    const app = await fixtureApp();
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet.port).toBe(container.ports[0]?.name);
      expect((await app.inject(probe.httpGet.path)).statusCode).toBe(200);
    }
    await app.close();
  });

  it("matches the Dockerfile: same port, and the replicas serve the image's database built ahead", () => {
    const dockerfile = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`EXPOSE ${container.ports[0]?.containerPort}\\b`));
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    expect(env.DB_PATH).toBeUndefined();
    expect(dockerfile).toContain('DB_PATH=/app/data/cloudiff.sqlite');
    expect(dockerfile).toMatch(/RUN .*dist\/seed\/build\.js \/app\/data\/cloudiff\.sqlite/);
    // the image starts the server exactly as `npm start` does
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
    expect(cmd).toEqual(pkg.scripts.start.split(/\s+/));
  });

  describe('one memory budget', () => {
    const MIB = 1024 * 1024;
    const limit = /^(\d+)Mi$/.exec(container.resources.limits.memory);
    const limitMb = Number(limit?.[1]);

    it("gives the container MEMORY_LIMIT_MB's default as its memory limit, and the process that limit", () => {
      expect(limit, container.resources.limits.memory).not.toBeNull();
      expect(limitMb).toBe(loadConfig({}).MEMORY_LIMIT_MB);
      const env = container.env.find((e) => e.name === 'MEMORY_LIMIT_MB');
      expect(env?.valueFrom?.resourceFieldRef).toEqual({ resource: 'limits.memory', divisor: '1Mi' });
    });

    it('starts node with an old space and load-shedding thresholds inside that limit', () => {
      const args = serverArgs({ ...process.env, MEMORY_LIMIT_MB: String(limitMb) });
      const flags = args.filter((a) => a.startsWith('--max-'));
      expect(flags).toContain(`--max-old-space-size=${Math.floor(limitMb * OLD_SPACE_SHARE)}`);
      // the heap limit those flags give V8, as the server process sees it
      const heapLimit = Number(
        execFileSync(process.execPath, [...flags, '-p', "require('node:v8').getHeapStatistics().heap_size_limit"], {
          encoding: 'utf8',
        }),
      );
      const { maxHeapUsedBytes = 0, maxRssBytes = 0 } = memoryThresholds(limitMb, heapLimit);
      expect(heapLimit).toBeGreaterThan(limitMb * OLD_SPACE_SHARE * MIB);
      expect(maxHeapUsedBytes).toBeLessThan(heapLimit);
      expect(heapLimit).toBeLessThan(maxRssBytes);
      expect(maxRssBytes).toBeLessThan(limitMb * MIB);
      // the shedder starts before V8 runs out of heap, however close the budget is
      expect(maxHeapUsedBytes).toBeGreaterThan(0.8 * limitMb * OLD_SPACE_SHARE * MIB);
    });

    it('follows another budget too', () => {
      const args = serverArgs({ ...process.env, MEMORY_LIMIT_MB: '1024' });
      expect(args).toContain(`--max-old-space-size=${1024 * OLD_SPACE_SHARE}`);
      expect(memoryThresholds(1024, 0).maxRssBytes).toBe(Math.floor(1024 * MIB * 0.9));
    });

    it('refuses a budget too small to run in, naming MEMORY_LIMIT_MB', () => {
      expect(() => serverArgs({ ...process.env, MEMORY_LIMIT_MB: '64' })).toThrow();
      expect(() => loadConfig({ MEMORY_LIMIT_MB: '64' })).toThrow(/MEMORY_LIMIT_MB/);
    });
  });
});

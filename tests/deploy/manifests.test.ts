import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { serverArgs } from '../../scripts/server-command.mjs';
import { fixtureApp } from '../helpers/app.js';

/** No cluster or Docker engine here: these check that the manifests agree with the service they run. */
const ROOT = resolve(import.meta.dirname, '../..');
type Doc = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };
const docs = loadAll(readFileSync(resolve(ROOT, 'deploy/k8s/cloudiff.yaml'), 'utf8')) as Doc[];
const byKind = (kind: string) => docs.find((d) => d.kind === kind) as Doc;

interface Container {
  ports: { name: string; containerPort: number }[];
  env: { name: string; value: string }[];
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
    expect(cmd).toEqual(['node', ...serverArgs()]);
  });
});

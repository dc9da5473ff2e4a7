import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { factHistory } from '../kb/admin.js';
import { ask } from '../kb/ask/index.js';
import { listProviders, listTopics } from '../kb/catalog.js';
import { compare, diff } from '../kb/compare.js';
import { datasetInfo } from '../kb/dataset.js';
import { BadInputError, NotFoundError } from '../kb/errors.js';
import { getFact } from '../kb/facts.js';
import type { Kb } from '../kb/kb.js';
import { search } from '../kb/search.js';
import { type AssetName, IMMUTABLE, loadAssets } from './assets.js';
import { type Html, html } from './html.js';
import { factBlock, matrix, topicPage } from './views/compare.js';
import { embedPage, type PageContext, page } from './views/layout.js';
import { askPage, datasetPage, errorPage, explorerPage, factPage, homePage, migratePage, searchPage } from './views/pages.js';

export interface WebOptions {
  kb: Kb;
  /** The public base URL for links and embed snippets; the request's own origin when unset. */
  publicUrl?: string;
}

type Query = Record<string, string | string[] | undefined>;

/** One value of a query parameter; a repeated one is a client error, as in the REST API. */
function one(query: Query, name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) throw new BadInputError(name, 'give it once');
  return v;
}

/** `providers=aws,gcp`, also as repeated `providers=aws&providers=gcp` (what a form of checkboxes sends). */
function providerList(query: Query): string | undefined {
  const v = query.providers;
  if (v === undefined) return undefined;
  const list = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean);
  return list.length ? list.join(',') : undefined;
}

const HTML = 'text/html; charset=utf-8';

/**
 * The web UI and the embeds: server-rendered HTML over the same kb functions as REST (reading works without
 * JavaScript; scripts only enhance), with assets from this service alone. Pages are `cacheable` like the API's
 * reads (answered once per dataset version), keyed by Host as well, since snippets and links name the origin.
 */
export default async function web(app: FastifyInstance, opts: WebOptions) {
  const { kb } = opts;
  const assets = loadAssets();
  const assetPath = (name: AssetName) => assets.get(name)!.path;
  const cacheable = { cacheable: true, cacheKey: (request: FastifyRequest) => request.host };

  const context = (): PageContext => ({
    css: assetPath('app.css'),
    js: assetPath('app.js'),
    datasetVersion: kb.version(),
    providers: listProviders(kb),
  });
  const origin = (request: FastifyRequest) => opts.publicUrl ?? `${request.protocol}://${request.host}`;

  /** Renders a view, or the error page with the status of a client error the kb raised. */
  function respond(
    reply: FastifyReply,
    title: string | (() => string),
    view: () => Html,
    opts: { embed?: boolean; q?: string; current?: string } = {},
  ) {
    const ctx = context();
    let body: Html;
    try {
      body = view();
    } catch (err) {
      if (err instanceof NotFoundError || err instanceof BadInputError) {
        const status = err instanceof NotFoundError ? 404 : 400;
        const content = errorPage(status, err.message);
        return reply
          .code(status)
          .type(HTML)
          .send(
            opts.embed ? embedPage(ctx, 'Not found', content) : page(ctx, status === 404 ? 'Not found' : 'Bad request', content),
          );
      }
      throw err;
    }
    const name = typeof title === 'function' ? title() : title;
    return reply.type(HTML).send(opts.embed ? embedPage(ctx, name, body) : page(ctx, name, body, opts));
  }

  /** A page's path names a topic: an unknown one is a 404 (the API's `?topic=` answers 400 naming the parameter). */
  function requireKnownTopic(slug: string): void {
    const topics = listTopics(kb);
    if (!topics.some((t) => t.slug === slug)) {
      throw new NotFoundError(`no topic "${slug}"; the topics are ${topics.map((t) => t.slug).join(', ')}`);
    }
  }

  for (const [name, asset] of assets) {
    app.get(asset.path, { schema: { hide: true } }, (_request, reply) =>
      reply.header('cache-control', IMMUTABLE).type(asset.contentType).send(asset.body),
    );
    if (name === 'embed.js') {
      // a stable name for embedders' pages; an hour of caching, then revalidation
      app.get('/embed.js', { schema: { hide: true } }, (_request, reply) =>
        reply.header('cache-control', 'public, max-age=3600').type(asset.contentType).send(asset.body),
      );
    }
  }

  app.get('/', { schema: { hide: true }, config: cacheable }, (_request, reply) =>
    respond(reply, 'EKS, AKS and GKE compared', () => homePage(listTopics(kb), datasetInfo(kb)), { current: '/' }),
  );

  app.get<{ Params: { slug: string }; Querystring: Query }>(
    '/topics/:slug',
    { schema: { hide: true }, config: cacheable },
    (request, reply) => {
      let title = request.params.slug;
      return respond(
        reply,
        () => title,
        () => {
          requireKnownTopic(request.params.slug);
          const data = compare(kb, request.params.slug, providerList(request.query));
          title = data.topic.title;
          return topicPage(data, context(), { differsOnly: one(request.query, 'differs') === '1', origin: origin(request) });
        },
        { current: '/' },
      );
    },
  );

  app.get<{ Querystring: Query }>('/migrate', { schema: { hide: true }, config: cacheable }, (request, reply) =>
    respond(
      reply,
      'Migrate',
      () => {
        const from = one(request.query, 'from');
        const to = one(request.query, 'to');
        const topic = one(request.query, 'topic') || undefined;
        const result = from && to ? diff(kb, from, to, topic) : undefined;
        return migratePage(
          { from: result?.from ?? from ?? 'aws', to: result?.to ?? to ?? 'gcp', topic: topic ?? '' },
          listTopics(kb),
          result,
          context(),
        );
      },
      { current: '/migrate' },
    ),
  );

  /** The `q` of a search or question page; a repeated one is answered as the 400 page by `respond`. */
  const words = (query: Query) => (Array.isArray(query.q) ? '' : (query.q?.trim() ?? ''));

  app.get<{ Querystring: Query }>('/search', { schema: { hide: true }, config: cacheable }, (request, reply) => {
    const q = words(request.query);
    const view = () => {
      one(request.query, 'q');
      return searchPage(q, q ? search(kb, { q, limit: 20 }) : undefined, context());
    };
    return respond(reply, q ? `Search: ${q}` : 'Search', view, { q, current: '/search' });
  });

  app.get<{ Querystring: Query }>('/ask', { schema: { hide: true }, config: cacheable }, (request, reply) => {
    const q = words(request.query);
    const view = () => {
      one(request.query, 'q');
      return askPage(q, q ? ask(kb, q, 'compact') : undefined, context());
    };
    return respond(reply, q ? `Ask: ${q}` : 'Ask', view, { current: '/ask' });
  });

  app.get('/dataset', { schema: { hide: true }, config: cacheable }, (_request, reply) =>
    respond(reply, 'Freshness', () => datasetPage(datasetInfo(kb)), { current: '/dataset' }),
  );

  // fact ids hold `/` (and `#`, sent as %23): the rest of the path is the id
  app.get<{ Params: { '*': string } }>('/facts/*', { schema: { hide: true }, config: cacheable }, (request, reply) => {
    const id = decodeURIComponent(request.params['*']);
    return respond(reply, id, () => {
      const fact = getFact(kb, id);
      return factPage(fact, factHistory(kb, fact.id).items, context());
    });
  });

  app.get<{ Params: { topic: string }; Querystring: Query }>(
    '/embed/compare/:topic',
    { schema: { hide: true }, config: cacheable },
    (request, reply) =>
      respond(
        reply,
        request.params.topic,
        () => {
          requireKnownTopic(request.params.topic);
          const data = compare(kb, request.params.topic, providerList(request.query));
          const link = `${origin(request)}/topics/${data.topic.slug}`;
          return html`<h1 class="q"><a href="${link}">${data.topic.title}</a> · Cloudiff</h1>${matrix(data, context(), {
            differsOnly: one(request.query, 'differs') === '1',
            details: false,
          })}`;
        },
        { embed: true },
      ),
  );

  app.get<{ Params: { '*': string } }>('/embed/fact/*', { schema: { hide: true }, config: cacheable }, (request, reply) =>
    respond(
      reply,
      'Fact',
      () => {
        const fact = getFact(kb, decodeURIComponent(request.params['*']));
        return html`<h1 class="q">${fact.topic} / ${fact.dimension} · ${fact.provider} · Cloudiff</h1>${factBlock(fact)}`;
      },
      { embed: true },
    ),
  );

  app.get('/graphiql', { schema: { hide: true } }, (_request, reply) => {
    const ctx = { ...context(), js: assetPath('explorer.js') };
    return reply.type(HTML).send(page(ctx, 'GraphQL explorer', explorerPage(), { current: '/graphiql' }));
  });
}

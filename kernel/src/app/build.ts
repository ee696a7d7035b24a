import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { KernelConfig } from '../config/index.js';
import { migrate, openDatabase, type Database } from '../db/orm.js';
import { EventBus } from '../events/bus.js';
import { Invalidation } from '../invalidation/index.js';
import { SecretBox } from '../crypto/index.js';
import { MetadataStore } from '../metadata/store.js';
import { PluginRuntime } from '../plugins/runtime.js';
import { errorHandler } from './error-handler.js';
import { registerModules } from './modules.js';
import type { KernelServices } from './services.js';

/** Options for {@link createKernel}. */
export interface CreateKernelOptions {
  readonly config: KernelConfig;
  /** The database URL to use (the embedded server's or `DATABASE_URL`). */
  readonly databaseUrl: string;
  /** Apply pending migrations before serving (default true). */
  readonly migrate?: boolean;
  /** pino options or false; defaults to JSON logs at the configured level. */
  readonly logger?: boolean | Record<string, unknown>;
}

/** A built kernel: the fastify app and the services behind it. */
export interface Kernel {
  readonly app: FastifyInstance;
  readonly services: KernelServices;
  /** Stops serving, closes the LISTEN connection and the pool. */
  close(): Promise<void>;
}

/** Headers and fields whose values are secrets; pino replaces them in every log line. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
];

/** Builds the kernel: database, caches, and the fastify app with every module registered. */
export async function createKernel(options: CreateKernelOptions): Promise<Kernel> {
  const { config } = options;
  const app = Fastify({
    logger: options.logger === false ? false : { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' }, ...(typeof options.logger === 'object' ? options.logger : {}) },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w\-.]{1,128}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true } },
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // The secret key first: without it, stored secrets cannot be read, so there is no point going on.
  const secretBox = await SecretBox.load(config);
  let db: Database | undefined;
  let invalidation: Invalidation | undefined;
  try {
    db = await openDatabase({ url: options.databaseUrl, poolMax: config.dbPoolMax });
    if (options.migrate !== false) {
      const applied = await migrate(db);
      if (applied.length > 0) app.log.info({ migrations: applied }, 'applied migrations');
    }
    invalidation = new Invalidation(options.databaseUrl, app.log);
    await invalidation.start();
  } catch (err) {
    await invalidation?.close();
    await db?.orm.close();
    throw err;
  }

  const metadata = new MetadataStore(db.orm, invalidation);
  const bus = new EventBus({ knex: db.knex, url: options.databaseUrl, metadata, invalidation, config, log: app.log });
  // The plugin runtime serves the other services and is one of them (host calls reach the whole kernel),
  // so it is created once the rest exists and then joins the object every module receives.
  const services = { config, db, log: app.log, invalidation, metadata, bus, secretBox } as { -readonly [K in keyof KernelServices]: KernelServices[K] };
  services.plugins = new PluginRuntime(services);

  try {
    await app.register(errorHandler);
    await registerModules(app, services);
    await bus.start();
    await services.plugins.start();
  } catch (err) {
    // A module that cannot start (Redis unreachable, say) must not leave connections open behind it.
    await services.plugins.close().catch(() => undefined);
    await app.close().catch(() => undefined);
    await bus.close().catch(() => undefined);
    await invalidation.close();
    await db.orm.close();
    throw err;
  }

  let closed = false;
  return {
    app,
    services,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await services.plugins.close();
      await services.bus.close();
      await services.invalidation.close();
      await services.db.orm.close();
    },
  };
}

import type { FastifyBaseLogger } from 'fastify';
import type { KernelConfig } from '../config/index.js';
import type { SecretBox } from '../crypto/index.js';
import type { Database } from '../db/orm.js';
import type { EventBus } from '../events/bus.js';
import type { Invalidation } from '../invalidation/index.js';
import type { MetadataStore } from '../metadata/store.js';
import type { PluginRuntime } from '../plugins/runtime.js';

/**
 * The services the kernel hands to its modules (and, through the host API, to plugins). Modules receive
 * this object as a typed option at registration — never through a global lookup.
 */
export interface KernelServices {
  readonly config: KernelConfig;
  readonly db: Database;
  readonly log: FastifyBaseLogger;
  readonly invalidation: Invalidation;
  readonly metadata: MetadataStore;
  /** The event bus: in-kernel subscriptions, stored subscribers (webhooks, realtime), custom events. */
  readonly bus: EventBus;
  /** Encrypts secrets at rest with the kernel's secret key. */
  readonly secretBox: SecretBox;
  /** Installed plugins: lifecycle, sandboxes, event delivery to plugins, jobs, the config file. */
  readonly plugins: PluginRuntime;
}

/** The options every kernel fastify module takes. */
export interface ModuleOptions {
  readonly services: KernelServices;
}

import { eventPatternCovers } from '@mosaic/plugin-sdk';
import { MosaicError } from '../../errors/index.js';
import { insertEvents } from '../../events/outbox.js';
import { storableJson } from '../state/index.js';
import { bridgeError, isPlainObject, permissionError, type HostCapability, type HostContext } from './common.js';

/** Largest event payload, as UTF-8 JSON: events are notifications, not a transport for data. */
export const MAX_EVENT_PAYLOAD_BYTES = 64 * 1024;
/** Longest event type accepted. */
const MAX_TYPE = 200;
/** The part after `<pluginId>.`: lower-case words of letters, digits and `_`, joined by dots. */
const EVENT_NAME = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$/;

/**
 * `ctx.host.events`: `emit(type, payload?)` publishes an event of the plugin's own namespace
 * (`<pluginId>.<name>`) that `permissions.events.emit` covers. It is written to the outbox with the plugin
 * as actor, `chain` included, so the kernel can stop handlers that keep triggering each other.
 */
export function eventsCapability(context: HostContext): HostCapability {
  const { manifest } = context;
  return {
    async emit(type, payload) {
      if (typeof type !== 'string' || type.length === 0 || type.length > MAX_TYPE) throw bridgeError('events.emit', `the type must be a string of 1 to ${MAX_TYPE} characters`);
      const prefix = `${manifest.id}.`;
      if (!type.startsWith(prefix)) throw permissionError(context, `emit "${type}"`, `plugins publish only events of their own namespace, "${prefix}*"`);
      if (!EVENT_NAME.test(type.slice(prefix.length))) {
        throw bridgeError('events.emit', `after "${prefix}" the type needs lower-case words of letters, digits and _, joined by dots (e.g. "${prefix}synced")`);
      }
      const granted = manifest.permissions?.events?.emit ?? [];
      if (!granted.some((pattern) => eventPatternCovers(pattern, type))) {
        throw permissionError(context, `emit "${type}"`, granted.length === 0 ? 'its manifest asks for no permissions.events.emit' : `permissions.events.emit allows only ${granted.join(', ')}`);
      }
      if (payload !== undefined && payload !== null && !isPlainObject(payload)) throw bridgeError('events.emit', 'the payload must be an object');
      const json = storableJson(payload ?? {}, MAX_EVENT_PAYLOAD_BYTES);
      if (!json.ok) {
        if (json.reason === 'too-large') throw new MosaicError('MOSAIC_ERR_PLUGIN_VALUE_TOO_LARGE', `events.emit: the payload is over ${MAX_EVENT_PAYLOAD_BYTES} bytes of JSON; send an id and let subscribers read the data.`);
        throw bridgeError('events.emit', json.message);
      }
      await insertEvents(context.services.db.knex, [
        { workspaceId: context.workspaceId, type, actor: context.actor, payload: (payload ?? {}) as Record<string, unknown> },
      ]);
      context.services.bus.written();
      return null;
    },
  };
}

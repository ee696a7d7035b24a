import { asList, asRecord, asString, strings, type RuleContext } from './context.js';
import { eventPatternCovers, matchesRecordEvents } from './patterns.js';
import { ANY_OBJECT, ANY_OBJECT_OPERATIONS, OBJECT_SLOTS, RECORD_OPERATIONS } from './types.js';

/** The keys of `permissions`. */
export const PERMISSION_KEYS = ['records', 'events', 'http', 'kv', 'imports', 'members', 'settings', 'secrets'] as const;
const EVENT_PERMISSION_KEYS = ['subscribe', 'emit'] as const;

/** Unknown permission keys and record operations. */
export function checkPermissionNames(ctx: RuleContext): void {
  const permissions = asRecord(ctx.manifest.permissions);
  if (!permissions) return;
  for (const key of Object.keys(permissions)) {
    if (!(PERMISSION_KEYS as readonly string[]).includes(key)) {
      ctx.report('MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN', ['permissions', key], `"${key}" is not a permission; the permissions are ${PERMISSION_KEYS.join(', ')}.`);
    }
  }
  for (const key of Object.keys(asRecord(permissions.events) ?? {})) {
    if (!(EVENT_PERMISSION_KEYS as readonly string[]).includes(key)) {
      ctx.report('MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN', ['permissions', 'events', key], `"${key}" is not an event permission; use subscribe or emit.`);
    }
  }
  for (const [object, operations] of Object.entries(asRecord(permissions.records) ?? {})) {
    for (const [operation, index] of strings(operations)) {
      if (!(RECORD_OPERATIONS as readonly string[]).includes(operation)) {
        ctx.report('MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN', ['permissions', 'records', object, index], `"${operation}" is not a record operation; use ${RECORD_OPERATIONS.join(', ')}.`);
      } else if (object === ANY_OBJECT && !(ANY_OBJECT_OPERATIONS as readonly string[]).includes(operation)) {
        // Writing to every object, present and future, is an administrator's power: name the objects instead.
        ctx.report(
          'MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN',
          ['permissions', 'records', object, index],
          `"*" (every object) can only be granted ${ANY_OBJECT_OPERATIONS.join(', ')}; ask for "${operation}" on each object by name.`,
        );
      }
    }
  }
}

/**
 * Contributions that need a permission the manifest does not ask for, events emitted outside the
 * plugin's namespace, and handlers or views without the bundle that holds them.
 */
export function checkPermissionsNeeded(ctx: RuleContext): void {
  const { manifest, ownObjects } = ctx;
  const permissions = asRecord(manifest.permissions) ?? {};
  const records = asRecord(permissions.records) ?? {};
  // "*" covers every object, named ones and itself: a view or subscription on "*" needs "*" in the grant.
  const has = (object: string, operation: string) =>
    (object !== ANY_OBJECT && ownObjects.has(object)) || [object, ANY_OBJECT].some((key) => strings(records[key]).some(([op]) => op === operation));
  const eventPermissions = asRecord(permissions.events) ?? {};
  const subscribe = strings(eventPermissions.subscribe).map(([pattern]) => pattern);

  asList(manifest.events).forEach((entry, index) => {
    const subscription = asRecord(entry);
    const type = asString(subscription?.type);
    const objects = strings(subscription?.objects);
    if (type !== undefined && !subscribe.some((granted) => eventPatternCovers(granted, type))) {
      ctx.report('MOSAIC_ERR_MANIFEST_PERMISSION_MISSING', ['events', index, 'type'], `Subscribing to "${type}" needs a pattern covering it in permissions.events.subscribe.`);
    }
    const listed = subscription?.objects;
    if (type !== undefined && matchesRecordEvents(type) && (listed === undefined || (Array.isArray(listed) && listed.length === 0))) {
      ctx.report('MOSAIC_ERR_MANIFEST_PERMISSION_MISSING', ['events', index, 'objects'], `"${type}" delivers records, so the subscription must list its objects (each with read permission).`);
    }
    for (const [object, at] of objects) {
      if (!has(object, 'read')) {
        const what = object === ANY_OBJECT ? 'Receiving events on every object ("*") needs "*": ["read"]' : `Receiving events on "${object}" needs "read" on it`;
        ctx.report('MOSAIC_ERR_MANIFEST_PERMISSION_MISSING', ['events', index, 'objects', at], `${what} in permissions.records.`);
      }
    }
  });
  asList(manifest.fields).forEach((entry, index) => {
    const object = asString(asRecord(entry)?.object);
    if (object !== undefined && !has(object, 'update')) {
      ctx.report('MOSAIC_ERR_MANIFEST_PERMISSION_MISSING', ['fields', index, 'object'], `Adding a field to "${object}" needs "update" on it in permissions.records.`);
    }
  });
  asList(manifest.views).forEach((entry, index) => {
    const view = asRecord(entry);
    const object = asString(view?.object);
    if (object === ANY_OBJECT && !(OBJECT_SLOTS as readonly unknown[]).includes(view?.slot)) return; // The schema refuses it.
    if (object !== undefined && !has(object, 'read')) {
      const what = object === ANY_OBJECT ? 'A view on every object ("*") needs "*": ["read"]' : `A view on "${object}" needs "read" on it`;
      ctx.report('MOSAIC_ERR_MANIFEST_PERMISSION_MISSING', ['views', index, 'object'], `${what} in permissions.records.`);
    }
  });
  if (asList(manifest.secrets).length > 0 && permissions.secrets !== true) {
    ctx.report('MOSAIC_ERR_MANIFEST_PERMISSION_MISSING', ['secrets'], 'Declaring secrets needs "secrets": true in permissions, or the plugin cannot read them.');
  }
  if (asRecord(manifest.settings) && permissions.settings !== true) {
    ctx.report('MOSAIC_ERR_MANIFEST_PERMISSION_MISSING', ['settings'], 'Declaring settings needs "settings": true in permissions, or the plugin cannot read them.');
  }
  if (ctx.id !== undefined) {
    for (const [pattern, index] of strings(eventPermissions.emit)) {
      if (!pattern.startsWith(`${ctx.id}.`)) {
        ctx.report('MOSAIC_ERR_MANIFEST_PERMISSION_NAMESPACE', ['permissions', 'events', 'emit', index], `"${pattern}" is outside the plugin's namespace; it may only emit "${ctx.id}.*" events.`);
      }
    }
  }
  const handlers = (['routes', 'events', 'jobs'] as const).filter((kind) => asList(manifest[kind]).length > 0);
  if (handlers.length > 0 && manifest.server === undefined) {
    ctx.report('MOSAIC_ERR_MANIFEST_BUNDLE_MISSING', ['server'], `The manifest declares ${handlers.join(', ')} but no "server" bundle to run them.`);
  }
  if (asList(manifest.views).length > 0 && manifest.ui === undefined) {
    ctx.report('MOSAIC_ERR_MANIFEST_BUNDLE_MISSING', ['ui'], 'The manifest declares views but no "ui" bundle that defines their elements.');
  }
}

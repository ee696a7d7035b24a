import { asList, asRecord, asString, type RuleContext } from './context.js';
import { formatPath, type PathSegment } from './problems.js';

/** Reports every entry whose key an earlier entry already has. */
function unique(ctx: RuleContext, entries: readonly { key: string | undefined; path: PathSegment[]; what: string }[], seeded = new Map<string, string>()): void {
  const seen = new Map(seeded);
  for (const { key, path, what } of entries) {
    if (key === undefined) continue;
    const first = seen.get(key);
    if (first !== undefined) ctx.report('MOSAIC_ERR_MANIFEST_DUPLICATE', path, `${what} is declared twice (first at ${first}).`);
    else seen.set(key, formatPath(path));
  }
}

const field = (entry: unknown) => asString(asRecord(entry)?.name);

/** Two objects, fields, routes, event subscriptions, jobs, views or secrets with the same key. */
export function checkDuplicates(ctx: RuleContext): void {
  const { manifest } = ctx;
  const objects = asList(manifest.objects).map((entry) => asRecord(entry));
  unique(ctx, objects.map((object, i) => ({ key: asString(object?.name), path: ['objects', i, 'name'], what: `The object "${asString(object?.name)}"` })));

  // Fields of one object: those it declares, then those `fields` contributions add to it.
  const fieldsOf = new Map<string, Map<string, string>>();
  objects.forEach((object, i) => {
    const name = asString(object?.name);
    const entries = asList(object?.fields).map((entry, j) => ({ key: field(entry), path: ['objects', i, 'fields', j, 'name'], what: `The field "${field(entry)}" of "${name}"` }));
    unique(ctx, entries);
    if (name !== undefined && !fieldsOf.has(name)) fieldsOf.set(name, new Map(entries.flatMap((e) => (e.key === undefined ? [] : [[e.key, formatPath(e.path)]]))));
  });
  const contributions = asList(manifest.fields).map((entry, i) => {
    const contribution = asRecord(entry);
    const object = asString(contribution?.object);
    const name = field(contribution?.field);
    return { key: object === undefined || name === undefined ? undefined : `${object}.${name}`, path: ['fields', i, 'field', 'name'], what: `The field "${name}" of "${object}"` };
  });
  const seeded = new Map([...fieldsOf].flatMap(([object, names]) => [...names].map(([name, at]): [string, string] => [`${object}.${name}`, at])));
  unique(ctx, contributions, seeded);

  unique(
    ctx,
    asList(manifest.routes).map((entry, i) => {
      const route = asRecord(entry);
      const method = asString(route?.method);
      const path = asString(route?.path);
      // `/a/:id` and `/a/:key` are the same route to the router.
      const key = method === undefined || path === undefined ? undefined : `${method} ${path.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, ':')}`;
      return { key, path: ['routes', i], what: `The route ${method} ${path}` };
    }),
  );
  unique(
    ctx,
    asList(manifest.events).map((entry, i) => {
      const subscription = asRecord(entry);
      const type = asString(subscription?.type);
      const handler = asString(subscription?.handler);
      return { key: type === undefined || handler === undefined ? undefined : `${type} ${handler}`, path: ['events', i], what: `The subscription of "${handler}" to "${type}"` };
    }),
  );
  unique(ctx, asList(manifest.jobs).map((entry, i) => ({ key: field(entry), path: ['jobs', i, 'name'], what: `The job "${field(entry)}"` })));
  unique(
    ctx,
    asList(manifest.views).map((entry, i) => {
      const view = asRecord(entry);
      const parts = ['slot', 'element', 'object', 'field', 'field_type'].map((key) => asString(view?.[key]) ?? '');
      return { key: parts.join(' '), path: ['views', i], what: `The view ${parts[1]} in ${parts[0]}${parts[2] ? ` on ${parts[2]}` : ''}` };
    }),
  );
  unique(ctx, asList(manifest.secrets).map((entry, i) => ({ key: asString(entry), path: ['secrets', i], what: `The secret "${asString(entry)}"` })));
}

import semver from 'semver';
import type { SdkErrorCode } from '../errors.js';
import { formatPath, ManifestError, type ManifestProblem, type PathSegment } from './problems.js';
import type { PluginManifest } from './types.js';

/** An object that already exists in the workspace, and the plugin that owns it (null: an admin created it). */
export interface ExistingObject {
  /** The object's name. */
  readonly name: string;
  /** The id of the plugin that contributed it, or null when an admin created it. */
  readonly owner: string | null;
}

/** What the plugins of a set are checked against. */
export interface ManifestSetOptions {
  /** The kernel's plugin API version, matched against each manifest's `kernel` range. */
  readonly kernelVersion: string;
  /** Objects the workspace has already. */
  readonly existingObjects?: readonly ExistingObject[];
}

/** The outcome of {@link validateManifestSet}. */
export type ManifestSetValidation = { ok: true } | { ok: false; problems: ManifestProblem[] };

function setProblem(code: SdkErrorCode, id: string, path: readonly PathSegment[], message: string): ManifestProblem {
  return { code, path: `${id}:${formatPath(path)}`, message };
}

/** The dependency cycles among the manifests, each as ids from its smallest id back to it (`a → b → a`). */
function cycles(manifests: readonly PluginManifest[]): string[][] {
  const byId = new Map(manifests.map((m) => [m.id, m]));
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 'open');
    stack.push(id);
    for (const next of Object.keys(byId.get(id)?.dependencies ?? {})) {
      if (!byId.has(next)) continue;
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        // The same cycle is found from whichever member the walk starts at: name it from its smallest id.
        const start = cycle.indexOf([...cycle].sort()[0]);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        found.set(rotated.join(' '), [...rotated, rotated[0]]);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const m of manifests) if (!state.has(m.id)) visit(m.id);
  return [...found.values()];
}

/**
 * Checks plugins that are to be installed together — typically every enabled plugin of a workspace
 * after an install or upgrade — against each other, the kernel and the workspace's objects. Each
 * manifest is assumed to have passed `validateManifest`. Every problem is listed; paths start with the
 * plugin id (`acme.enrichment:dependencies.companies`).
 *
 * A plugin's `fields` may only extend objects of plugins it depends on, admin-created objects, or its
 * own. When a plugin has a missing dependency its field targets are not checked (the missing dependency
 * may be what provides them); they are once the dependency is there.
 */
export function validateManifestSet(manifests: readonly PluginManifest[], options: ManifestSetOptions): ManifestSetValidation {
  const problems: ManifestProblem[] = [];
  const byId = new Map<string, PluginManifest>();
  for (const m of manifests) {
    if (byId.has(m.id)) problems.push(setProblem('MOSAIC_ERR_MANIFEST_ID_CLASH', m.id, ['id'], `Two plugins in the set have the id "${m.id}".`));
    else byId.set(m.id, m);
  }
  for (const m of byId.values()) {
    const parent = [...byId.keys()].find((other) => m.id.startsWith(`${other}.`));
    if (parent) {
      problems.push(setProblem('MOSAIC_ERR_MANIFEST_ID_CLASH', m.id, ['id'], `The id extends "${parent}", so its events ("${m.id}.…") would fall inside the namespace of plugin "${parent}".`));
    }
  }

  const contributors = new Map<string, string[]>();
  for (const m of byId.values()) for (const o of m.objects ?? []) contributors.set(o.name, [...(contributors.get(o.name) ?? []), m.id]);
  const existing = new Map((options.existingObjects ?? []).map((o) => [o.name, o.owner]));

  for (const m of byId.values()) {
    if (!semver.satisfies(options.kernelVersion, m.kernel)) {
      problems.push(setProblem('MOSAIC_ERR_MANIFEST_KERNEL_INCOMPATIBLE', m.id, ['kernel'], `It needs kernel ${m.kernel}, but this kernel's plugin API is ${options.kernelVersion}.`));
    }
    const dependencies = Object.entries(m.dependencies ?? {});
    for (const [dependency, range] of dependencies) {
      const provider = byId.get(dependency);
      if (!provider) {
        problems.push(setProblem('MOSAIC_ERR_MANIFEST_DEPENDENCY_MISSING', m.id, ['dependencies', dependency], `It depends on "${dependency}" ${range}, which is not installed; install it first.`));
      } else if (!semver.satisfies(provider.version, range)) {
        problems.push(setProblem('MOSAIC_ERR_MANIFEST_DEPENDENCY_RANGE', m.id, ['dependencies', dependency], `It needs "${dependency}" ${range}, but version ${provider.version} is installed.`));
      }
    }
    (m.objects ?? []).forEach((object, index) => {
      const others = (contributors.get(object.name) ?? []).filter((id) => id !== m.id);
      if (others.length > 0) {
        problems.push(setProblem('MOSAIC_ERR_MANIFEST_OBJECT_CLASH', m.id, ['objects', index, 'name'], `The object "${object.name}" is also contributed by ${others.map((id) => `"${id}"`).join(', ')}.`));
      }
      const owner = existing.get(object.name);
      if (owner === undefined || owner === m.id || (owner !== null && others.includes(owner))) return;
      const who = owner === null ? 'an admin created it' : `plugin "${owner}" owns it`;
      problems.push(setProblem('MOSAIC_ERR_MANIFEST_OBJECT_CLASH', m.id, ['objects', index, 'name'], `The workspace already has an object "${object.name}": ${who}.`));
    });
    if (dependencies.every(([dependency]) => byId.has(dependency))) checkFieldTargets(m, byId, existing, problems);
  }
  checkNameClashes(byId, problems);
  for (const cycle of cycles([...byId.values()])) {
    problems.push(setProblem('MOSAIC_ERR_MANIFEST_DEPENDENCY_CYCLE', cycle[0], ['dependencies', cycle[1]], `The plugins depend on each other in a cycle: ${cycle.join(' → ')}.`));
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

/** Field contributions and relation targets must point at an object the plugin may rely on. */
function checkFieldTargets(m: PluginManifest, byId: ReadonlyMap<string, PluginManifest>, existing: ReadonlyMap<string, string | null>, problems: ManifestProblem[]): void {
  const reachable = new Set((m.objects ?? []).map((o) => o.name));
  for (const dependency of Object.keys(m.dependencies ?? {})) for (const o of byId.get(dependency)?.objects ?? []) reachable.add(o.name);
  for (const [name, owner] of existing) if (owner === null || owner === m.id || (m.dependencies !== undefined && Object.hasOwn(m.dependencies, owner))) reachable.add(name);
  const ownerOf = (name: string) => [...byId.values()].find((other) => other.objects?.some((o) => o.name === name))?.id;
  const hint = (name: string) => {
    const owner = ownerOf(name) ?? existing.get(name);
    return owner ? `; add "${owner}" to dependencies` : '';
  };
  (m.fields ?? []).forEach((contribution, index) => {
    if (!reachable.has(contribution.object)) {
      problems.push(setProblem('MOSAIC_ERR_MANIFEST_FIELD_TARGET_MISSING', m.id, ['fields', index, 'object'], `No dependency provides the object "${contribution.object}" and no admin created it${hint(contribution.object)}.`));
    }
  });
  (m.objects ?? []).forEach((object, i) =>
    (object.fields ?? []).forEach((field, j) => {
      const target = field.type === 'relation' ? field.options?.target : undefined;
      if (typeof target === 'string' && !reachable.has(target)) {
        problems.push(setProblem('MOSAIC_ERR_MANIFEST_FIELD_TARGET_MISSING', m.id, ['objects', i, 'fields', j, 'options', 'target'], `The relation points to "${target}", which no dependency provides and no admin created${hint(target)}.`));
      }
    }),
  );
}

/** Fields two plugins add to the same object, and custom elements two plugins define. */
function checkNameClashes(byId: ReadonlyMap<string, PluginManifest>, problems: ManifestProblem[]): void {
  const fields = new Map<string, string>();
  const elements = new Map<string, string>();
  for (const m of byId.values()) {
    const declared: [string, string, PathSegment[]][] = [
      ...(m.objects ?? []).flatMap((o, i) => (o.fields ?? []).map((f, j): [string, string, PathSegment[]] => [o.name, f.name, ['objects', i, 'fields', j, 'name']])),
      ...(m.fields ?? []).map((c, i): [string, string, PathSegment[]] => [c.object, c.field.name, ['fields', i, 'field', 'name']]),
    ];
    for (const [object, name, path] of declared) {
      const key = `${object}.${name}`;
      const first = fields.get(key);
      if (first !== undefined && first !== m.id) problems.push(setProblem('MOSAIC_ERR_MANIFEST_FIELD_CLASH', m.id, path, `Plugin "${first}" also adds a field "${name}" to "${object}".`));
      else fields.set(key, m.id);
    }
    (m.views ?? []).forEach((view, index) => {
      const first = elements.get(view.element);
      if (first !== undefined && first !== m.id) problems.push(setProblem('MOSAIC_ERR_MANIFEST_ELEMENT_CLASH', m.id, ['views', index, 'element'], `Plugin "${first}" also defines the element <${view.element}>.`));
      else elements.set(view.element, m.id);
    });
  }
}

/**
 * The manifests in install order: every plugin after the plugins it depends on; independent plugins keep
 * their input order. Dependencies outside the list are ignored. Throws a {@link ManifestError} naming
 * the cycles when there is no such order.
 */
export function installOrder(manifests: readonly PluginManifest[]): PluginManifest[] {
  const found = cycles(manifests);
  if (found.length > 0) {
    throw new ManifestError(
      found.map((cycle) => ({ code: 'MOSAIC_ERR_MANIFEST_DEPENDENCY_CYCLE', path: `${cycle[0]}:${formatPath(['dependencies', cycle[1]])}`, message: `The plugins depend on each other in a cycle: ${cycle.join(' → ')}.` })),
      'The set of plugins',
    );
  }
  const ids = new Set(manifests.map((m) => m.id));
  const placed = new Set<string>();
  const order: PluginManifest[] = [];
  while (order.length < manifests.length) {
    // Without cycles, each pass places at least one plugin: the first whose dependencies are all placed.
    const next = manifests.find((m) => !placed.has(m.id) && Object.keys(m.dependencies ?? {}).every((d) => !ids.has(d) || placed.has(d)));
    if (!next) break;
    placed.add(next.id);
    order.push(next);
  }
  return order;
}

import type { ManifestField, PluginManifest } from '@mosaic/plugin-sdk';
import type { KernelServices } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import type { FieldDef } from '../metadata/field-types/index.js';
import type { FieldPatch } from '../metadata/field-update.js';
import { MetadataService, type MetadataCaller } from '../metadata/service.js';

/** Steps that put the schema back as it was, run newest first when a later step fails. */
type Undo = (() => Promise<unknown>)[];

/** What an upgrade did to the schema, for the admin. */
export interface SchemaChanges {
  readonly created_objects: string[];
  readonly added_fields: string[];
  readonly updated_fields: string[];
  /** Objects and fields the new version no longer declares: kept with their data, never dropped by an upgrade. */
  readonly kept: string[];
}


const PATCHABLE = ['label', 'description', 'options', 'is_nullable', 'is_unique', 'is_indexed', 'default_value'] as const;

/** JSON with object keys sorted, so two declarations compare equal whatever order their keys came in. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v);
}

/** Whether two declared values are the same (the stored manifest is jsonb, which reorders keys). */
function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** The declaration of a field as it stands, in the manifest's words, for undoing a patch. */
function declared(def: FieldDef): Record<(typeof PATCHABLE)[number], unknown> {
  return { label: def.label, description: def.description, options: def.options, is_nullable: def.isNullable, is_unique: def.isUnique, is_indexed: def.isIndexed, default_value: def.defaultValue };
}

/**
 * A plugin's schema through the metadata engine: the same validation, DDL, locks and events as the
 * metadata API, with every object and field marked with the plugin id. Each change is its own metadata
 * transaction; a failure part-way runs the recorded undo steps, so the workspace ends as it began.
 */
export class PluginSchema {
  readonly #services: KernelServices;
  readonly #metadata: MetadataService;

  constructor(services: KernelServices) {
    this.#services = services;
    this.#metadata = new MetadataService(services);
  }

  /**
   * Creates the plugin's objects, then its fields on other objects. Returns how to undo it (which leaves
   * objects and fields that were kept from an earlier install alone).
   */
  async install(caller: MetadataCaller, manifest: PluginManifest): Promise<Undo> {
    const undo: Undo = [];
    // Objects and fields kept by an earlier uninstall are taken over, with their records.
    const current = await this.#services.metadata.get(caller.workspaceId);
    const kept = (object: string, field: ManifestField) => current.objects.get(object)?.fieldsByName.get(field.name)?.pluginId === caller.pluginId;
    await this.#guard(undo, async () => {
      for (const object of manifest.objects ?? []) {
        if (current.objects.get(object.name)?.pluginId !== caller.pluginId) await this.#createObject(caller, object, undo);
        else for (const field of object.fields ?? []) if (!kept(object.name, field)) await this.#addField(caller, object.name, field, undo);
      }
      for (const { object, field } of manifest.fields ?? []) if (!kept(object, field)) await this.#addField(caller, object, field, undo);
    });
    return undo;
  }

  /**
   * Moves the schema from `from` to `to`: new objects and fields are created, changed declarations
   * applied; what `to` no longer declares is kept. A changed field type is refused before anything runs.
   */
  async upgrade(caller: MetadataCaller, from: PluginManifest, to: PluginManifest): Promise<{ undo: Undo; changes: SchemaChanges }> {
    const changes: SchemaChanges = { created_objects: [], added_fields: [], updated_fields: [], kept: [] };
    const plan: (() => Promise<void>)[] = [];
    const undo: Undo = [];
    const oldObjects = new Map((from.objects ?? []).map((o) => [o.name, o]));
    const wanted = [
      ...(to.objects ?? []).flatMap((o) => (oldObjects.has(o.name) ? (o.fields ?? []).map((field) => ({ object: o.name, field })) : [])),
      ...(to.fields ?? []),
    ];
    const before = new Map<string, ManifestField>([
      ...(from.objects ?? []).flatMap((o) => (o.fields ?? []).map((f) => [`${o.name}.${f.name}`, f] as const)),
      ...(from.fields ?? []).map((c) => [`${c.object}.${c.field.name}`, c.field] as const),
    ]);
    for (const object of to.objects ?? []) {
      if (oldObjects.has(object.name)) continue;
      changes.created_objects.push(object.name);
      plan.push(() => this.#createObject(caller, object, undo));
    }
    for (const { object, field } of wanted) {
      const key = `${object}.${field.name}`;
      const old = before.get(key);
      before.delete(key);
      if (!old) {
        changes.added_fields.push(key);
        plan.push(() => this.#addField(caller, object, field, undo));
        continue;
      }
      // text ↔ member converts in place (metadata/field-update.ts); every other type change is refused.
      const converts = (old.type === 'text' && field.type === 'member') || (old.type === 'member' && field.type === 'text');
      if (old.type !== field.type && !converts) {
        throw new MosaicError('MOSAIC_ERR_PLUGIN_UPGRADE_INVALID', `Version ${to.version} changes the type of ${key} from ${old.type} to ${field.type}; a field's type never changes. Add a new field instead.`, [{ path: key, message: 'type changed' }]);
      }
      const patch: Record<string, unknown> = {};
      if (old.type !== field.type) patch.type = field.type;
      for (const key of PATCHABLE) if (!same(old[key], field[key])) patch[key] = field[key] ?? null;
      if (Object.keys(patch).length === 0) continue;
      changes.updated_fields.push(key);
      plan.push(() => this.#updateField(caller, object, field.name, patch as FieldPatch, undo));
    }
    changes.kept.push(...[...oldObjects.keys()].filter((name) => !(to.objects ?? []).some((o) => o.name === name)), ...before.keys());
    await this.#guard(undo, async () => {
      for (const step of plan) await step();
    });
    return { undo, changes };
  }

  /** Deletes what the plugin contributed: its fields on other objects, then its objects and their records. */
  async purge(caller: MetadataCaller): Promise<void> {
    const current = await this.#services.metadata.get(caller.workspaceId);
    for (const object of current.objects.values()) {
      if (object.pluginId === caller.pluginId) continue;
      for (const field of object.fields) {
        if (field.pluginId === caller.pluginId && !field.relationFieldId) await this.#metadata.deleteField(caller, object.name, field.name);
      }
    }
    // Objects relating to each other are deleted in an order that drops the referring ones first.
    const owned = [...current.objects.values()].filter((o) => o.pluginId === caller.pluginId).map((o) => o.name);
    let left = owned;
    for (let round = 0; left.length > 0 && round <= owned.length; round++) {
      const failed: string[] = [];
      for (const name of left) {
        try {
          await this.#metadata.deleteObject(caller, name);
        } catch (error) {
          if ((error as { code?: string }).code !== 'MOSAIC_ERR_OBJECT_IN_USE') throw error;
          failed.push(name);
        }
      }
      left = failed;
    }
    if (left.length > 0) {
      await this.#metadata.deleteObject(caller, left[0]!); // throws the coded reason (another plugin's field relates to it)
    }
  }

  /** Runs the undo steps newest first; a step that fails is logged and the rest still run. */
  async rollback(undo: Undo, context: Record<string, unknown>): Promise<void> {
    for (const step of [...undo].reverse()) {
      await step().catch((err: unknown) => this.#services.log.error({ err, ...context }, 'could not undo a plugin schema step'));
    }
    undo.length = 0;
  }

  async #guard(undo: Undo, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      await this.rollback(undo, {});
      throw error;
    }
  }

  async #createObject(caller: MetadataCaller, object: NonNullable<PluginManifest['objects']>[number], undo: Undo): Promise<void> {
    await this.#metadata.createObject(caller, object);
    undo.push(() => this.#metadata.deleteObject(caller, object.name));
  }

  async #addField(caller: MetadataCaller, object: string, field: ManifestField, undo: Undo): Promise<void> {
    await this.#metadata.addField(caller, object, field);
    // Fields are named as declared (a relation `deal` keeps that name; only its column is `deal_id`).
    undo.push(() => this.#metadata.deleteField(caller, object, field.name));
  }

  async #updateField(caller: MetadataCaller, object: string, name: string, patch: FieldPatch, undo: Undo): Promise<void> {
    const def = (await this.#services.metadata.object(caller.workspaceId, object)).fieldsByName.get(name);
    if (!def) throw new MosaicError('MOSAIC_ERR_FIELD_NOT_FOUND', `The field ${object}.${name} the plugin declared is gone; an admin deleted it.`);
    const was = declared(def);
    const back = Object.fromEntries(Object.keys(patch).map((k) => [k, k === 'type' ? def.type : was[k as keyof typeof was]]));
    await this.#metadata.updateField(caller, object, name, patch);
    undo.push(() => this.#metadata.updateField(caller, object, name, back as FieldPatch));
  }
}

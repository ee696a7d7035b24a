/**
 * A generated plugin server bundle of a chosen size, shaped like esbuild's IIFE output for a real plugin:
 * per module a field table, a validator, a formatter, a service class, message strings and a route, so
 * top-level code builds many objects and the parser sees many functions (not one long string literal).
 * Deterministic: the same size gives the same text, except for the `tag` comment, which callers vary to
 * keep V8's compilation cache from answering for them.
 */

const TYPES = ['text', 'number', 'date', 'select', 'boolean', 'email', 'currency'] as const;

function module(i: number): string {
  const fields = Array.from({ length: 8 }, (_, j) => {
    const type = TYPES[(i + j) % TYPES.length];
    return `    { name: "field_${i}_${j}", type: "${type}", label: "Field ${i}.${j}", required: ${j % 3 === 0}, maxLength: ${40 + ((i * 7 + j) % 200)}, options: ${type === 'select' ? `["open", "won", "lost", "stage_${j}"]` : 'null'} }`;
  }).join(',\n');
  return `
  // src/modules/module-${i}.ts
  var FIELDS_${i} = [
${fields}
  ];
  var MESSAGES_${i} = { created: "Record ${i} created", updated: "Record ${i} updated", removed: "Record ${i} removed", invalid: "Record ${i} is not valid" };
  function validate_${i}(input) {
    const errors = [];
    for (const field of FIELDS_${i}) {
      const value = input == null ? undefined : input[field.name];
      if (field.required && (value === undefined || value === null || value === "")) {
        errors.push({ path: field.name, message: field.label + " is required" });
        continue;
      }
      if (typeof value === "string" && field.maxLength && value.length > field.maxLength) {
        errors.push({ path: field.name, message: field.label + " is longer than " + field.maxLength });
      }
      if (field.options && value != null && !field.options.includes(value)) {
        errors.push({ path: field.name, message: field.label + " must be one of " + field.options.join(", ") });
      }
    }
    return errors;
  }
  function format_${i}(record) {
    const out = { id: record.id, title: String(record.name ?? "").trim() || "(untitled)" };
    for (const field of FIELDS_${i}) {
      const value = record[field.name];
      out[field.name] = field.type === "date" && value ? new Date(value).toISOString().slice(0, 10) : value ?? null;
    }
    return out;
  }
  var Service${i} = class {
    constructor(host) {
      this.host = host;
      this.cache = new Map();
    }
    async find(id) {
      if (this.cache.has(id)) return this.cache.get(id);
      const record = await this.host.records.get("object_${i}", id);
      this.cache.set(id, record);
      return record;
    }
    async list(filter) {
      const page = await this.host.records.find("object_${i}", { filter, limit: 50 });
      return page.records.map(format_${i});
    }
  };
  var module_${i} = { fields: FIELDS_${i}, messages: MESSAGES_${i}, validate: validate_${i}, format: format_${i}, Service: Service${i} };
  routes["validate${i}"] = (ctx, input) => { const errors = validate_${i}(input); return errors.length ? { ok: false, errors, message: MESSAGES_${i}.invalid } : { ok: true }; };
`;
}

/** A bundle of at least `bytes` characters; `tag` goes into a leading comment. */
export function generateBundle(bytes: number, tag = ''): string {
  const head = `"use strict";\n// ${tag}\n(() => {\n  var routes = {};\n  var modules = [];\n`;
  const tail = `
  routes.ping = (ctx, input) => {
    const a = modules[0].validate(input);
    const b = modules[modules.length - 1].format({ id: "rec_1", name: "Acme", ...input });
    return { modules: modules.length, errors: a.length, title: b.title, workspace: ctx.workspace.id };
  };
  globalThis.__mosaicPlugin = { routes, events: {}, jobs: {} };
})();
`;
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; size < bytes; i++) {
    const m = module(i) + `  modules.push(module_${i});\n`;
    parts.push(m);
    size += m.length;
  }
  parts.push(tail);
  return parts.join('');
}

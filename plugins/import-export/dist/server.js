"use strict";
(() => {
  // ../../plugin-sdk/src/sdk-error.ts
  var SdkError = class extends Error {
    constructor(code, message, details = [], options) {
      super(message, options);
      this.name = "SdkError";
      this.code = code;
      this.details = details;
    }
  };
  function sdkError(code, message, details = []) {
    return new SdkError(code, message, details);
  }

  // ../../plugin-sdk/src/server/plugin-error.ts
  var CODE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
  var BRAND = /* @__PURE__ */ Symbol.for("mosaic.plugin-error");
  var PluginError = class extends Error {
    /**
     * @param code UPPER_SNAKE_CASE, not starting with `MOSAIC_`.
     * @param message What went wrong, for the caller.
     * @param status For routes: 400 to 599.
     * @throws Error `MOSAIC_ERR_DEFINE_ERROR_INVALID` for a malformed code or status.
     */
    constructor(code, message, status) {
      super(message);
      if (typeof code !== "string" || !CODE.test(code) || code.startsWith("MOSAIC_")) {
        throw sdkError("MOSAIC_ERR_DEFINE_ERROR_INVALID", `PluginError: the code must be UPPER_SNAKE_CASE and not start with MOSAIC_, got ${JSON.stringify(code)}.`);
      }
      if (status !== void 0 && (!Number.isInteger(status) || status < 400 || status > 599)) {
        throw sdkError("MOSAIC_ERR_DEFINE_ERROR_INVALID", `PluginError: the status must be a whole number from 400 to 599, got ${String(status)}.`);
      }
      this.name = "PluginError";
      this.code = code;
      this.status = status;
      Object.defineProperty(this, BRAND, { value: true });
    }
  };
  function isPluginError(value) {
    return value instanceof Error && value[BRAND] === true;
  }

  // ../../plugin-sdk/src/server/respond.ts
  var HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  function checkedHeaders(headers) {
    if (headers === void 0) return void 0;
    if (typeof headers !== "object" || headers === null || Array.isArray(headers)) throw sdkError("MOSAIC_ERR_DEFINE_RESPONSE_INVALID", "respond(): headers must be an object of strings.");
    const out = {};
    for (const [name, value] of Object.entries(headers)) {
      if (!HEADER_NAME.test(name)) throw sdkError("MOSAIC_ERR_DEFINE_RESPONSE_INVALID", `respond(): "${name}" is not a valid header name.`);
      if (typeof value !== "string" || /[\r\n\0]/.test(value)) throw sdkError("MOSAIC_ERR_DEFINE_RESPONSE_INVALID", `respond(): header "${name}" must be a string on one line.`);
      out[name.toLowerCase()] = value;
    }
    return out;
  }
  function respond(init) {
    if (typeof init !== "object" || init === null) throw sdkError("MOSAIC_ERR_DEFINE_RESPONSE_INVALID", "respond() takes { status, headers?, body? } or { status, headers?, text }.");
    const { status } = init;
    if (!Number.isInteger(status) || status < 200 || status > 599) throw sdkError("MOSAIC_ERR_DEFINE_RESPONSE_INVALID", `respond(): status must be a whole number from 200 to 599, got ${String(status)}.`);
    const headers = checkedHeaders(init.headers);
    const base = headers === void 0 ? { $mosaic: "response", status } : { $mosaic: "response", status, headers };
    if ("text" in init && init.text !== void 0) {
      if ("body" in init && init.body !== void 0) throw sdkError("MOSAIC_ERR_DEFINE_RESPONSE_INVALID", "respond(): give either body or text, not both.");
      if (typeof init.text !== "string") throw sdkError("MOSAIC_ERR_DEFINE_RESPONSE_INVALID", "respond(): text must be a string.");
      return { ...base, text: init.text };
    }
    const body = init.body;
    return body === void 0 ? base : { ...base, body };
  }

  // ../../plugin-sdk/src/server/define.ts
  var TABLES = ["routes", "events", "jobs", "hooks"];
  var HOOKS = /* @__PURE__ */ new Set(["onInstall", "onUpgrade", "onUninstall"]);
  function tableOf(definition, key, problems) {
    const table = definition[key];
    if (table === void 0) return {};
    if (typeof table !== "object" || table === null || Array.isArray(table)) {
      problems.push(`${key} must be an object of functions.`);
      return {};
    }
    for (const [name, value] of Object.entries(table)) {
      if (key === "hooks" && !HOOKS.has(name)) problems.push(`hooks.${name} is not a hook; the hooks are onInstall, onUpgrade and onUninstall.`);
      else if (typeof value !== "function") problems.push(`${key}.${name} must be a function, got ${value === null ? "null" : typeof value}.`);
    }
    return table;
  }
  function answeringPluginErrors(name, handler) {
    const route = async (ctx, input) => {
      try {
        return await handler(ctx, input);
      } catch (error) {
        if (isPluginError(error) && error.status !== void 0) {
          return respond({ status: error.status, body: { error: { code: error.code, message: error.message } } });
        }
        throw error;
      }
    };
    Object.defineProperty(route, "name", { value: name });
    return route;
  }
  function definePlugin(definition) {
    if (typeof definition !== "object" || definition === null || Array.isArray(definition)) {
      throw sdkError("MOSAIC_ERR_DEFINE_INVALID", "definePlugin() takes an object { routes?, events?, jobs?, hooks? }.");
    }
    const raw = definition;
    const problems = Object.keys(raw).filter((key) => !TABLES.includes(key)).map((key) => `"${key}" is not a key of definePlugin(); use routes, events, jobs or hooks.`);
    const [routes, events, jobs, hooks] = TABLES.map((key) => tableOf(raw, key, problems));
    if (problems.length > 0) throw sdkError("MOSAIC_ERR_DEFINE_INVALID", `definePlugin(): ${problems.join(" ")}`);
    const wrapped = Object.fromEntries(Object.entries(routes).map(([name, handler]) => [name, answeringPluginErrors(name, handler)]));
    const plugin = Object.freeze({
      routes: Object.freeze(wrapped),
      events: Object.freeze({ ...events }),
      jobs: Object.freeze({ ...jobs }),
      hooks: Object.freeze({ ...hooks })
    });
    globalThis.__mosaicPlugin = plugin;
    return plugin;
  }

  // src/server.ts
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  var codeOf = (error) => error?.code;
  var first = (value) => Array.isArray(value) ? first(value[0]) : typeof value === "string" && value.trim() !== "" ? value.trim() : void 0;
  var STATUS = {
    MOSAIC_ERR_OBJECT_NOT_FOUND: 404,
    MOSAIC_ERR_IMPORT_NOT_FOUND: 404,
    MOSAIC_ERR_FORBIDDEN: 403,
    MOSAIC_ERR_FIELD_FORBIDDEN: 403,
    MOSAIC_ERR_IMPORT_STATE: 409,
    MOSAIC_ERR_IMPORT_MAPPING_INVALID: 400,
    MOSAIC_ERR_PLUGIN_BRIDGE_INVALID: 400
  };
  async function passing(work) {
    try {
      return await work();
    } catch (error) {
      const code = codeOf(error);
      const status = code ? STATUS[code] : void 0;
      if (!code || !status) throw error;
      throw new PluginError(code.replace(/^MOSAIC_ERR_/, "IMPORT_EXPORT_"), error.message, status);
    }
  }
  function importId(value) {
    if (typeof value !== "string" || !UUID.test(value)) throw new PluginError("IMPORT_EXPORT_IMPORT_NOT_FOUND", `No import has the id "${String(value ?? "")}".`, 404);
    return value;
  }
  async function readableObject(ctx, name) {
    const objects = await ctx.host.imports.objects();
    const object = objects.find((o) => o.name === name);
    if (!object) throw new PluginError("IMPORT_EXPORT_OBJECT_NOT_FOUND", `There is no object "${String(name ?? "")}" you can read.`, 404);
    return object;
  }
  var server_default = definePlugin({
    routes: {
      async objects(ctx) {
        return { data: await ctx.host.imports.objects() };
      },
      /**
       * The download URL of a view: the kernel's `GET /api/objects/:object/export`, streamed with no row cap
       * and filtered to what the member's role may read. Built here so the page and the API agree on it.
       */
      async exportUrl(ctx, { query }) {
        const object = await readableObject(ctx, first(query.object));
        const params = ["format=csv"];
        for (const key of ["filter", "order_by", "fields"]) {
          const value = first(query[key]);
          if (value) params.push(`${key}=${encodeURIComponent(value)}`);
        }
        return { url: `/api/objects/${encodeURIComponent(object.name)}/export?${params.join("&")}`, filename_hint: `${object.name}.csv` };
      },
      async prepare(ctx, { body }) {
        const object = first(body?.object);
        if (!object) throw new PluginError("IMPORT_EXPORT_OBJECT_REQUIRED", 'Say which object to import into ({"object": "company"}).', 400);
        const fileName = first(body?.file_name);
        return passing(() => ctx.host.imports.prepare(object, fileName ? { file_name: fileName.slice(0, 255) } : {}));
      },
      async list(ctx, { query }) {
        const object = first(query.object);
        return { data: await passing(() => ctx.host.imports.list(object ? { object } : {})) };
      },
      async get(ctx, { params }) {
        return passing(() => ctx.host.imports.get(importId(params.id)));
      },
      async start(ctx, { params, body }) {
        if (!body || !Array.isArray(body.mapping)) throw new PluginError("IMPORT_EXPORT_MAPPING_REQUIRED", "Send the mapping: one field key or null per column of the file.", 400);
        const options = {
          mapping: body.mapping,
          ...body.upsert_on ? { upsert_on: body.upsert_on } : {},
          ...body.on_error ? { on_error: body.on_error } : {},
          ...body.date_order ? { date_order: body.date_order } : {}
        };
        return passing(() => ctx.host.imports.start(importId(params.id), options));
      }
    }
  });
})();

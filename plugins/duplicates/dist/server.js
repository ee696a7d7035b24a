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

  // src/normalise.ts
  var LEGAL_SUFFIXES = [
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "llc",
    "llp",
    "lp",
    "ltd",
    "limited",
    "plc",
    "gmbh",
    "ag",
    "kg",
    "ug",
    "se",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "oy",
    "ab",
    "as",
    "aps",
    "pty",
    "kk"
  ];
  var SUFFIXES = new Set(LEGAL_SUFFIXES);
  function normaliseText(value) {
    if (typeof value !== "string") return "";
    return value.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/&/g, " and ").replace(/[^a-z0-9]+/g, " ").trim();
  }
  function companyNameKey(name) {
    const words = normaliseText(typeof name === "string" ? name.replace(/\./g, "") : name).split(" ").filter(Boolean);
    while (words.length > 1 && SUFFIXES.has(words.at(-1))) words.pop();
    return words.join(" ");
  }
  function domainKey(value) {
    if (typeof value !== "string") return "";
    const host = value.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, "").split(/[/?#:]/)[0].replace(/\.$/, "");
    return host.replace(/^www\d*\./, "");
  }
  function emailKey(value) {
    return typeof value === "string" && value.includes("@") ? value.trim().toLowerCase() : "";
  }
  function personNameKey(name) {
    const n = name ?? {};
    const first = normaliseText(n.first_name);
    const last = normaliseText(n.last_name);
    return first && last ? `${first} ${last}` : "";
  }
  function emailsOf(emails) {
    const e = emails ?? {};
    const all = [e.primary, ...Array.isArray(e.additional) ? e.additional : []].map(emailKey).filter(Boolean);
    return [...new Set(all)];
  }
  function prefixPattern(raw, length = 3) {
    if (typeof raw !== "string") return "";
    const start = [...raw.trim()].slice(0, length);
    return start.map((c) => /^[A-Za-z0-9 ]$/.test(c) ? c : "_").join("");
  }

  // src/server.ts
  var OBJECTS = ["company", "person"];
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  var PER_KEY = 100;
  var SCAN_PAGE = 25;
  var MAX_SCAN_PAGE = 40;
  var codeOf = (error) => error?.code;
  var quoted = (value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  function labelOf(object, record) {
    if (object === "company") return String(record.name ?? "") || String(record.domain ?? "") || "Unnamed company";
    const name = record.full_name ?? {};
    return [name.first_name, name.last_name].filter(Boolean).join(" ") || emailsOf(record.emails)[0] || "Unnamed person";
  }
  function objectOf(value) {
    if (typeof value === "string" && OBJECTS.includes(value)) return value;
    throw new PluginError("DUPLICATES_OBJECT_UNSUPPORTED", `Duplicates are found for ${OBJECTS.join(" and ")} records, not for "${String(value ?? "")}".`, 400);
  }
  async function lookAlikes(ctx, object, filter, same) {
    const page = await ctx.host.records.find(object, { filter, limit: PER_KEY });
    return page.data.filter(same);
  }
  async function candidatesOf(ctx, object, record) {
    const found = /* @__PURE__ */ new Map();
    const add = (reason, records) => {
      for (const r of records) {
        if (r.id === record.id) continue;
        const entry = found.get(r.id) ?? { record: r, reasons: /* @__PURE__ */ new Set() };
        entry.reasons.add(reason);
        found.set(r.id, entry);
      }
    };
    if (object === "company") {
      const domain = domainKey(record.domain);
      if (domain) add("domain", await lookAlikes(ctx, object, `domain[ilike]:${quoted(`%${domain}%`)}`, (r) => domainKey(r.domain) === domain));
      const name = companyNameKey(record.name);
      if (name) {
        const patterns = [.../* @__PURE__ */ new Set([prefixPattern(record.name), prefixPattern(name)])].filter(Boolean);
        const filter = patterns.length === 1 ? `name[ilike]:${quoted(`${patterns[0]}%`)}` : `or(${patterns.map((p) => `name[ilike]:${quoted(`${p}%`)}`).join(",")})`;
        add("name", await lookAlikes(ctx, object, filter, (r) => companyNameKey(r.name) === name));
      }
    } else {
      for (const email of emailsOf(record.emails).slice(0, 5)) {
        const filter = `or(emails.primary[ilike]:${quoted(email)},emails.additional[containsAny]:[${quoted(email)}])`;
        add("email", await lookAlikes(ctx, object, filter, (r) => emailsOf(r.emails).includes(email)));
      }
      const name = personNameKey(record.full_name);
      const last = record.full_name?.last_name;
      if (name && typeof last === "string") {
        const pattern = [...last.trim()].map((c) => /^[A-Za-z0-9 ]$/.test(c) ? c : "_").join("");
        add("name", await lookAlikes(ctx, object, `full_name.last_name[ilike]:${quoted(pattern)}`, (r) => personNameKey(r.full_name) === name));
      }
    }
    return [...found.values()].map(({ record: r, reasons }) => ({ record: r, label: labelOf(object, r), reasons: [...reasons].sort() }));
  }
  async function getRecord(ctx, object, id) {
    if (typeof id !== "string" || !UUID.test(id)) throw new PluginError("DUPLICATES_RECORD_NOT_FOUND", `No ${object} has the id "${String(id ?? "")}".`, 404);
    try {
      return await ctx.host.records.get(object, id);
    } catch (error) {
      if (codeOf(error) === "MOSAIC_ERR_RECORD_NOT_FOUND") throw new PluginError("DUPLICATES_RECORD_NOT_FOUND", `No ${object} has the id "${id}".`, 404);
      throw error;
    }
  }
  async function candidates(ctx, object, { params }) {
    const record = await getRecord(ctx, object, params.id);
    return { record, data: await candidatesOf(ctx, object, record) };
  }
  async function scan(ctx, object, { query }) {
    const cursor = typeof query.cursor === "string" && query.cursor !== "" ? query.cursor : void 0;
    const limit = Math.min(Math.max(Number.parseInt(String(query.limit ?? SCAN_PAGE), 10) || SCAN_PAGE, 1), MAX_SCAN_PAGE);
    const page = await ctx.host.records.find(object, { order_by: "created_at[Asc]", limit, ...cursor ? { starting_after: cursor } : {} });
    const pairs = [];
    for (const record of page.data) {
      for (const c of await candidatesOf(ctx, object, record)) {
        if (!isOlder(record, c.record)) continue;
        pairs.push({ a: { id: record.id, label: labelOf(object, record) }, b: { id: c.record.id, label: c.label }, reasons: c.reasons });
      }
    }
    return { pairs, scanned: page.data.length, next_cursor: page.page_info.has_next_page ? page.page_info.end_cursor : null };
  }
  function isOlder(a, b) {
    return a.created_at < b.created_at || a.created_at === b.created_at && a.id < b.id;
  }
  async function merge(ctx, object, { body }) {
    const into = body?.into;
    const from = body?.from;
    const values = body?.values;
    if (typeof into !== "string" || !Array.isArray(from) || from.some((id) => typeof id !== "string") || values !== void 0 && (typeof values !== "object" || values === null || Array.isArray(values))) {
      throw new PluginError("DUPLICATES_MERGE_INVALID", 'Send { "into": "<id of the record to keep>", "from": ["<ids merged into it>"], "values"?: { field: value } }.', 400);
    }
    try {
      return await ctx.host.records.merge(object, { into, from, ...values ? { values } : {} });
    } catch (error) {
      const code = codeOf(error);
      const status = code === "MOSAIC_ERR_RECORD_NOT_FOUND" ? 404 : code === "MOSAIC_ERR_RECORD_UNIQUE" ? 409 : code === "MOSAIC_ERR_FORBIDDEN" || code === "MOSAIC_ERR_PLUGIN_PERMISSION" ? 403 : code?.startsWith("MOSAIC_ERR_MERGE_") || code === "MOSAIC_ERR_RECORD_INVALID" || code === "MOSAIC_ERR_FIELD_FORBIDDEN" ? 400 : void 0;
      if (status) throw new PluginError("DUPLICATES_MERGE_REFUSED", error.message, status);
      throw error;
    }
  }
  var server_default = definePlugin({
    routes: {
      /** GET /api/plugins/duplicates/candidates/company/:id → {@link Candidates}. */
      companyCandidates: (ctx, input) => candidates(ctx, objectOf("company"), input),
      /** GET /api/plugins/duplicates/candidates/person/:id → {@link Candidates}. */
      personCandidates: (ctx, input) => candidates(ctx, objectOf("person"), input),
      /** GET /api/plugins/duplicates/scan/company?cursor=&limit= → {@link ScanPage}. */
      companyScan: (ctx, input) => scan(ctx, "company", input),
      /** GET /api/plugins/duplicates/scan/person?cursor=&limit= → {@link ScanPage}. */
      personScan: (ctx, input) => scan(ctx, "person", input),
      /** POST /api/plugins/duplicates/merge/company → the kernel's merge result. */
      companyMerge: (ctx, input) => merge(ctx, "company", input),
      /** POST /api/plugins/duplicates/merge/person → the kernel's merge result. */
      personMerge: (ctx, input) => merge(ctx, "person", input)
    }
  });
})();

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
  var BRAND = /* @__PURE__ */ Symbol.for("mosaic.plugin-error");
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

  // src/stages.ts
  var STAGES = ["new", "qualified", "proposal", "negotiation", "won", "lost"];
  function isStage(value) {
    return typeof value === "string" && STAGES.includes(value);
  }
  function settledProbability(stage) {
    if (stage === "won") return 100;
    if (stage === "lost") return 0;
    return null;
  }

  // src/pipeline.ts
  var OPPORTUNITY = "opportunity";
  var SCALE = 1e4;
  var PipelineTotals = class {
    #count = /* @__PURE__ */ new Map();
    #amount = /* @__PURE__ */ new Map();
    #weighted = /* @__PURE__ */ new Map();
    #unstaged = 0;
    #counted = 0;
    add(group) {
      this.#counted += group.count;
      const stage = group.stage;
      if (!isStage(stage)) {
        this.#unstaged += group.count;
        return;
      }
      this.#count.set(stage, (this.#count.get(stage) ?? 0) + group.count);
      const amount = group.amount === null ? NaN : Number(group.amount);
      if (!Number.isFinite(amount) || typeof group.currency !== "string") return;
      const scaled = Math.round(amount * SCALE);
      const probability = typeof group.probability === "number" ? group.probability : Number(group.probability ?? 0);
      const bump = (totals, value) => {
        const perCurrency = totals.get(stage) ?? /* @__PURE__ */ new Map();
        perCurrency.set(group.currency, (perCurrency.get(group.currency) ?? 0) + value);
        totals.set(stage, perCurrency);
      };
      bump(this.#amount, scaled);
      bump(this.#weighted, Number.isFinite(probability) ? scaled * probability / 100 : 0);
    }
    result() {
      const unscale = (perCurrency) => Object.fromEntries([...perCurrency ?? []].sort(([a], [b]) => a.localeCompare(b)).map(([currency, value]) => [currency, Math.round(value) / SCALE]));
      return {
        stages: STAGES.map((stage) => ({ stage, count: this.#count.get(stage) ?? 0, amount: unscale(this.#amount.get(stage)), weighted: unscale(this.#weighted.get(stage)) })),
        unstaged: this.#unstaged,
        counted: this.#counted
      };
    }
  };
  var GROUP_BY = ["stage", "amount.currency", "probability"];
  var SUM = "sum:amount.amount";
  function groupsOf(answer) {
    return answer.data.map((g) => ({ stage: g.group.stage, currency: g.group["amount.currency"], probability: g.group.probability, count: g.count, amount: g.metrics[SUM] ?? null }));
  }
  async function computePipeline(ctx) {
    const totals = new PipelineTotals();
    const all = await ctx.host.records.aggregate(OPPORTUNITY, { group_by: GROUP_BY, metrics: [SUM] });
    if (!all.has_more) {
      for (const group of groupsOf(all)) totals.add(group);
      return totals.result();
    }
    for (const filter of [...STAGES.map((stage) => `stage[eq]:${stage}`), "stage[is]:NULL"]) {
      const part = await ctx.host.records.aggregate(OPPORTUNITY, { group_by: GROUP_BY, metrics: [SUM], filter });
      for (const group of groupsOf(part)) totals.add(group);
    }
    return totals.result();
  }

  // src/server.ts
  var codeOf = (error) => error?.code;
  var server_default = definePlugin({
    routes: {
      /** GET /api/plugins/opportunities/pipeline → {@link Pipeline}. */
      async pipeline(ctx) {
        return computePipeline(ctx);
      },
      /**
       * The MCP tool `opportunities__pipeline_summary` (mcp_tools in the manifest): the same totals, for an
       * AI agent. The kernel runs it with this plugin's grant intersected with the agent's member, so an
       * agent whose member cannot read amounts gets a refusal instead of the sums.
       */
      async pipeline_summary(ctx) {
        return computePipeline(ctx);
      }
    },
    events: {
      /**
       * An opportunity was created, or its stage changed (the subscription's `fields: ["stage"]`): a won
       * one gets probability 100, a lost one 0. Events arrive at least once and possibly late, so the
       * handler reads the record as it is now instead of trusting the event's copy; the update it makes
       * changes `probability` only, which does not match the subscription, so it cannot loop.
       */
      async settleProbability(ctx, event) {
        if (event.record_id === null || event.record_id === void 0) return;
        let current;
        try {
          current = await ctx.host.records.get(OPPORTUNITY, event.record_id);
        } catch (error) {
          if (codeOf(error) === "MOSAIC_ERR_RECORD_NOT_FOUND") return;
          throw error;
        }
        const probability = settledProbability(current.stage);
        if (probability !== null && current.probability !== probability) {
          await ctx.host.records.update(OPPORTUNITY, current.id, { probability });
        }
      }
    }
  });
})();

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
  var NOTE = "note";
  var TASK = "task";
  var TARGET_OBJECT = /^[a-z](?:[a-z0-9]|_(?=[a-z0-9])){0,47}$/;
  var TASK_STATUSES = ["todo", "in_progress", "done"];
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  var PER_RECORD = 100;
  var DUE_TODAY = 200;
  var TITLE_FROM_BODY = 80;
  var codeOf = (error) => error?.code;
  var text = (value) => typeof value === "string" && value.trim() !== "" ? value : null;
  function target(object, id) {
    if (typeof object !== "string" || !TARGET_OBJECT.test(object)) {
      throw new PluginError("ACTIVITIES_TARGET_UNSUPPORTED", `"${String(object ?? "").slice(0, 64)}" is not an object name; send the name of the record's object (such as company or deal).`, 400);
    }
    if (typeof id !== "string" || !UUID.test(id)) throw new PluginError("ACTIVITIES_TARGET_NOT_FOUND", `No ${object} has the id "${String(id ?? "")}".`, 404);
    return { object, id };
  }
  async function existingTarget(ctx, object, id) {
    const checked = target(object, id);
    try {
      await ctx.host.records.get(checked.object, checked.id);
      return checked;
    } catch (error) {
      const code = codeOf(error);
      if (code === "MOSAIC_ERR_RECORD_NOT_FOUND") throw new PluginError("ACTIVITIES_TARGET_NOT_FOUND", `No ${checked.object} has the id "${checked.id}".`, 404);
      if (code === "MOSAIC_ERR_OBJECT_NOT_FOUND") throw new PluginError("ACTIVITIES_TARGET_NOT_FOUND", `This workspace has no ${checked.object} object.`, 404);
      throw error;
    }
  }
  async function createOwn(ctx, object, data) {
    try {
      return await ctx.host.records.create(object, data);
    } catch (error) {
      if (codeOf(error) === "MOSAIC_ERR_RECORD_INVALID") throw new PluginError("ACTIVITIES_INVALID", error.message, 400);
      throw error;
    }
  }
  var TASK_CHANGES = ["title", "body", "due_date", "status", "assignee_id"];
  var NOTE_CHANGES = ["title", "body"];
  async function changeOwn(ctx, object, id, change) {
    const label = object === TASK ? "task" : "note";
    if (typeof id !== "string" || !UUID.test(id)) throw new PluginError("ACTIVITIES_NOT_FOUND", `No ${label} has the id "${String(id ?? "")}".`, 404);
    try {
      if (change === "delete") {
        await ctx.host.records.delete(object, id);
        return void 0;
      }
      return await ctx.host.records.update(object, id, change);
    } catch (error) {
      const code = codeOf(error);
      if (code === "MOSAIC_ERR_RECORD_NOT_FOUND") throw new PluginError("ACTIVITIES_NOT_FOUND", `No ${label} has the id "${id}".`, 404);
      if (code === "MOSAIC_ERR_RECORD_INVALID") throw new PluginError("ACTIVITIES_INVALID", error.message, 400);
      throw error;
    }
  }
  function changes(body, allowed, what) {
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new PluginError("ACTIVITIES_INVALID", `Send a JSON object with the ${what} fields to change (${allowed.join(", ")}).`, 400);
    const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) throw new PluginError("ACTIVITIES_INVALID", `${unknown.join(", ")} cannot be changed on a ${what}; send only ${allowed.join(", ")}.`, 400);
    if (Object.keys(body).length === 0) throw new PluginError("ACTIVITIES_INVALID", `Send at least one of ${allowed.join(", ")}.`, 400);
    if ("title" in body && what === "task" && text(body.title) === null) throw new PluginError("ACTIVITIES_INVALID", "A task needs a non-empty title.", 400);
    if ("body" in body && what === "note" && text(body.body) === null) throw new PluginError("ACTIVITIES_INVALID", "A note needs a non-empty body (Markdown).", 400);
    return body;
  }
  var MOVE_PAGE = 200;
  var MOVE_MAX = 4e3;
  async function moveToSurvivor(ctx, object, mergedIds, survivor) {
    const filter = `and(target_object[eq]:"${object}",target_id[in]:[${mergedIds.map((id) => `"${id}"`).join(",")}])`;
    let moved = 0;
    for (const own of [NOTE, TASK]) {
      while (moved < MOVE_MAX) {
        const page = await ctx.host.records.find(own, { filter, limit: MOVE_PAGE, fields: ["id"] });
        for (const record of page.data) await ctx.host.records.update(own, record.id, { target_id: survivor });
        moved += page.data.length;
        if (!page.page_info.has_next_page) break;
      }
    }
    return moved;
  }
  var server_default = definePlugin({
    routes: {
      /** GET /api/plugins/activities/for/:object/:id → {@link RecordActivities}. */
      async forRecord(ctx, { params }) {
        const { object, id } = target(params.object, params.id);
        const filter = `and(target_object[eq]:"${object}",target_id[eq]:"${id}")`;
        const [notes, tasks] = await Promise.all([
          ctx.host.records.find(NOTE, { filter, order_by: "created_at[Desc]", limit: PER_RECORD }),
          ctx.host.records.find(TASK, { filter, order_by: "created_at[Desc]", limit: PER_RECORD })
        ]);
        return { notes: notes.data, tasks: tasks.data, has_more: { notes: notes.page_info.has_next_page, tasks: tasks.page_info.has_next_page } };
      },
      /** POST /api/plugins/activities/notes { target_object, target_id, body, title? } → 201 with the note. */
      async createNote(ctx, { body }) {
        const markdown = text(body?.body);
        if (markdown === null) throw new PluginError("ACTIVITIES_INVALID", "A note needs a non-empty body (Markdown).", 400);
        const { object, id } = await existingTarget(ctx, body?.target_object, body?.target_id);
        const title = text(body?.title)?.trim() ?? markdown.trim().split("\n")[0].replace(/^#+\s*/, "").replace(/\*\*|`/g, "").slice(0, TITLE_FROM_BODY);
        const note = await createOwn(ctx, NOTE, { title, body: markdown, target_object: object, target_id: id });
        return respond({ status: 201, body: note });
      },
      /** POST /api/plugins/activities/tasks { target_object, target_id, title, body?, due_date?, status?, assignee_id? } → 201. */
      async createTask(ctx, { body }) {
        const title = text(body?.title)?.trim();
        if (title === void 0) throw new PluginError("ACTIVITIES_INVALID", "A task needs a non-empty title.", 400);
        const { object, id } = await existingTarget(ctx, body?.target_object, body?.target_id);
        const data = { title, target_object: object, target_id: id };
        for (const key of ["body", "due_date", "status", "assignee_id"]) {
          if (body?.[key] !== void 0) data[key] = body[key];
        }
        const task = await createOwn(ctx, TASK, data);
        return respond({ status: 201, body: task });
      },
      /** PATCH /api/plugins/activities/tasks/:id { title?, body?, due_date?, status?, assignee_id? } → the task. */
      async updateTask(ctx, { params, body }) {
        return await changeOwn(ctx, TASK, params.id, changes(body, TASK_CHANGES, "task"));
      },
      /** DELETE /api/plugins/activities/tasks/:id → 204 (soft delete: the record's trash can restore it). */
      async deleteTask(ctx, { params }) {
        await changeOwn(ctx, TASK, params.id, "delete");
        return respond({ status: 204 });
      },
      /** PATCH /api/plugins/activities/notes/:id { title?, body? } → the note. */
      async updateNote(ctx, { params, body }) {
        return await changeOwn(ctx, NOTE, params.id, changes(body, NOTE_CHANGES, "note"));
      },
      /** DELETE /api/plugins/activities/notes/:id → 204 (soft delete). */
      async deleteNote(ctx, { params }) {
        await changeOwn(ctx, NOTE, params.id, "delete");
        return respond({ status: 204 });
      },
      /** GET /api/plugins/activities/tasks/due-today → {@link DueToday}: not done, due today in UTC. */
      async dueToday(ctx) {
        const date = (/* @__PURE__ */ new Date()).toISOString().slice(0, 10);
        const page = await ctx.host.records.find(TASK, {
          filter: `and(status[neq]:done,due_date[eq]:${date})`,
          order_by: "created_at[Asc]",
          limit: DUE_TODAY
        });
        return { date, data: page.data, has_more: page.page_info.has_next_page };
      }
    },
    events: {
      /** record.merged on any object: the merged records' notes and tasks follow the survivor. */
      async followMerge(ctx, event) {
        const ids = Array.isArray(event.payload.merged_ids) ? event.payload.merged_ids.filter((id) => typeof id === "string" && UUID.test(id)) : [];
        if (!event.object || !event.record_id || ids.length === 0) return;
        await moveToSurvivor(ctx, event.object, ids, event.record_id);
      }
    }
  });
})();

import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { FieldMeta, ObjectMeta, TimelineEntry, TimelinePage } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { RecordFeedController } from '../realtime/record-feed.js';
import { formatValue, recordLabel } from './fields.js';

/** Entries per request: enough to fill the section, small enough to answer at once. */
const PAGE_SIZE = 20;
/** Bookkeeping fields every change touches; listing them would only add noise. */
const QUIET_FIELDS = new Set(['updated_at', 'created_at', 'position', 'deleted_at', 'created_by', 'id']);

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [['second', 60], ['minute', 60], ['hour', 24], ['day', 30], ['month', 12], ['year', Infinity]];

/** "3 minutes ago", "yesterday", "just now": how long ago `date` was, in the reader's language. */
export function relativeTime(date: Date, now = Date.now()): string {
  let value = (date.getTime() - now) / 1000;
  if (Math.abs(value) < 45) return 'just now';
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return relative.format(Math.round(value), 'year');
}

/** Who did it, for a sentence: the actor's name, else what kind of actor it was. */
function actorName(actor: TimelineEntry['actor']): string {
  if (actor?.name) return actor.name;
  switch (actor?.type) {
    case 'api_key':
      return 'An API key';
    case 'plugin':
      return 'A plugin';
    case 'system':
      return 'Mosaic';
    default:
      return 'Someone';
  }
}

/**
 * A record's history from `GET /api/objects/:object/:id/timeline`, newest first: who did what and when
 * (relative time, the exact time as a tooltip), and for a change each field with its value before and
 * after. "Load more" pages back through the cursor; a change made anywhere (this page, another tab, the
 * API, a plugin) arrives over the realtime feed and is prepended. Only fields in the member's data model
 * are named: the API already leaves out fields the role may not read, and this keeps it that way.
 */
export class RecordTimeline extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    object: { attribute: false },
    recordId: { attribute: false },
    entries: { state: true },
    hasMore: { state: true },
    loading: { state: true },
    error: { state: true },
  };
  static override styles = [
    base,
    css`
      :host { display: block; }
      h2 { font-size: 13px; margin: 22px 0 8px; }
      ol { list-style: none; margin: 0; padding: 0 0 0 14px; border-left: 2px solid var(--border); display: grid; gap: 12px; }
      ol > li { position: relative; }
      ol > li::before { content: ''; position: absolute; left: -20px; top: 5px; width: 10px; height: 10px; border-radius: 50%; background: var(--bg); border: 2px solid var(--border-strong); }
      ol > li[data-type='record.created']::before { border-color: var(--success); }
      ol > li[data-type='record.deleted']::before { border-color: var(--danger); }
      .head { color: var(--text-muted); }
      .actor { color: var(--text); font-weight: 500; }
      time { white-space: nowrap; }
      ul.changes { list-style: none; margin: 4px 0 0; padding: 0; display: grid; gap: 2px; }
      ul.changes li { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px; overflow-wrap: anywhere; }
      .field { color: var(--text-muted); }
      .before { color: var(--text-muted); text-decoration: line-through; text-decoration-color: var(--text-faint); }
      .empty-value { color: var(--text-faint); font-style: italic; }
      .more { margin-top: 12px; }
      a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
      .error { padding: 8px 12px; border-radius: var(--radius); background: var(--danger-soft); color: var(--danger); }
    `,
  ];

  declare shell: ShellContext;
  declare object: ObjectMeta;
  declare recordId: string;
  declare entries: readonly TimelineEntry[];
  declare hasMore: boolean;
  declare loading: boolean;
  declare error: string | null;
  #cursor: string | null = null;
  #generation = 0;
  #refreshing: Promise<void> | undefined;
  #refreshAgain = false;
  #clock: ReturnType<typeof setInterval> | undefined;
  readonly #labels = new Map<string, string | null | undefined>();
  readonly #feed = new RecordFeedController(this, () => (this.shell && this.object ? { realtime: this.shell.realtime, object: this.object.name } : undefined), (events) => {
    if (events.some((e) => e.record_id === this.recordId || e.type === 'resync')) void this.refresh();
  });

  constructor() {
    super();
    this.entries = [];
    this.hasMore = false;
    this.loading = false;
    this.error = null;
  }

  /** Whether changes made elsewhere reach the timeline. */
  get live(): boolean {
    return this.#feed.live;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // "2 minutes ago" must not stay "just now": re-render once a minute while shown.
    this.#clock = setInterval(() => this.requestUpdate(), 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('recordId') || (changed.has('object') && (changed.get('object') as ObjectMeta | undefined)?.name !== this.object.name)) {
      this.#generation++;
      this.entries = [];
      this.hasMore = false;
      this.#cursor = null;
      void this.#loadMore();
    }
  }

  #fetch(before?: string): Promise<TimelinePage> {
    return this.shell.api.timeline(this.object.name, this.recordId, { limit: PAGE_SIZE, before });
  }

  async #loadMore(): Promise<void> {
    const generation = this.#generation;
    this.loading = true;
    try {
      const page = await this.#fetch(this.#cursor ?? undefined);
      if (generation !== this.#generation) return;
      const known = new Set(this.entries.map((e) => e.id));
      this.entries = [...this.entries, ...page.data.filter((e) => !known.has(e.id))];
      this.#cursor = page.page_info.end_cursor;
      this.hasMore = page.page_info.has_next_page && page.page_info.end_cursor !== null;
      this.error = null;
    } catch (err) {
      if (generation === this.#generation) this.error = (err as Error).message;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Fetches the newest entries and puts the ones not shown yet on top (one request at a time; bursts coalesce). */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      do {
        this.#refreshAgain = false;
        const generation = this.#generation;
        try {
          const page = await this.#fetch();
          if (generation !== this.#generation) continue;
          const known = new Set(this.entries.map((e) => e.id));
          const fresh = page.data.filter((e) => !known.has(e.id));
          if (this.entries.length === 0) {
            this.#cursor = page.page_info.end_cursor;
            this.hasMore = page.page_info.has_next_page && page.page_info.end_cursor !== null;
          }
          if (fresh.length > 0) this.entries = [...fresh, ...this.entries];
          this.error = null;
        } catch (err) {
          if (generation === this.#generation) this.error = (err as Error).message;
        }
      } while (this.#refreshAgain);
    })().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  #fieldOf(name: string): FieldMeta | undefined {
    return this.object.fields.find((f) => f.name === name || f.key === name);
  }

  /** A related record's title, fetched once per record the timeline names (undefined while loading, null if unreadable). */
  #relatedLabel(target: ObjectMeta, id: string): string | null | undefined {
    const key = `${target.name}/${id}`;
    if (!this.#labels.has(key)) {
      this.#labels.set(key, undefined);
      this.shell.api.get(target.name, id).then(
        (record) => this.#labels.set(key, recordLabel(target, record)),
        () => this.#labels.set(key, null),
      ).finally(() => this.requestUpdate());
    }
    return this.#labels.get(key);
  }

  #value(field: FieldMeta, values: Readonly<Record<string, unknown>> | null | undefined): TemplateResult {
    const raw = values?.[field.key] ?? values?.[field.name];
    if (field.type === 'relation' && typeof raw === 'string') {
      // The entry holds the related record's id: show its title, linked, when the member may read it.
      const target = this.shell.objects.find((o) => o.name === field.options.target);
      if (!target) return html`${raw.slice(0, 8)}`;
      const label = this.#relatedLabel(target, raw);
      return html`<a href=${`/objects/${encodeURIComponent(target.name)}/${encodeURIComponent(raw)}`}>${label ?? `${target.label_singular} ${raw.slice(0, 8)}`}</a>`;
    }
    const text = formatValue(field, raw);
    return text === '' ? html`<span class="empty-value">empty</span>` : html`${text}`;
  }

  #changes(entry: TimelineEntry): FieldMeta[] {
    const names = entry.changed_fields ?? (entry.type === 'record.updated' ? Object.keys(entry.after ?? {}) : []);
    const fields: FieldMeta[] = [];
    for (const name of names) {
      const field = this.#fieldOf(name);
      if (field && !QUIET_FIELDS.has(field.name) && !fields.includes(field)) fields.push(field);
    }
    return fields;
  }

  #summary(entry: TimelineEntry, changed: readonly FieldMeta[]): string {
    const thing = this.object.label_singular.toLowerCase();
    switch (entry.type) {
      case 'record.created':
        return `created this ${thing}`;
      case 'record.deleted':
        return `deleted this ${thing}`;
      case 'record.restored':
        return `restored this ${thing}`;
      case 'record.updated':
        return changed.length === 0 ? `updated this ${thing}` : `changed ${changed.map((f) => f.label).join(', ')}`;
      default: {
        // Another event naming the record (a plugin's, say `activities.note_added`): its name, readable.
        const dot = entry.type.indexOf('.');
        return (dot > 0 ? entry.type.slice(dot + 1) : entry.type).replace(/[._]+/g, ' ');
      }
    }
  }

  #entry(entry: TimelineEntry): TemplateResult {
    const changed = entry.type === 'record.updated' ? this.#changes(entry) : [];
    const when = new Date(entry.occurred_at);
    return html`<li data-type=${entry.type} data-event=${entry.id}>
      <div class="head">
        <span class="actor">${actorName(entry.actor)}</span> <span class="what">${this.#summary(entry, changed)}</span> ·
        <time datetime=${entry.occurred_at} title=${absolute.format(when)}>${relativeTime(when)}</time>
      </div>
      ${changed.length > 0
        ? html`<ul class="changes">
            ${changed.map((f) => html`<li data-field=${f.name}>
              <span class="field">${f.label}</span>
              <span class="before">${this.#value(f, entry.before)}</span>
              <span aria-hidden="true">→</span><span class="sr-only">changed to</span>
              <span class="after">${this.#value(f, entry.after)}</span>
            </li>`)}
          </ul>`
        : nothing}
    </li>`;
  }

  override render() {
    return html`<section aria-labelledby="timeline-heading" data-live=${this.#feed.live ? 'true' : 'false'}>
      <h2 id="timeline-heading">Timeline</h2>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.entries.length === 0
        ? html`<p class="muted" aria-busy=${this.loading ? 'true' : 'false'}>${this.loading ? 'Loading…' : 'Nothing has happened to this record yet.'}</p>`
        : html`<ol aria-label="Events, newest first">${this.entries.map((e) => this.#entry(e))}</ol>`}
      ${this.hasMore
        ? html`<button class="more" ?disabled=${this.loading} @click=${() => void this.#loadMore()}>${this.loading ? 'Loading…' : 'Load more'}</button>`
        : nothing}
    </section>`;
  }
}

define('mosaic-record-timeline', RecordTimeline);

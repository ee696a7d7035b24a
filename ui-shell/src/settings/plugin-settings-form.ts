import { LitElement, css, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import type { SettingsSchema } from './plugin-api.js';

/** What the form hands back: the whole settings object, and only the secrets the admin typed or cleared. */
export interface SettingsSubmit {
  readonly settings: Record<string, unknown>;
  readonly secrets: Record<string, string | null>;
}

const INPUT_FORMATS: Readonly<Record<string, string>> = { email: 'email', uri: 'url', date: 'date', time: 'time' };

/** The first JSON type of a schema node (`["string", "null"]` is a string). */
function typeOf(schema: SettingsSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : (schema.type as string | undefined);
}

/** A readable label: the schema's title, or the key made readable (`api_base_url` → "Api base url"). */
function labelOf(key: string, schema: SettingsSchema): string {
  if (schema.title) return schema.title;
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A plugin's settings as a form generated from its JSON Schema: strings (with email/url/date inputs by
 * format), numbers and integers, booleans, enums as selects; required ones marked; current values (with
 * the schema's defaults, as the API returns them) filled in. Secrets are password inputs that start empty
 * — a saved secret is never sent back — and are only sent when typed or cleared. The browser does not
 * validate: the API does, and `errors` (by setting key) puts its messages on the fields.
 * Fires `save` with {@link SettingsSubmit}.
 */
export class PluginSettingsForm extends LitElement {
  static override properties: PropertyDeclarations = {
    schema: { attribute: false },
    values: { attribute: false },
    secrets: { attribute: false },
    secretsSet: { attribute: false },
    errors: { attribute: false },
    busy: { type: Boolean },
  };
  static override styles = [
    base,
    css`
      :host { display: block; }
      form { display: grid; gap: 12px; max-width: 560px; }
      .check { display: flex; align-items: center; gap: 8px; font-size: 13px; font-weight: 400; color: var(--text); }
      .hint { font-weight: 400; color: var(--text-muted); }
      .req { color: var(--danger); }
      [aria-invalid='true'] { border-color: var(--danger); }
      .secret { display: grid; gap: 4px; }
      .row { display: flex; gap: 8px; align-items: center; }
      .row input[type='password'] { flex: 1; }
      h3 { font-size: 13px; margin: 8px 0 0; }
    `,
  ];

  declare schema: SettingsSchema | null;
  declare values: Readonly<Record<string, unknown>>;
  declare secrets: readonly string[];
  declare secretsSet: readonly { name: string; updatedAt: string }[];
  declare errors: Readonly<Record<string, string>>;
  declare busy: boolean;

  constructor() {
    super();
    this.schema = null;
    this.values = {};
    this.secrets = [];
    this.secretsSet = [];
    this.errors = {};
    this.busy = false;
  }

  get #properties(): [string, SettingsSchema][] {
    return Object.entries(this.schema?.properties ?? {});
  }

  /** Reads the form back into a settings object; an empty optional input leaves its key out. */
  #collect(): SettingsSubmit {
    const settings: Record<string, unknown> = { ...this.values };
    for (const [key, schema] of this.#properties) {
      const el = this.renderRoot.querySelector(`[data-key="${key}"]`) as HTMLInputElement | HTMLSelectElement | null;
      if (!el || schema.readOnly) continue;
      const type = typeOf(schema);
      if (schema.enum) {
        const index = Number(el.value);
        if (el.value === '' || Number.isNaN(index)) delete settings[key];
        else settings[key] = schema.enum[index];
      } else if (type === 'boolean') {
        settings[key] = (el as HTMLInputElement).checked;
      } else if (el.value === '') {
        delete settings[key];
      } else if (type === 'number' || type === 'integer') {
        // Not a number: sent as typed, so the API names the problem on this field.
        settings[key] = Number.isNaN(Number(el.value)) ? el.value : Number(el.value);
      } else {
        settings[key] = el.value;
      }
    }
    const secrets: Record<string, string | null> = {};
    for (const name of this.secrets) {
      const input = this.renderRoot.querySelector(`[data-secret="${name}"]`) as HTMLInputElement | null;
      const clear = this.renderRoot.querySelector(`[data-clear="${name}"]`) as HTMLInputElement | null;
      if (clear?.checked) secrets[name] = null;
      else if (input?.value) secrets[name] = input.value;
    }
    return { settings, secrets };
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    this.dispatchEvent(new CustomEvent<SettingsSubmit>('save', { detail: this.#collect() }));
  }

  /** Clears typed secrets after a save, so nothing secret lingers in the page. */
  clearSecrets(): void {
    for (const input of Array.from(this.renderRoot.querySelectorAll<HTMLInputElement>('[data-secret], [data-clear]'))) {
      if (input.type === 'checkbox') input.checked = false;
      else input.value = '';
    }
  }

  #field(key: string, schema: SettingsSchema, required: boolean): TemplateResult {
    const id = `setting-${key}`;
    const error = this.errors[key];
    const value = this.values[key];
    const type = typeOf(schema);
    const label = html`${labelOf(key, schema)}${required ? html` <span class="req" aria-hidden="true">*</span>` : nothing}`;
    const hint = schema.description ? html`<span class="hint" id=${`${id}-hint`}>${schema.description}</span>` : nothing;
    const err = error ? html`<span class="error-text" id=${`${id}-error`}>${error}</span>` : nothing;
    const described = [schema.description ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || nothing;
    if (type === 'boolean' && !schema.enum) {
      return html`<div><label class="check"><input type="checkbox" data-key=${key} .checked=${value === true} ?disabled=${schema.readOnly === true}
        aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described} />${label}</label>${hint}${err}</div>`;
    }
    if (schema.enum) {
      const selected = schema.enum.findIndex((v) => JSON.stringify(v) === JSON.stringify(value));
      return html`<label>${label}
        <select data-key=${key} ?disabled=${schema.readOnly === true} ?required=${required} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described}>
          ${required && selected >= 0 ? nothing : html`<option value="" ?selected=${selected < 0}>—</option>`}
          ${schema.enum.map((v, i) => html`<option value=${String(i)} ?selected=${i === selected}>${String(v)}</option>`)}
        </select>${hint}${err}</label>`;
    }
    const inputType = type === 'number' || type === 'integer' ? 'number' : INPUT_FORMATS[schema.format ?? ''] ?? 'text';
    return html`<label>${label}
      <input type=${inputType} data-key=${key} .value=${value === undefined || value === null ? '' : String(value)} ?disabled=${schema.readOnly === true}
        ?required=${required} step=${type === 'number' ? 'any' : '1'} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described} />${hint}${err}</label>`;
  }

  #secret(name: string): TemplateResult {
    const set = this.secretsSet.find((s) => s.name === name);
    const error = this.errors[`secrets.${name}`] ?? this.errors[name];
    return html`<div class="secret">
      <label for=${`secret-${name}`}>${name}</label>
      <div class="row">
        <input id=${`secret-${name}`} type="password" autocomplete="new-password" data-secret=${name}
          placeholder=${set ? `Saved ${new Date(set.updatedAt).toLocaleDateString()}; type to replace` : 'Not set'} aria-invalid=${error ? 'true' : 'false'} />
        ${set ? html`<label class="check"><input type="checkbox" data-clear=${name} />Clear</label>` : nothing}
      </div>
      ${error ? html`<span class="error-text">${error}</span>` : nothing}
    </div>`;
  }

  override render() {
    const required = new Set(this.schema?.required ?? []);
    const unsupported = this.#properties.filter(([, s]) => !s.enum && (typeOf(s) === 'object' || typeOf(s) === 'array'));
    const formError = this.errors[''];
    return html`<form novalidate @submit=${this.#submit}>
      ${this.#properties.filter(([k]) => !unsupported.some(([u]) => u === k)).map(([key, schema]) => this.#field(key, schema, required.has(key)))}
      ${unsupported.length > 0 ? html`<p class="muted">${unsupported.map(([k]) => k).join(', ')}: lists and nested settings are kept as they are; change them through the API.</p>` : nothing}
      ${this.secrets.length > 0 ? html`<h3>Secrets</h3><p class="muted">Stored encrypted and never shown again; leave a field empty to keep its value.</p>${this.secrets.map((n) => this.#secret(n))}` : nothing}
      ${formError ? html`<p class="error-text" role="alert">${formError}</p>` : nothing}
      <div><button class="primary" type="submit" ?disabled=${this.busy}>Save settings</button></div>
    </form>`;
  }
}

define('mosaic-plugin-settings-form', PluginSettingsForm);

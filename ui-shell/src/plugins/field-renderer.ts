import { html, type nothing, type TemplateResult } from 'lit';
import type { FieldMeta, RecordData } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { fieldRendererFor } from './slots.js';
import './plugin-view.js';

/** Where a field is drawn, so a plugin's `field.renderer` can take over: the shell, the object, the place. */
export interface FieldRenderHost {
  readonly shell: ShellContext;
  readonly object: string;
  readonly where: 'cell' | 'record';
}

/**
 * A field drawn by a plugin's `field.renderer` view, or null when no plugin renders it. The shell's own
 * rendering is the fallback: a view that fails shows it (with the failure as a tooltip) instead.
 */
export function pluginField(host: FieldRenderHost, field: FieldMeta, record: RecordData, fallback: () => TemplateResult | typeof nothing): TemplateResult | null {
  const renderer = fieldRendererFor(host.shell, host.object, field);
  if (!renderer) return null;
  const object = host.shell.objects.find((o) => o.name === host.object);
  if (!object) return null;
  return html`<mosaic-plugin-view
    inline
    data-renderer=${renderer.plugin.id}
    .shell=${host.shell}
    .plugin=${renderer.plugin}
    .element=${renderer.view.element}
    .slotName=${'field.renderer'}
    .about=${{ object, record, field, where: host.where }}
    .fallback=${fallback()}
  ></mosaic-plugin-view>`;
}

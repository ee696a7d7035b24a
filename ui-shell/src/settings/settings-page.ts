import { html, type TemplateResult } from 'lit';
import type { ShellContext } from '../app/context.js';
import type { SettingsSection } from '../app/router.js';

/** The element of each settings section (`/settings/<section>`); each checks its own capability (connected apps need none). */
export function settingsPage(shell: ShellContext, section: SettingsSection): TemplateResult {
  switch (section) {
    case 'members':
      return html`<mosaic-members-page .shell=${shell}></mosaic-members-page>`;
    case 'roles':
      return html`<mosaic-roles-page .shell=${shell}></mosaic-roles-page>`;
    case 'api-keys':
      return html`<mosaic-api-keys-page .shell=${shell}></mosaic-api-keys-page>`;
    case 'connected-apps':
      return html`<mosaic-connected-apps-page .shell=${shell}></mosaic-connected-apps-page>`;
    case 'webhooks':
      return html`<mosaic-webhooks-page .shell=${shell}></mosaic-webhooks-page>`;
    case 'plugins':
      return html`<mosaic-plugins-page .shell=${shell}></mosaic-plugins-page>`;
    case 'marketplace':
      return html`<mosaic-marketplace-page .shell=${shell}></mosaic-marketplace-page>`;
  }
}

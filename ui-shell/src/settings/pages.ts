import { html, type TemplateResult } from 'lit';
import type { ShellContext } from '../app/context.js';

/**
 * One settings page: where it lives and the workspace capability it needs (the API asks for the same);
 * an empty capability opens it to every member.
 */
export interface SettingsPage {
  readonly path: string;
  readonly label: string;
  readonly capability: string;
}

/** The settings pages in sidebar order. */
export const SETTINGS_PAGES: readonly SettingsPage[] = [
  { path: '/settings/data-model', label: 'Data model', capability: 'metadata' },
  { path: '/settings/members', label: 'Members', capability: 'members' },
  { path: '/settings/roles', label: 'Roles', capability: 'roles' },
  { path: '/settings/api-keys', label: 'API keys', capability: 'api_keys' },
  { path: '/settings/connected-apps', label: 'Connected apps', capability: '' },
  { path: '/settings/webhooks', label: 'Webhooks', capability: 'webhooks' },
  { path: '/settings/plugins', label: 'Plugins', capability: 'plugins' },
  { path: '/settings/marketplace', label: 'Marketplace', capability: 'plugins' },
];

/** The settings pages the member's role opens. */
export function settingsPagesFor(shell: ShellContext): SettingsPage[] {
  return SETTINGS_PAGES.filter((p) => p.capability === '' || shell.permissions.can(p.capability));
}

/**
 * What a settings page shows instead of itself when the role lacks its capability (someone followed a
 * link or typed the address). The API would refuse every call anyway; this says why up front.
 */
export function refusal(shell: ShellContext, capability: string, what: string): TemplateResult | null {
  if (shell.permissions.can(capability)) return null;
  return html`<div class="refused" role="alert">
    <h1>${what}</h1>
    <p>Your role (${shell.session.role.name}) cannot manage ${what.toLowerCase()}. Ask a workspace owner or admin.</p>
  </div>`;
}

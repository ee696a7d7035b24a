import type { ShellContext } from '../app/context.js';
import { settingsPagesFor } from '../settings/pages.js';

/** What a command does when chosen: go to a path, open the create form of an object, or sign out. */
export type CommandAction = { readonly kind: 'navigate'; readonly path: string } | { readonly kind: 'create'; readonly object: string } | { readonly kind: 'sign-out' };

/** One entry of the palette's "Commands" group. */
export interface Command {
  readonly id: string;
  readonly label: string;
  /** Extra words the filter matches (not shown). */
  readonly keywords: string;
  readonly action: CommandAction;
}

/**
 * The commands a member may run, from the data model and their role: open each object's table, create a
 * record of each object they may create, the settings pages they may use, plugin pages, and sign out.
 * Commands the API would refuse are not offered.
 */
export function commandsFor(shell: ShellContext): Command[] {
  const commands: Command[] = [];
  for (const o of shell.objects) {
    commands.push({ id: `go:${o.name}`, label: `Go to ${o.label_plural}`, keywords: `open table ${o.name}`, action: { kind: 'navigate', path: `/objects/${encodeURIComponent(o.name)}` } });
  }
  for (const o of shell.objects) {
    if (!shell.permissions.object(o.name, 'create')) continue;
    commands.push({ id: `create:${o.name}`, label: `Create ${o.label_singular.toLowerCase()}`, keywords: `new add ${o.name}`, action: { kind: 'create', object: o.name } });
  }
  for (const p of shell.plugins) {
    for (const v of p.views) {
      if (v.slot !== 'nav.page') continue;
      commands.push({ id: `plugin:${p.id}/${v.element}`, label: `Go to ${v.label}`, keywords: `${p.name} app`, action: { kind: 'navigate', path: `/plugins/${encodeURIComponent(p.id)}/${encodeURIComponent(v.element)}` } });
    }
  }
  for (const page of settingsPagesFor(shell)) {
    commands.push({ id: `settings:${page.path}`, label: `Settings: ${page.label}`, keywords: 'preferences admin', action: { kind: 'navigate', path: page.path } });
  }
  commands.push({ id: 'sign-out', label: 'Sign out', keywords: 'log out logout leave', action: { kind: 'sign-out' } });
  return commands;
}

/** The commands whose label or keywords contain every word of `query` (any case); all for an empty query. */
export function filterCommands(commands: readonly Command[], query: string): Command[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...commands];
  return commands.filter((c) => {
    const text = `${c.label} ${c.keywords}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

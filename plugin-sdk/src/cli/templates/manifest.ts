import type { ScaffoldNames } from './names.js';

/** The scaffold's `mosaic-plugin.json`: an object of its own, two routes, an event handler, a job and a page. */
export function manifestTemplate(n: ScaffoldNames): Record<string, unknown> {
  return {
    $schema: n.schemaPath,
    id: n.id,
    name: n.title,
    version: '0.1.0',
    kernel: '^1.0.0',
    description: `${n.title}: notes kept by a Mosaic CRM plugin.`,
    permissions: {
      events: { subscribe: ['record.created'] },
      kv: true,
    },
    objects: [
      {
        name: n.object,
        label_singular: 'Note',
        label_plural: 'Notes',
        label_field: 'title',
        fields: [
          { name: 'title', type: 'text', is_nullable: false },
          { name: 'body', type: 'long_text' },
        ],
      },
    ],
    routes: [
      { method: 'GET', path: '/notes', handler: 'listNotes', description: 'The newest notes.' },
      { method: 'POST', path: '/notes', handler: 'createNote', description: 'Creates a note from { title, body? }.' },
      { method: 'GET', path: '/stats', handler: 'stats', description: 'How many notes were created, counted by the event handler.' },
    ],
    events: [{ type: 'record.created', objects: [n.object], handler: 'onNoteCreated' }],
    jobs: [{ name: 'daily-summary', cron: '0 6 * * *', handler: 'dailySummary', description: 'Stores the number of notes every morning.' }],
    views: [{ slot: 'nav.page', element: n.element, label: 'Notes', icon: 'note' }],
    server: 'dist/server.js',
    ui: 'dist/views.js',
  };
}

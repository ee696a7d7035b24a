/** Manifests the tests start from; each test changes a copy. */

/** A manifest using every key, valid as it is. */
export function fullManifest(): Record<string, any> {
  return {
    $schema: '../node_modules/@mosaic/plugin-sdk/manifest.schema.json',
    id: 'acme.enrichment',
    name: 'Company enrichment',
    version: '1.2.0',
    kernel: '^1.0.0',
    publisher: { name: 'Acme', url: 'https://acme.example.com', email: 'plugins@acme.example.com' },
    description: 'Fills in company details from the Acme API.',
    icon: 'icon.svg',
    dependencies: { companies: '^1.0.0' },
    permissions: {
      records: { company: ['read', 'update'], enrichment_log: ['read', 'create', 'update', 'delete'] },
      events: { subscribe: ['record.created', 'record.*'], emit: ['acme.enrichment.*'] },
      http: ['https://api.example.com/*'],
      kv: true,
      settings: true,
      secrets: true,
    },
    objects: [
      {
        name: 'enrichment_log',
        label_singular: 'Enrichment log',
        label_plural: 'Enrichment logs',
        fields: [
          { name: 'status', type: 'select', options: { options: [{ value: 'ok', label: 'OK' }] } },
          { name: 'company', type: 'relation', options: { target: 'company' } },
        ],
      },
    ],
    fields: [{ object: 'company', field: { name: 'enriched_at', type: 'datetime' } }],
    routes: [{ method: 'GET', path: '/summary/:id', handler: 'summary', description: 'Enrichment summary of a company.' }],
    events: [{ type: 'record.created', objects: ['company'], fields: ['domain'], handler: 'onCompanyCreated' }],
    jobs: [{ name: 'nightly', cron: '0 3 * * *', handler: 'nightly' }],
    views: [{ slot: 'record.tab', element: 'acme-enrichment-tab', label: 'Enrichment', object: 'company' }],
    settings: {
      type: 'object',
      properties: { threshold: { type: 'number', minimum: 0, default: 0.5 }, region: { type: 'string', enum: ['eu', 'us'] } },
      required: ['region'],
      additionalProperties: false,
    },
    secrets: ['API_TOKEN'],
    server: 'dist/server.js',
    ui: 'dist/views.js',
  };
}

/** The full manifest after `change` has edited a copy of it. */
export function changed(change: (m: Record<string, any>) => void): Record<string, any> {
  const manifest = fullManifest();
  change(manifest);
  return manifest;
}

import t from 'tap';
import type { BusEvent } from '../../src/events/types.js';
import type { FieldDef } from '../../src/metadata/field-types/index.js';
import { compileObject } from '../../src/metadata/model.js';
import { metadataMessages, recordMessages } from '../../src/realtime/filter.js';
import type { WorkspaceRoles } from '../../src/realtime/roles.js';
import { Access } from '../../src/roles/index.js';

const WS = '00000000-0000-4000-8000-000000000001';
const RECORD = '00000000-0000-4000-8000-0000000000aa';
const ALL = { read: true, create: true, update: true, delete: true };
const NONE = { read: false, create: false, update: false, delete: false };

function field(name: string, type: FieldDef['type']): FieldDef {
  return { id: name, name, label: name, description: null, type, options: {}, isNullable: true, isUnique: false, isIndexed: false, defaultValue: null, position: 0, pluginId: null, system: false, relationFieldId: null };
}

const company = compileObject(
  { id: 'o1', name: 'company', labelSingular: 'Company', labelPlural: 'Companies', description: null, icon: null, labelField: null, pluginId: null, createdAt: new Date(), updatedAt: new Date() },
  [field('name', 'text'), field('revenue', 'number')],
  'ws_1',
);

function roles(spec: Record<string, { objects: Record<string, typeof ALL>; fields?: Record<string, Record<string, { read: boolean; update: boolean }>> }>): WorkspaceRoles {
  return new Map(Object.entries(spec).map(([key, p]) => [key, { access: new Access(key, { workspace: [], objects: p.objects, fields: p.fields ?? {} }), createdAt: 0 }]));
}

const ROLES = roles({
  owner: { objects: { '*': ALL } },
  member: { objects: { '*': ALL } },
  sales: { objects: { '*': ALL }, fields: { company: { revenue: { read: false, update: false } } } },
  outsider: { objects: { '*': ALL, company: NONE } },
});

function event(type: string, payload: Record<string, unknown>): BusEvent {
  return { id: 'e1', position: 1, workspace_id: WS, type, object: 'company', record_id: RECORD, actor: null, occurred_at: new Date().toISOString(), payload };
}

t.test('roles that see the same fields share one broadcast; others get their own or none', async (t) => {
  const created = event('record.created', { record: { id: RECORD, name: 'Acme', revenue: 5 }, extra: 'not on the allow-list' });
  const messages = recordMessages(created, company, ROLES);
  t.equal(messages.length, 2, 'one payload for owner and member, one for sales, none for outsider');
  const [full, sales] = messages;
  t.same(full.rooms, [
    `ws:${WS}:role:owner:obj:company`, `ws:${WS}:role:owner:obj:company:rec:${RECORD}`,
    `ws:${WS}:role:member:obj:company`, `ws:${WS}:role:member:obj:company:rec:${RECORD}`,
  ]);
  t.same(full.event.payload, { record: { id: RECORD, name: 'Acme', revenue: 5 } }, 'payload keys outside the allow-list are dropped');
  t.same(sales.rooms, [`ws:${WS}:role:sales:obj:company`, `ws:${WS}:role:sales:obj:company:rec:${RECORD}`]);
  t.same(sales.event.payload, { record: { id: RECORD, name: 'Acme' } });
  t.equal(created.payload.extra, 'not on the allow-list', 'the original event is not modified');

  const revenueOnly = event('record.updated', { record: { id: RECORD, name: 'Acme', revenue: 6 }, changed_fields: ['revenue'], before: { revenue: 5 }, after: { revenue: 6 } });
  t.same(recordMessages(revenueOnly, company, ROLES).map((m) => m.rooms.length), [4], 'an update of hidden fields only is not sent to sales');
  t.same(recordMessages(created, undefined, ROLES), [], 'without metadata nothing can be filtered, so nothing is sent');
});

t.test('metadata events follow object and field visibility', async (t) => {
  const rooms = (type: string, payload: Record<string, unknown>) => metadataMessages(event(type, payload), ROLES).flatMap((m) => m.rooms.map((r) => r.split(':role:')[1]));
  t.same(rooms('field.added', { field: { name: 'city' } }), ['owner', 'member', 'sales']);
  t.same(rooms('field.updated', { field: 'revenue', changes: {} }), ['owner', 'member'], 'a hidden field’s changes stay hidden');
  t.same(rooms('object.updated', { name: 'company' }), ['owner', 'member', 'sales']);
  t.same(metadataMessages(event('object.deleted', { name: 'company' }), roles({ outsider: { objects: { company: NONE } } })), []);
});

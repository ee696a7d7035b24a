import { createHash } from 'node:crypto';
import type { KernelServices } from '../app/services.js';
import type { Actor } from '../auth/context.js';
import { MosaicError } from '../errors/index.js';
import { insertEvents } from '../events/outbox.js';
import { toIso } from '../workspaces/timestamps.js';
import { findClient, isDocumentClientId } from './clients.js';
import { OAUTH_SCOPES } from './scopes.js';

/**
 * A connected app: one client a member authorized in a workspace, over all of that member's live
 * authorizations of it (each consent is a grant, a refresh-token family of its own).
 */
export interface ConnectedApp {
  /** The id in this API's paths (see {@link appId}). */
  readonly id: string;
  readonly client_id: string;
  readonly client_name: string;
  /** `registered`: through `/oauth/register`; `document`: its client_id is the URL of its metadata document. */
  readonly client_kind: 'registered' | 'document';
  /** Where the client receives its codes: the hosts of its redirect URIs (a private-use scheme stands for itself). */
  readonly redirect_hosts: string[];
  /** Every scope the member granted it, over its live authorizations. */
  readonly scopes: string[];
  readonly authorizations: number;
  readonly first_authorized_at: string;
  /** When it last obtained tokens (a code exchange or a refresh). */
  readonly last_used_at: string;
  /** Only in the administrators' list. */
  readonly member?: { readonly id: string; readonly name: string; readonly email: string };
}

/** A registered client with authorizations in the workspace's past and none live now: an administrator may delete it. */
export interface IdleClient {
  readonly id: string;
  readonly client_id: string;
  readonly client_name: string;
  readonly last_revoked_at: string | null;
}

/** Hex characters of an app id: the first 128 bits of the client id's SHA-256. */
const APP_ID_LENGTH = 32;
const APP_ID_SQL = `left(encode(sha256(convert_to(client_id, 'UTF8')), 'hex'), ${APP_ID_LENGTH})`;

/**
 * The path id of a client: a hash, because a client id may be a long URL, which a path segment can carry
 * neither as it is nor within the router's parameter length.
 */
export function appId(clientId: string): string {
  return createHash('sha256').update(clientId, 'utf8').digest('hex').slice(0, APP_ID_LENGTH);
}

/**
 * The client id an app id stands for among the clients ever authorized in the workspace (by `memberId`,
 * when given). Anything else answers `MOSAIC_ERR_OAUTH_APP_NOT_FOUND`.
 */
export async function clientIdOf(services: KernelServices, workspaceId: string, id: string, memberId?: string): Promise<string> {
  if (!new RegExp(`^[0-9a-f]{${APP_ID_LENGTH}}$`).test(id)) throw new MosaicError('MOSAIC_ERR_OAUTH_APP_NOT_FOUND');
  const query = services.db.knex('oauth_grant').where({ workspace_id: workspaceId }).whereRaw(`${APP_ID_SQL} = ?`, [id]).first('client_id');
  if (memberId) query.where({ member_id: memberId });
  const row = (await query) as { client_id: string } | undefined;
  if (!row) throw new MosaicError('MOSAIC_ERR_OAUTH_APP_NOT_FOUND');
  return row.client_id;
}

/**
 * A grant (aliased `g`) is live while it is not revoked and holds an unspent, unexpired refresh token: a
 * rotated grant always does, and one whose last refresh token expired can obtain nothing any more.
 */
const LIVE = `(g.revoked_at is null and exists (select 1 from oauth_refresh_token l where l.grant_id = g.id and l.used_at is null and l.expires_at > now()))`;

function hostOf(uri: string): string {
  try {
    const url = new URL(uri);
    return url.host || url.protocol;
  } catch {
    return uri;
  }
}

/** Name, kind and redirect hosts of a client; a document that cannot be fetched now falls back to its host. */
async function describeClient(services: KernelServices, clientId: string): Promise<Pick<ConnectedApp, 'client_name' | 'client_kind' | 'redirect_hosts'>> {
  const kind = isDocumentClientId(clientId) ? 'document' : 'registered';
  try {
    const client = await findClient(services, clientId);
    return { client_name: client.name, client_kind: kind, redirect_hosts: [...new Set(client.redirectUris.map(hostOf))] };
  } catch {
    return { client_name: kind === 'document' ? hostOf(clientId) : clientId, client_kind: kind, redirect_hosts: [] };
  }
}

/**
 * The live connected apps of a workspace, one per member and client, newest use first; only `memberId`'s
 * when given. Administrators' lists (`withMember`) name the member.
 */
export async function listConnectedApps(services: KernelServices, workspaceId: string, options: { memberId?: string; withMember?: boolean } = {}): Promise<ConnectedApp[]> {
  const { knex } = services.db;
  // Scopes multiply the rows of a grant; every aggregate below is distinct, a min or a max. The last use is
  // a subquery per grant rather than a join: a busy grant holds a refresh token per rotation.
  const { rows } = (await knex.raw(
    `select g.member_id, g.client_id, u.name as member_name, u.email as member_email,
            count(distinct g.id)::int as authorizations, min(g.created_at) as first_authorized_at,
            array_agg(distinct s.scope) as scopes,
            max((select max(t.created_at) from oauth_refresh_token t where t.grant_id = g.id)) as last_used_at
       from oauth_grant g
       join member m on m.id = g.member_id
       join app_user u on u.id = m.user_id
       cross join lateral unnest(g.scopes) as s(scope)
      where g.workspace_id = ? and ${LIVE} and (?::uuid is null or g.member_id = ?::uuid)
      group by g.member_id, g.client_id, u.name, u.email
      order by last_used_at desc nulls last, g.client_id`,
    [workspaceId, options.memberId ?? null, options.memberId ?? null],
  )) as {
    rows: { member_id: string; client_id: string; member_name: string; member_email: string; authorizations: number; first_authorized_at: string; scopes: string[]; last_used_at: string | null }[];
  };
  const clients = new Map<string, Promise<Awaited<ReturnType<typeof describeClient>>>>();
  for (const row of rows) if (!clients.has(row.client_id)) clients.set(row.client_id, describeClient(services, row.client_id));
  return Promise.all(
    rows.map(async (row) => ({
      id: appId(row.client_id),
      client_id: row.client_id,
      ...(await clients.get(row.client_id)!),
      // The catalogue's order, as tokens carry them.
      scopes: OAUTH_SCOPES.map((s) => s.name).filter((s) => row.scopes.includes(s)),
      authorizations: row.authorizations,
      first_authorized_at: toIso(row.first_authorized_at)!,
      last_used_at: toIso(row.last_used_at ?? row.first_authorized_at)!,
      ...(options.withMember ? { member: { id: row.member_id, name: row.member_name, email: row.member_email } } : {}),
    })),
  );
}

/**
 * Registered clients that were authorized in this workspace and hold no live authorization here now:
 * what an administrator may delete.
 */
export async function listIdleClients(services: KernelServices, workspaceId: string): Promise<IdleClient[]> {
  const { knex } = services.db;
  const rows = (await knex('oauth_grant as g')
    .join('oauth_client as c', 'c.id', 'g.client_id')
    .where('g.workspace_id', workspaceId)
    .groupBy('c.id', 'c.name')
    .havingRaw(`not bool_or${LIVE}`)
    .orderBy('c.name')
    .select('c.id', 'c.name', knex.raw('max(g.revoked_at) as last_revoked_at'))) as { id: string; name: string; last_revoked_at: string | null }[];
  return rows.map((r) => ({ id: appId(r.id), client_id: r.id, client_name: r.name, last_revoked_at: toIso(r.last_revoked_at) }));
}

/**
 * Revokes every authorization `memberId` gave `clientId` in the workspace: each grant's refresh tokens
 * stop working, and so do its access tokens, at once (protected resources check the grant on every
 * request). Codes issued but not yet exchanged are spent, so none can start a new grant afterwards.
 * Records an `oauth_app.revoked` event. `MOSAIC_ERR_OAUTH_APP_NOT_FOUND` when nothing was live.
 */
export async function revokeConnectedApp(services: KernelServices, input: { workspaceId: string; memberId: string; clientId: string; actor: Actor }): Promise<void> {
  const { workspaceId, memberId, clientId } = input;
  await services.db.knex.transaction(async (trx) => {
    const where = { workspace_id: workspaceId, member_id: memberId, client_id: clientId };
    const alive = await trx('oauth_grant as g').where({ 'g.workspace_id': workspaceId, 'g.member_id': memberId, 'g.client_id': clientId }).whereRaw(LIVE).first('g.id');
    if (!alive) throw new MosaicError('MOSAIC_ERR_OAUTH_APP_NOT_FOUND');
    const revoked = (await trx('oauth_grant').where(where).whereNull('revoked_at').update({ revoked_at: trx.fn.now() }, ['id'])) as { id: string }[];
    await trx('oauth_code').where(where).whereNull('used_at').update({ used_at: trx.fn.now() });
    await insertEvents(trx, [
      { workspaceId, type: 'oauth_app.revoked', actor: input.actor, payload: { client_id: clientId, member_id: memberId, authorizations: revoked.length } },
    ]);
  });
}

/**
 * Deletes a registered client as far as this workspace goes. Clients registered through `/oauth/register`
 * are instance-wide (one registration may be authorized in several workspaces), so a workspace
 * administrator can never take it away from another workspace: this forgets the client's revoked
 * authorizations here, and removes the registration itself only when no workspace has an authorization
 * or a pending code for it left — then its client_id stops working and the application must register
 * again. Refused with `MOSAIC_ERR_OAUTH_CLIENT_IN_USE` while a member of this workspace still has it
 * connected, `MOSAIC_ERR_OAUTH_CLIENT_NOT_REGISTERED` for a metadata-document client (nothing is stored),
 * `MOSAIC_ERR_OAUTH_APP_NOT_FOUND` for a client never authorized here.
 */
export async function deleteClient(services: KernelServices, input: { workspaceId: string; clientId: string; actor: Actor }): Promise<{ registrationDeleted: boolean }> {
  const { workspaceId, clientId } = input;
  if (isDocumentClientId(clientId)) throw new MosaicError('MOSAIC_ERR_OAUTH_CLIENT_NOT_REGISTERED');
  return services.db.knex.transaction(async (trx) => {
    // Locks the registration: a code exchange elsewhere cannot slip a grant in between the check and the delete.
    const client = (await trx('oauth_client').where({ id: clientId }).forUpdate().first('id', 'name')) as { id: string; name: string } | undefined;
    const here = (await trx('oauth_grant as g').where({ 'g.workspace_id': workspaceId, 'g.client_id': clientId }).select('g.id', trx.raw(`${LIVE} as live`))) as { id: string; live: boolean }[];
    if (!client || here.length === 0) throw new MosaicError('MOSAIC_ERR_OAUTH_APP_NOT_FOUND', 'No registered client with this id was ever authorized in this workspace.');
    if (here.some((g) => g.live)) throw new MosaicError('MOSAIC_ERR_OAUTH_CLIENT_IN_USE');
    await trx('oauth_grant').where({ workspace_id: workspaceId, client_id: clientId }).delete();
    await trx('oauth_code').where({ workspace_id: workspaceId, client_id: clientId }).delete();
    const elsewhere = (await trx('oauth_grant').where({ client_id: clientId }).first('id')) ?? (await trx('oauth_code').where({ client_id: clientId }).whereNull('used_at').where('expires_at', '>', trx.fn.now()).first('code_hash'));
    if (!elsewhere) await trx('oauth_client').where({ id: clientId }).delete();
    await insertEvents(trx, [{ workspaceId, type: 'oauth_client.deleted', actor: input.actor, payload: { client_id: clientId, client_name: client.name } }]);
    return { registrationDeleted: !elsewhere };
  });
}

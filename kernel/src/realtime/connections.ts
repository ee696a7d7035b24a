import type { FastifyBaseLogger } from 'fastify';
import type { Presence } from './presence.js';
import type { Authenticator, Credential, PresentedToken } from '../auth/index.js';
import { isMosaicError, MosaicError } from '../errors/index.js';
import type { Invalidation } from '../invalidation/index.js';
import type { MetadataStore } from '../metadata/store.js';
import { authenticateHandshake, connectError, errorBody } from './handshake.js';
import { ROLES_TTL_MS, type RoleCache } from './roles.js';
import { roleRoom, subscriptionKey, subscriptionRoom, type Subscription } from './rooms.js';
import type { RealtimeServer, RealtimeSocket, SubscribeReply } from './types.js';

/** Dependencies of {@link RealtimeConnections}. */
export interface ConnectionDeps {
  readonly authenticator: Authenticator;
  readonly metadata: MetadataStore;
  readonly roles: RoleCache;
  readonly invalidation: Invalidation;
  readonly log: FastifyBaseLogger;
  readonly trustProxy: boolean;
  /** Whether other processes share the adapter (false for `REALTIME_ADAPTER=none`). */
  readonly peers: boolean;
  /** Records which workspaces this process holds sockets of. */
  readonly presence: Presence;
}

/** Kept in this process only: the presented token must never travel with `socket.data`. */
interface Connection {
  readonly socket: RealtimeSocket;
  readonly presented: PresentedToken;
  readonly workspaceId: string;
  credential: Credential;
  readonly subscriptions: Map<string, Subscription>;
  expiry?: NodeJS.Timeout;
  /** The invalidation epoch when the handshake authenticated. */
  epoch: number;
  /** Settles once every process's deliverer can know the socket's role (see `#announceRole`). */
  roleAnnounced: Promise<void>;
}

const NAME = /^[a-z][a-z0-9_]{0,47}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A client needs a handful of subscriptions (the open views); the cap bounds what one socket can pin in memory. */
const MAX_SUBSCRIPTIONS = 500;
/** setTimeout's ceiling; a later expiry is checked again when this fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Re-authenticating a busy workspace must not take every pooled connection away from HTTP requests. */
const REAUTH_CONCURRENCY = 4;

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function parseSubscription(body: unknown): Subscription {
  const { object, record_id: recordId } = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (typeof object !== 'string' || !NAME.test(object) || (recordId !== undefined && (typeof recordId !== 'string' || !UUID.test(recordId)))) {
    throw new MosaicError('MOSAIC_ERR_REQUEST_INVALID', 'Send { object: "<name>" } or { object: "<name>", record_id: "<uuid>" }.');
  }
  return recordId === undefined ? { object } : { object, recordId: (recordId as string).toLowerCase() };
}

function reply(ack: unknown, answer: SubscribeReply): void {
  if (typeof ack === 'function') (ack as (r: SubscribeReply) => void)(answer);
}

/**
 * The sockets this process holds: handshake authentication, subscriptions, and keeping each socket's
 * permissions current. A socket lives in rooms named after its workspace and its role (see `rooms.ts`).
 * When any process announces that a workspace's roles or members changed, or a session or API key
 * changed, this process re-authenticates the affected sockets through the authenticator (whose cache
 * that same announcement emptied) and moves them to their new role's rooms, ends subscriptions the role
 * may no longer read, or disconnects them when the credential no longer resolves.
 */
export class RealtimeConnections {
  readonly #io: RealtimeServer;
  readonly #deps: ConnectionDeps;
  readonly #connections = new WeakMap<RealtimeSocket, Connection>();
  readonly #byWorkspace = new Map<string, Set<Connection>>();
  /** Re-authentication runs in progress per scope; a trigger during a run makes it run once more. */
  readonly #running = new Map<string, { again: boolean }>();
  /** Bumped by every invalidation, so a handshake that raced with one is re-checked once connected. */
  #epoch = 0;

  constructor(io: RealtimeServer, deps: ConnectionDeps) {
    this.#io = io;
    this.#deps = deps;
    io.use((socket, next) => {
      const epoch = this.#epoch;
      authenticateHandshake(socket.handshake, deps.authenticator, deps.trustProxy).then(
        ({ presented, credential }) => {
          const conn: Connection = { socket, presented, workspaceId: credential.workspaceId, credential, subscriptions: new Map(), epoch, roleAnnounced: Promise.resolve() };
          this.#connections.set(socket, conn);
          next();
        },
        (err: unknown) => next(connectError(err, deps.log)),
      );
    });
    io.on('connection', (socket) => this.#connected(socket));
    io.on('roles_stale', (workspaceId) => {
      if (typeof workspaceId === 'string') deps.roles.evict(workspaceId);
    });
    const inWorkspace = (topic: string) => (workspaceId: string) => this.#recheck(`${topic}:${workspaceId}`, (c) => workspaceId === '*' || c.workspaceId === workspaceId);
    deps.invalidation.on('roles', inWorkspace('roles'));
    deps.invalidation.on('members', inWorkspace('members'));
    const holding = (kind: PresentedToken['kind']) => (id: string) => this.#recheck(`${kind}:${id}`, (c) => id === '*' || (c.presented.kind === kind && c.credential.id === id));
    deps.invalidation.on('session', holding('session'));
    deps.invalidation.on('api_key', holding('api_key'));
  }

  #connected(socket: RealtimeSocket): void {
    const conn = this.#connections.get(socket)!;
    const { workspaceId } = conn;
    let set = this.#byWorkspace.get(workspaceId);
    let joined: Promise<void> = Promise.resolve();
    if (!set) {
      this.#byWorkspace.set(workspaceId, (set = new Set()));
      joined = this.#deps.presence.join(workspaceId).catch((err) => this.#deps.log.warn({ err }, 'could not record realtime presence'));
    }
    set.add(conn);
    const roleKey = conn.credential.auth.access.roleKey;
    socket.data = { workspaceId, roleKey };
    void socket.join(roleRoom(workspaceId, roleKey));
    this.#armExpiry(conn);
    if (conn.epoch !== this.#epoch) void this.#reauthenticate(conn);
    // Subscriptions are acknowledged only once other processes know this workspace is watched.
    conn.roleAnnounced = Promise.all([this.#announceRole(workspaceId, roleKey), joined]).then(() => undefined);

    socket.on('subscribe', (body, ack) => {
      this.#subscribe(conn, body).then(() => reply(ack, { ok: true }), (err: unknown) => reply(ack, { error: errorBody(err, this.#deps.log) }));
    });
    socket.on('unsubscribe', (body, ack) => {
      try {
        const sub = parseSubscription(body);
        conn.subscriptions.delete(subscriptionKey(sub));
        void socket.leave(subscriptionRoom(workspaceId, socket.data.roleKey, sub));
        reply(ack, { ok: true });
      } catch (err) {
        reply(ack, { error: errorBody(err, this.#deps.log) });
      }
    });
    socket.on('disconnect', () => {
      clearTimeout(conn.expiry);
      set.delete(conn);
      if (set.size === 0 && this.#byWorkspace.get(workspaceId) === set) {
        this.#byWorkspace.delete(workspaceId);
        void this.#deps.presence.leave(workspaceId).catch(() => undefined);
      }
    });
  }

  /** Refuses objects the role cannot read exactly as HTTP does: as if they did not exist. */
  async #subscribe(conn: Connection, body: unknown): Promise<void> {
    const sub = parseSubscription(body);
    conn.credential.auth.access.assertObject(sub.object, 'read');
    // Acknowledge only once the deliverers can know the role, so an `ok` means events will follow.
    await Promise.all([this.#deps.metadata.object(conn.workspaceId, sub.object), conn.roleAnnounced]);
    // The role may have changed, or the socket gone, while metadata loaded: decide on the current state.
    const { access } = conn.credential.auth;
    access.assertObject(sub.object, 'read');
    if (!conn.socket.connected) return;
    const key = subscriptionKey(sub);
    if (!conn.subscriptions.has(key) && conn.subscriptions.size >= MAX_SUBSCRIPTIONS) {
      throw new MosaicError('MOSAIC_ERR_REQUEST_INVALID', `A connection holds at most ${MAX_SUBSCRIPTIONS} subscriptions; unsubscribe from some first.`);
    }
    conn.subscriptions.set(key, sub);
    await conn.socket.join(subscriptionRoom(conn.workspaceId, access.roleKey, sub));
  }

  /** Re-authenticates the matching sockets, coalescing bursts of announcements per scope. */
  #recheck(scope: string, match: (c: Connection) => boolean): void {
    this.#epoch++;
    const running = this.#running.get(scope);
    if (running) {
      running.again = true;
      return;
    }
    const run = { again: true };
    this.#running.set(scope, run);
    void (async () => {
      // A change is announced twice in the writing process, before and after its commit (see
      // workspaces/change.ts); a run that read the old state is followed by one that reads the new.
      while (run.again) {
        run.again = false;
        const affected = [...this.#byWorkspace.values()].flatMap((set) => [...set].filter(match));
        await eachLimited(affected, REAUTH_CONCURRENCY, (c) => this.#reauthenticate(c));
      }
    })().finally(() => this.#running.delete(scope));
  }

  async #reauthenticate(conn: Connection): Promise<void> {
    if (!conn.socket.connected) return;
    let credential: Credential;
    try {
      credential = await this.#deps.authenticator.presented(conn.presented);
    } catch (err) {
      // A refused credential ends the connection; a database outage is no reason to drop anyone.
      if (isMosaicError(err)) this.#refuse(conn, err);
      else this.#deps.log.warn({ err }, 'could not re-authenticate a realtime connection');
      return;
    }
    if (credential.workspaceId !== conn.workspaceId) {
      // switch-workspace moved the session: its rooms belong to the old workspace, so start over.
      this.#refuse(conn, new MosaicError('MOSAIC_ERR_AUTH_SESSION_EXPIRED', 'Your session moved to another workspace; reconnect to follow it.'));
      return;
    }
    this.#apply(conn, credential);
  }

  /** Moves a socket to its (possibly new) role's rooms and ends subscriptions it may no longer read. */
  #apply(conn: Connection, credential: Credential): void {
    const before = conn.credential.auth.access;
    conn.credential = credential;
    this.#armExpiry(conn);
    const access = credential.auth.access;
    if (before.roleKey === access.roleKey && JSON.stringify(before.permissions) === JSON.stringify(access.permissions)) return;
    const { socket, workspaceId } = conn;
    const wanted = new Set([roleRoom(workspaceId, access.roleKey)]);
    for (const [key, sub] of conn.subscriptions) {
      if (access.object(sub.object, 'read')) {
        wanted.add(subscriptionRoom(workspaceId, access.roleKey, sub));
        continue;
      }
      conn.subscriptions.delete(key);
      const error = { code: 'MOSAIC_ERR_OBJECT_NOT_FOUND', message: `No object named "${sub.object}" in this workspace.` };
      socket.emit('unsubscribed', sub.recordId === undefined ? { object: sub.object, error } : { object: sub.object, record_id: sub.recordId, error });
    }
    // Leaving and joining happen in one synchronous stretch, so no broadcast can fall in between.
    for (const room of socket.rooms) if (room !== socket.id && !wanted.has(room)) void socket.leave(room);
    void socket.join([...wanted]);
    socket.data.roleKey = access.roleKey;
    socket.emit('access', { role: access.roleKey });
    conn.roleAnnounced = this.#announceRole(workspaceId, access.roleKey);
  }

  #refuse(conn: Connection, err: MosaicError): void {
    conn.socket.emit('auth_error', { error: { code: err.code, message: err.message } });
    conn.socket.disconnect(true);
  }

  /** Re-checks a session or key when it expires, which disconnects the socket unless it was extended. */
  #armExpiry(conn: Connection): void {
    clearTimeout(conn.expiry);
    const { expiresAt } = conn.credential;
    if (expiresAt === null) return;
    conn.expiry = setTimeout(() => void this.#reauthenticate(conn), Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - Date.now()) + 50));
    conn.expiry.unref();
  }

  /**
   * The deliverer, in whichever process it runs, filters with its cached role list. Creating a role
   * announces nothing, so a socket whose role is younger than that cache may be the first to use it:
   * tell every process to reload this workspace's roles.
   */
  async #announceRole(workspaceId: string, roleKey: string): Promise<void> {
    const { roles, peers, log } = this.#deps;
    try {
      let known = await roles.get(workspaceId);
      if (!known.has(roleKey)) {
        roles.evict(workspaceId);
        known = await roles.get(workspaceId);
      }
      const role = known.get(roleKey);
      if (peers && role && Date.now() - role.createdAt < ROLES_TTL_MS * 2) this.#io.serverSideEmit('roles_stale', workspaceId);
    } catch (err) {
      log.warn({ err, workspaceId }, 'could not check a realtime role');
    }
  }
}

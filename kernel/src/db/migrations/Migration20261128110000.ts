import { Migration } from '@mikro-orm/migrations';

/**
 * The OAuth 2.1 authorization server (`kernel/src/oauth`).
 *
 * - `oauth_signing_key`: the keys access tokens are signed with (ES256). The private JWK is sealed with the
 *   kernel's secret box; the public JWK is published at the JWKS endpoint until `expires_at` (set when a
 *   newer key replaces it, to the moment its last token expires). Exactly one key has `retired_at` null.
 * - `oauth_client`: clients registered dynamically (RFC 7591). Clients identified by a metadata document
 *   URL are not stored: their document is fetched and cached in memory.
 * - `oauth_code`: authorization codes (stored hashed), single use: `used_at` is set by the exchange, and a
 *   second exchange revokes the grant the first one started.
 * - `oauth_grant`: one consent turned into tokens: a member of a workspace, a client, scopes, a resource.
 *   It is the refresh-token family: revoking it ends every refresh token and access token issued under it.
 * - `oauth_refresh_token`: refresh tokens (hashed), rotated at each use; a used one presented again
 *   revokes its grant (reuse detection).
 * - `oauth_revoked_token`: access tokens revoked by `jti` (RFC 7009), kept until they would expire anyway.
 */
export class Migration20261128110000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table oauth_signing_key (
        kid text primary key,
        alg text not null,
        public_jwk jsonb not null,
        private_jwk text not null,
        created_at timestamptz(3) not null default now(),
        retired_at timestamptz(3) null,
        expires_at timestamptz(3) null
      );
    `);
    this.addSql(`create unique index oauth_signing_key_active_idx on oauth_signing_key ((true)) where retired_at is null;`);
    this.addSql(`
      create table oauth_client (
        id text primary key,
        secret_hash text null,
        name text not null,
        redirect_uris text[] not null,
        token_endpoint_auth_method text not null check (token_endpoint_auth_method in ('none', 'client_secret_post', 'client_secret_basic')),
        metadata jsonb not null default '{}'::jsonb,
        created_at timestamptz(3) not null default now()
      );
    `);
    this.addSql(`
      create table oauth_grant (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspace(id) on delete cascade,
        member_id uuid not null references member(id) on delete cascade,
        user_id uuid not null references app_user(id) on delete cascade,
        client_id text not null,
        scopes text[] not null,
        resource text not null,
        created_at timestamptz(3) not null default now(),
        revoked_at timestamptz(3) null
      );
    `);
    this.addSql(`create index oauth_grant_member_idx on oauth_grant (member_id);`);
    this.addSql(`
      create table oauth_code (
        code_hash text primary key,
        client_id text not null,
        workspace_id uuid not null references workspace(id) on delete cascade,
        member_id uuid not null references member(id) on delete cascade,
        user_id uuid not null references app_user(id) on delete cascade,
        redirect_uri text not null,
        code_challenge text not null,
        scopes text[] not null,
        resource text not null,
        expires_at timestamptz(3) not null,
        used_at timestamptz(3) null,
        grant_id uuid null references oauth_grant(id) on delete cascade
      );
    `);
    this.addSql(`
      create table oauth_refresh_token (
        token_hash text primary key,
        grant_id uuid not null references oauth_grant(id) on delete cascade,
        created_at timestamptz(3) not null default now(),
        expires_at timestamptz(3) not null,
        used_at timestamptz(3) null
      );
    `);
    this.addSql(`create index oauth_refresh_token_grant_idx on oauth_refresh_token (grant_id);`);
    this.addSql(`
      create table oauth_revoked_token (
        jti text primary key,
        expires_at timestamptz(3) not null
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists oauth_revoked_token;');
    this.addSql('drop table if exists oauth_refresh_token;');
    this.addSql('drop table if exists oauth_code;');
    this.addSql('drop table if exists oauth_grant;');
    this.addSql('drop table if exists oauth_client;');
    this.addSql('drop table if exists oauth_signing_key;');
  }
}

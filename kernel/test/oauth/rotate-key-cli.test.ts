import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { decodeProtectedHeader } from 'jose';
import t from 'tap';
import { signUp } from '../helpers/auth.js';
import { startPeerKernel, startTestKernel } from '../helpers/kernel.js';
import { connectClient } from '../mcp/helpers.js';
import { authorizeAndExchange, postForm, register } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REDIRECT = 'http://127.0.0.1:7777/callback';

/** Runs `npm run oauth:rotate-key`'s script as the operator would, with `env` on top of a bare environment. */
function rotateKey(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--no-node-snapshot', '--import', 'tsx', 'kernel/src/oauth/rotate-key-cli.ts'],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function listen(app: { listen(o: { port: number; host: string }): Promise<string>; server: { address(): unknown } }): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

t.test('npm run oauth:rotate-key: old tokens stay valid until they expire, new ones carry the new key', async (t) => {
  const secret = randomBytes(32).toString('base64');
  const kernel = await startTestKernel(t, { MOSAIC_SECRET_KEY: secret });
  const base = await listen(kernel.app);
  const owner = await signUp(kernel.app, { workspace: 'Rotation Inc' });
  const { body: client } = await register(base, { client_name: 'Agent', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
  const before = await authorizeAndExchange(base, owner, { client_id: client.client_id, redirect_uri: REDIRECT });
  t.equal(before.status, 200, 'tokens before the rotation');
  const oldKid = decodeProtectedHeader(before.body.access_token).kid!;

  const wrongKey = await rotateKey({ DATABASE_URL: kernel.databaseUrl, MOSAIC_SECRET_KEY: randomBytes(32).toString('base64') });
  t.equal(wrongKey.code, 1, 'another secret key is refused');
  t.match(wrongKey.stderr, /cannot be opened with this secret key.*Nothing was changed/);
  const noKey = await rotateKey({ DATABASE_URL: kernel.databaseUrl, MOSAIC_DATA_DIR: `/tmp/mosaic-no-such-folder-${randomBytes(4).toString('hex')}/pg` });
  t.equal(noKey.code, 1);
  t.match(noKey.stderr, /No secret key: MOSAIC_SECRET_KEY is not set/, 'no key file is never made up');
  t.same((await kernel.services.db.knex('oauth_signing_key').select('kid')).map((r) => r.kid), [oldKid], 'nothing rotated by the refusals');

  const rotated = await rotateKey({ DATABASE_URL: kernel.databaseUrl, MOSAIC_SECRET_KEY: secret });
  t.equal(rotated.code, 0, rotated.stderr);
  const newKid = /New OAuth signing key (\S+) is active/.exec(rotated.stdout)?.[1];
  t.ok(newKid && newKid !== oldKid, 'a new key');
  t.match(rotated.stdout, new RegExp(`The previous key ${oldKid} stays published, and its tokens valid, until \\d{4}-`));
  const jwks = (await (await fetch(`${base}/oauth/jwks`)).json()) as { keys: { kid: string }[] };
  t.same(jwks.keys.map((k) => k.kid), [newKid, oldKid], 'both keys are published');

  // The old access token still works at /mcp.
  const old = await connectClient(base, before.body.access_token);
  t.ok((await old.listTools()).tools.length > 0, 'a token of the old key is still accepted');
  await old.close();

  // A kernel process started now signs with the new key (running ones switch within a minute).
  const peer = await startPeerKernel(t, kernel, { MOSAIC_SECRET_KEY: secret });
  const peerBase = await listen(peer.app);
  const refreshed = await postForm(`${peerBase}/oauth/token`, { grant_type: 'refresh_token', refresh_token: before.body.refresh_token, client_id: client.client_id });
  t.equal(refreshed.status, 200, refreshed.status === 200 ? 'refreshed' : JSON.stringify(refreshed.body));
  t.equal(decodeProtectedHeader(refreshed.body.access_token).kid, newKid, 'new tokens are signed by the new key');
  // The grant's resource is the first process's URL (a grant never changes audience); that process loads
  // the new key by its kid on first sight.
  const fresh = await connectClient(base, refreshed.body.access_token);
  t.ok((await fresh.listTools()).tools.length > 0, 'and accepted by the process that did not sign it');
  await fresh.close();
});

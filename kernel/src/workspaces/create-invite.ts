import { randomUUID } from 'node:crypto';
import type { KernelServices } from '../app/services.js';
import type { AuthContext } from '../auth/context.js';
import { normalizeEmail } from '../auth/schemas.js';
import { hashToken, randomToken } from '../auth/tokens.js';
import { MosaicError } from '../errors/index.js';
import { assertMayGrant, findRole } from '../roles/grant.js';
import { applyChange } from './change.js';
import { isoDates } from './timestamps.js';

/** How long an invite can be redeemed. */
export const INVITE_TTL_DAYS = 7;

/** The body of `POST /api/workspace/invites` (and `POST /api/workspace/members`). */
export interface InviteBody {
  email: string;
  role: string;
}

/** An invite as listed; `token` and `accept_path` appear only in the answer that created it. */
export interface InviteView {
  id: string;
  email: string;
  role: string;
  created_at: string | null;
  expires_at: string | null;
  token?: string;
  accept_path?: string;
}

/**
 * Invites an email address with a role. The token is returned once; only its hash is stored. A newer
 * invite for the same address replaces any pending one, so the list never shows duplicates.
 */
export async function createInvite(services: KernelServices, auth: AuthContext, body: InviteBody): Promise<InviteView> {
  auth.access.assertCan('members');
  const email = normalizeEmail(body.email);
  const token = randomToken();
  return applyChange(services, async ({ trx }) => {
    const role = await findRole(trx, auth.workspaceId, body.role);
    assertMayGrant(auth.access, role);
    const existing = await trx('member as m')
      .join('app_user as u', 'u.id', 'm.user_id')
      .where({ 'm.workspace_id': auth.workspaceId, 'u.email': email })
      .first('m.id');
    if (existing) throw new MosaicError('MOSAIC_ERR_MEMBER_EXISTS');
    await trx('invite')
      .where({ workspace_id: auth.workspaceId, email })
      .whereNull('accepted_at')
      .whereNull('revoked_at')
      .update({ revoked_at: trx.fn.now() });
    const [row] = (await trx('invite').insert(
      {
        id: randomUUID(),
        workspace_id: auth.workspaceId,
        email,
        role_id: role.id,
        token_hash: hashToken(token),
        invited_by_member_id: auth.memberId ?? null,
        expires_at: new Date(Date.now() + INVITE_TTL_DAYS * 86_400_000),
      },
      ['id', 'email', 'created_at', 'expires_at'],
    )) as InviteView[];
    // A fragment, not a query string: browsers never send it to a server, so it stays out of access logs and Referer headers.
    return { ...isoDates([row!], 'created_at', 'expires_at')[0]!, role: role.key, token, accept_path: `/accept-invite#token=${token}` };
  });
}

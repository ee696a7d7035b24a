import type { RecordCaller } from '../../records/caller.js';
import type { RecordService } from '../../records/service.js';
import type { Access } from '../../roles/index.js';
import { viewAccess } from '../../plugins/view-records.js';

/**
 * The records service as a plugin tool's host API sees it: every call keeps the plugin as its actor,
 * with the plugin's access intersected with the calling member's (role ∩ token scopes), object by
 * object, and the member's field restrictions — the same rule as plugin views (`viewAccess`).
 *
 * A Proxy rather than a subclass: every method of the service takes the caller first, so wrapping all
 * of them generically means a method added to the service later is narrowed too, never widened by omission.
 */
export function narrowedRecords(records: RecordService, member: Access): RecordService {
  return new Proxy(records, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (caller: RecordCaller, ...rest: unknown[]) => (value as (...args: unknown[]) => unknown).call(target, { ...caller, access: viewAccess(member, caller.access) }, ...rest);
    },
  });
}

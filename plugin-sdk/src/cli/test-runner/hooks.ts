/**
 * Module resolution hooks for `mosaic-plugin test` (registered by `register.ts`). A plugin that
 * installs `@mosaic/plugin-sdk` resolves it normally; only when normal resolution fails is the
 * specifier mapped onto the SDK running the CLI, through that SDK's own `exports` map.
 */

interface HookData {
  readonly sdkRoot: string;
  readonly exports: Readonly<Record<string, string>>;
}

type NextResolve = (specifier: string, context: unknown) => Promise<{ url: string }>;

const PACKAGE = '@mosaic/plugin-sdk';
let data: HookData | undefined;

/** Receives the SDK's location and exports map from `register.ts`. */
export function initialize(given: HookData): void {
  data = given;
}

/** Normal resolution first; the SDK running the CLI as the fallback for `@mosaic/plugin-sdk[/…]`. */
export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<{ url: string }> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!data || (specifier !== PACKAGE && !specifier.startsWith(`${PACKAGE}/`))) throw error;
    const target = data.exports[`.${specifier.slice(PACKAGE.length)}`];
    if (target === undefined) throw error;
    // Through the rest of the chain again, so tsx sees the file and compiles it.
    return nextResolve(new URL(target, data.sdkRoot).href, context);
  }
}

import { SdkError } from '../sdk-error.js';

/**
 * The part of `@mosaic/kernel`'s public entry the test kernel uses. Restated here rather than imported:
 * the kernel depends on the SDK, so the SDK may only reach the kernel at run time, lazily.
 */
export interface KernelModule {
  loadConfig(env: Readonly<Record<string, string | undefined>>, cwd?: string): unknown;
  createKernel(options: { config: unknown; databaseUrl: string; logger?: boolean | Record<string, unknown> }): Promise<BuiltKernel>;
}

/** A kernel as `createKernel` returns it, as far as the test kernel needs it. */
export interface BuiltKernel {
  readonly app: { listen(options: { host: string; port: number }): Promise<string> };
  close(): Promise<void>;
}

/**
 * Imports the kernel. `specifier` is a parameter so a test can point it at something missing.
 *
 * @throws SdkError `MOSAIC_ERR_TESTING_KERNEL_UNAVAILABLE` when it cannot be imported or is not a kernel.
 */
export async function loadKernelModule(specifier = '@mosaic/kernel'): Promise<KernelModule> {
  let module: Partial<KernelModule>;
  try {
    module = (await import(specifier)) as Partial<KernelModule>;
  } catch (error) {
    throw new SdkError('MOSAIC_ERR_TESTING_KERNEL_UNAVAILABLE', `Could not load ${specifier}: ${(error as Error).message}`, [], { cause: error });
  }
  if (typeof module.createKernel !== 'function' || typeof module.loadConfig !== 'function') {
    throw new SdkError('MOSAIC_ERR_TESTING_KERNEL_UNAVAILABLE', `${specifier} does not export createKernel and loadConfig.`);
  }
  return module as KernelModule;
}

/** Whether this process can run isolated-vm (see `docs/plugins.md`). */
export function hasNoNodeSnapshot(): boolean {
  return process.execArgv.includes('--no-node-snapshot') || (process.env.NODE_OPTIONS ?? '').split(/\s+/).includes('--no-node-snapshot');
}

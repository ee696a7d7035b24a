/** Polls `check` until it returns a truthy value or `timeoutMs` passes; returns the last value. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await check();
  while (!value && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, everyMs));
    value = await check();
  }
  return value;
}

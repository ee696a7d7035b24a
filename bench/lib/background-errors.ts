/**
 * Keeps a benchmark alive through an unhandled rejection from the code under test (say, a background
 * task of the kernel failing while it shuts down), so the run still cleans up — above all, drops its
 * scratch database. The error is printed in full and the process exits non-zero.
 */
export function survivePromiseRejections(): void {
  process.on('unhandledRejection', (reason: unknown) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    process.stderr.write(`\nUNHANDLED REJECTION from the code under test (the run continues to clean up):\n${text}\n\n`);
    process.exitCode = 1;
  });
}

/**
 * Event bus benchmark: record.created → an in-kernel subscriber.
 *
 *   npm run bench:events      (DATABASE_URL or the local PostgreSQL at 127.0.0.1:5432)
 *
 * 1. Latency: single-record creates through the HTTP API at a steady pace. For each write we take the
 *    time from sending the request to its response (the write alone: the baseline) and from sending it
 *    to the subscriber's handler running (write + delivery). The difference is what the bus adds.
 *    Measured twice: with the bus serving only this subscriber, and with the realtime subscriber also
 *    running (as deployed), which publishes every event through the PostgreSQL socket.io adapter.
 * 2. Throughput: 20,000 records written as fast as the API takes them (batches of 500, 4 in flight);
 *    we report events committed per second and events delivered per second, from the first write to
 *    the last delivery.
 */
import { writeFileSync } from 'node:fs';
import { createScratchDatabase } from '../lib/database.js';
import { machineFacts, machineMarkdown } from '../lib/machine.js';
import { startBenchKernel } from '../records/setup.js';

const LATENCY_WRITES = Number(process.env.LATENCY_WRITES || 2000);
const LATENCY_CONCURRENCY = 4;
const THROUGHPUT_EVENTS = Number(process.env.THROUGHPUT_EVENTS || 20_000);
const BATCH = 500;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const db = await createScratchDatabase('mosaic_bench_events');
  const bench = await startBenchKernel(db.url);
  const { kernel, baseUrl, authorization } = bench;
  try {
    const handledAt = new Map<string, number>();
    let delivered = 0;
    let lastDelivery = 0;
    kernel.services.bus.subscribe('record.created', { objects: ['company'] }, (event) => {
      const now = performance.now();
      handledAt.set(String((event.payload.record as { name: string }).name), now);
      delivered++;
      lastDelivery = now;
    }, { name: 'bench:events' });
    await kernel.services.bus.wake();

    const post = (path: string, body: unknown) =>
      fetch(`${baseUrl}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    // Warm-up.
    for (let i = 0; i < 100; i++) await post('/api/objects/company', { name: `warm-${i}` });

    // 1. Latency, without and with the realtime subscriber.
    const realtime = (enabled: boolean) => kernel.services.db.knex('event_subscriber').where({ id: 'kernel:realtime' }).update({ enabled });
    const latency = async (label: string) => {
      const writeMs: number[] = [];
      const sentAt = new Map<string, number>();
      let next = 0;
      const worker = async () => {
        while (next < LATENCY_WRITES) {
          const name = `${label}-${next++}`;
          const started = performance.now();
          sentAt.set(name, started);
          const res = await post('/api/objects/company', { name });
          if (res.status !== 201) throw new Error(`create answered ${res.status}`);
          await res.arrayBuffer();
          writeMs.push(performance.now() - started);
        }
      };
      await Promise.all(Array.from({ length: LATENCY_CONCURRENCY }, worker));
      const deadline = Date.now() + 30_000;
      while ([...sentAt.keys()].some((n) => !handledAt.has(n)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const e2eMs = [...sentAt].map(([name, t]) => (handledAt.get(name) ?? Number.NaN) - t).filter(Number.isFinite).sort((a, b) => a - b);
      writeMs.sort((a, b) => a - b);
      return { writeMs, e2eMs, lost: sentAt.size - e2eMs.length };
    };
    await realtime(false);
    const alone = await latency('alone');
    await realtime(true);
    await kernel.services.bus.wake();
    const withRealtime = await latency('rt');
    const lost = alone.lost + withRealtime.lost;
    const rows = (label: string, r: Awaited<ReturnType<typeof latency>>) => [
      `| ${label}: write alone (request → response), the baseline | ${percentile(r.writeMs, 50).toFixed(1)} ms | ${percentile(r.writeMs, 99).toFixed(1)} ms |`,
      `| ${label}: write + delivery (request → handler runs) | ${percentile(r.e2eMs, 50).toFixed(1)} ms | ${percentile(r.e2eMs, 99).toFixed(1)} ms |`,
      `| ${label}: **added by the bus** | **${(percentile(r.e2eMs, 50) - percentile(r.writeMs, 50)).toFixed(1)} ms** | ${(percentile(r.e2eMs, 99) - percentile(r.writeMs, 99)).toFixed(1)} ms |`,
    ];

    // 2. Throughput.
    delivered = 0;
    const started = performance.now();
    let written = 0;
    let batchNo = 0;
    const batches = Math.ceil(THROUGHPUT_EVENTS / BATCH);
    const writer = async () => {
      while (batchNo < batches) {
        const b = batchNo++;
        const res = await post('/api/objects/company/batch', { records: Array.from({ length: BATCH }, (_, i) => ({ name: `tp-${b}-${i}` })) });
        if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        written += BATCH;
      }
    };
    await Promise.all(Array.from({ length: 4 }, writer));
    const writesDone = performance.now();
    const drainDeadline = Date.now() + 120_000;
    while (delivered < written && Date.now() < drainDeadline) await new Promise((r) => setTimeout(r, 10));
    const writeRate = written / ((writesDone - started) / 1000);
    const deliveryRate = delivered / ((lastDelivery - started) / 1000);

    const pg = (await kernel.services.db.knex.raw('select version()')) as { rows: { version: string }[] };
    const facts = machineFacts(pg.rows[0].version.split(',')[0]);
    const lines = [
      '## Event bus',
      '',
      `Command: \`npm run bench:events\` · ${new Date().toISOString().slice(0, 10)} · load generator, kernel and PostgreSQL share this ${facts.cpuCount}-core machine.`,
      '',
      machineMarkdown(facts),
      '',
      `**Latency** — ${LATENCY_WRITES} single creates through the HTTP API, ${LATENCY_CONCURRENCY} in flight, subscriber \`record.created\` on \`company\`:`,
      '',
      '| | p50 | p99 |',
      '|---|---:|---:|',
      ...rows('Bus alone', alone),
      ...rows('With realtime on', withRealtime),
      '',
      `Events not delivered within 30 s: ${lost}.`,
      '',
      `**Throughput** — ${written.toLocaleString('en-US')} records in batches of ${BATCH}, 4 in flight:`,
      '',
      '| | events/s |',
      '|---|---:|',
      `| Committed (the write alone) | ${Math.round(writeRate).toLocaleString('en-US')} |`,
      `| Delivered to the subscriber (first write → last delivery) | ${Math.round(deliveryRate).toLocaleString('en-US')} |`,
      '',
      `Goals: p50 added by the bus ≤ 10 ms; ≥ 2,000 events/s delivered. Delivered ${delivered.toLocaleString('en-US')} of ${written.toLocaleString('en-US')}.`,
      '',
    ];
    console.log(lines.join('\n'));
    writeFileSync(new URL('./results.md', import.meta.url), lines.join('\n'));
    if (lost > 0 || delivered < written) process.exitCode = 1;
  } finally {
    await kernel.close();
    await db.drop();
  }
}

await main();

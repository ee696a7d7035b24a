import { Cron } from 'croner';
import type { Knex } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import { listEnabledWithJobs, type PluginInstallation } from './store.js';

/** Job runs older than this are deleted. */
const KEEP_RUNS_MS = 7 * 24 * 3600_000;
const MINUTE = 60_000;

/** One run of a job this process claimed. */
export interface JobRun {
  readonly workspaceId: string;
  readonly pluginId: string;
  readonly job: string;
  readonly scheduledFor: string;
  readonly error: string | null;
}

/**
 * Runs plugin jobs on their cron schedules (5 fields, UTC, minute resolution), once per schedule slot
 * across every kernel process: each process wakes at the top of the minute and tries to insert the
 * slot's `plugin_job_run` row; the one whose insert wins runs the job, the others see the conflict.
 */
export class JobScheduler {
  readonly #knex: Knex;
  readonly #log: FastifyBaseLogger;
  readonly #owner: string;
  readonly #run: (installation: PluginInstallation, job: string, handler: string, scheduledFor: string) => Promise<void>;
  readonly #crons = new Map<string, Cron>();
  #timer: NodeJS.Timeout | undefined;
  #lastPrune = 0;
  #closed = false;

  constructor(options: {
    knex: Knex;
    log: FastifyBaseLogger;
    owner: string;
    run: (installation: PluginInstallation, job: string, handler: string, scheduledFor: string) => Promise<void>;
  }) {
    this.#knex = options.knex;
    this.#log = options.log;
    this.#owner = options.owner;
    this.#run = options.run;
  }

  /** Starts waking at the top of every minute. */
  start(): void {
    const arm = () => {
      if (this.#closed) return;
      const now = Date.now();
      const next = Math.floor(now / MINUTE) * MINUTE + MINUTE;
      this.#timer = setTimeout(() => {
        void this.runDue(new Date(next)).catch((err) => this.#log.error({ err }, 'plugin job scheduling failed'));
        arm();
      }, next - now);
      this.#timer.unref();
    };
    arm();
  }

  /**
   * Runs every enabled job whose schedule matches the minute `slot` and that no process has claimed for
   * it yet. Resolves when the jobs this process claimed have finished, with their outcomes.
   */
  async runDue(slot: Date): Promise<JobRun[]> {
    const minute = new Date(Math.floor(slot.getTime() / MINUTE) * MINUTE);
    const due: { installation: PluginInstallation; job: string; handler: string }[] = [];
    for (const installation of await listEnabledWithJobs(this.#knex)) {
      if (installation.error?.code === 'MOSAIC_ERR_PLUGIN_DEGRADED') continue;
      for (const job of installation.manifest.jobs ?? []) {
        if (this.#cron(job.cron).match(minute)) due.push({ installation, job: job.name, handler: job.handler });
      }
    }
    const scheduledFor = minute.toISOString();
    const runs = await Promise.all(due.map(async ({ installation, job, handler }) => {
      const claimed = await this.#knex('plugin_job_run')
        .insert({ workspace_id: installation.workspaceId, plugin_id: installation.pluginId, job, scheduled_for: minute, owner: this.#owner })
        .onConflict(['workspace_id', 'plugin_id', 'job', 'scheduled_for'])
        .ignore()
        .returning('job');
      if (claimed.length === 0) return null;
      let error: string | null = null;
      try {
        await this.#run(installation, job, handler, scheduledFor);
      } catch (err) {
        error = `${(err as { code?: string }).code ?? 'MOSAIC_ERR_INTERNAL'}: ${(err as Error).message}`.slice(0, 2000);
        this.#log.warn({ err, pluginId: installation.pluginId, workspaceId: installation.workspaceId, job }, 'plugin job failed');
      }
      await this.#knex('plugin_job_run')
        .where({ workspace_id: installation.workspaceId, plugin_id: installation.pluginId, job, scheduled_for: minute })
        .update({ finished_at: this.#knex.fn.now(), error });
      return { workspaceId: installation.workspaceId, pluginId: installation.pluginId, job, scheduledFor, error };
    }));
    if (Date.now() - this.#lastPrune > 3600_000) {
      this.#lastPrune = Date.now();
      await this.#knex('plugin_job_run').where('scheduled_for', '<', new Date(Date.now() - KEEP_RUNS_MS)).delete();
    }
    return runs.filter((r): r is JobRun => r !== null);
  }

  /** The latest runs of a plugin's jobs in a workspace, newest first, for the admin. */
  async recentRuns(workspaceId: string, pluginId: string, limit = 20): Promise<Record<string, unknown>[]> {
    const rows = (await this.#knex('plugin_job_run')
      .where({ workspace_id: workspaceId, plugin_id: pluginId })
      .orderBy('scheduled_for', 'desc')
      .limit(limit)
      .select('job', 'scheduled_for', 'started_at', 'finished_at', 'error')) as { job: string; scheduled_for: Date; started_at: Date; finished_at: Date | null; error: string | null }[];
    return rows.map((r) => ({
      job: r.job,
      scheduled_for: new Date(r.scheduled_for).toISOString(),
      started_at: new Date(r.started_at).toISOString(),
      finished_at: r.finished_at ? new Date(r.finished_at).toISOString() : null,
      error: r.error,
    }));
  }

  #cron(pattern: string): Cron {
    let cron = this.#crons.get(pattern);
    if (!cron) {
      cron = new Cron(pattern, { timezone: 'UTC', paused: true });
      this.#crons.set(pattern, cron);
    }
    return cron;
  }

  /** Stops waking; runs in progress finish. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }
}

import type { PluginPermissions } from '@mosaic/plugin-sdk';
import type { KernelServices } from '../app/services.js';
import type { Actor } from '../auth/context.js';
import { MosaicError } from '../errors/index.js';
import { PLUGIN_API_VERSION } from '../plugins/dependencies.js';
import type { UpgradeResult } from '../plugins/lifecycle.js';
import { loadPlugin, type LoadedPlugin } from '../plugins/loader.js';
import { listInstallations, type PluginInstallation } from '../plugins/store.js';
import type { PackageCache } from './cache.js';
import { sha256Hex } from './digest.js';
import { FETCH_LIMITS, fetchMarketplaceFile } from './fetch.js';
import { readPackage } from './package/index.js';
import { savePackage } from './package-store.js';
import { canonical, planConsent, resolvePlan, revocation, type InstallPlan, type PlanStep } from './plan.js';
import { findPlugin, type LoadedMarketplace, type MarketplaceSettings } from './sources.js';

/** An install or upgrade request. `consent` is the plan's permission set as shown to the admin. */
export interface InstallRequest {
  readonly id: string;
  readonly version?: string;
  readonly marketplace?: string;
  /** `{ <plugin id>: <permissions> }` exactly as the plan showed it; `requested` trusts the plan (config file). */
  readonly consent?: Readonly<Record<string, PluginPermissions>> | 'requested';
}

/** What an install did: the plan and the resulting installations, in install order. */
export interface InstallOutcome {
  readonly plan: InstallPlan;
  readonly installed: PluginInstallation[];
  /** Set when the asked-for plugin was already installed and this was an upgrade of it. */
  readonly upgrade: UpgradeResult | null;
}

/** The refusal that carries the plan: the admin must consent to exactly its permissions. */
export class ConsentNeeded extends MosaicError {
  readonly plan: InstallPlan;
  constructor(plan: InstallPlan, message: string) {
    super('MOSAIC_ERR_MARKETPLACE_CONSENT_REQUIRED', message, plan.steps.map((s) => ({ path: s.id, message: `${s.name} ${s.version}`, code: s.action })));
    this.plan = plan;
  }
}

/**
 * Installs and upgrades plugins from the configured marketplaces: resolves the plan, asks for one consent
 * covering it, downloads each archive, checks it against the index's checksum, verifies it with the
 * trusted publisher keys, stores it in the database (so every kernel process can extract the same bytes),
 * extracts it into this process's cache and hands it to the plugin lifecycle, dependencies first.
 */
export class MarketplaceInstaller {
  readonly #services: KernelServices;
  readonly #cache: PackageCache;
  readonly #settings: () => MarketplaceSettings;

  constructor(services: KernelServices, cache: PackageCache, settings: () => MarketplaceSettings) {
    this.#services = services;
    this.#cache = cache;
    this.#settings = settings;
  }

  /** The plan for installing (or upgrading to) a version, without changing anything. */
  async plan(workspaceId: string, request: Pick<InstallRequest, 'id' | 'version' | 'marketplace'>): Promise<{ plan: InstallPlan; market: LoadedMarketplace }> {
    const { market } = await findPlugin(this.#settings(), request.id, request.marketplace);
    const installed = await listInstallations(this.#services.db.knex, workspaceId);
    return { plan: resolvePlan(market, request.id, request.version, installed), market };
  }

  /**
   * Installs a plugin with its dependencies under one consent. When the plugin is installed already, a
   * newer version is an upgrade (see {@link upgrade}); the same version is refused.
   */
  async install(workspaceId: string, actor: Actor, request: InstallRequest): Promise<InstallOutcome> {
    const { plan, market } = await this.plan(workspaceId, request);
    const target = plan.steps[plan.steps.length - 1]!;
    if (target.action === 'upgrade' && target.from === target.version) {
      throw new MosaicError('MOSAIC_ERR_PLUGIN_ALREADY_INSTALLED', `${target.name} ${target.version} is already installed in this workspace.`);
    }
    if (target.action === 'upgrade') return this.#upgradeWithPlan(workspaceId, actor, plan, market, request.consent);
    this.#assertConsent(plan, request.consent);
    const packages = await this.#fetchAll(plan, market);
    const installed: PluginInstallation[] = [];
    for (const [i, step] of plan.steps.entries()) {
      const plugin = packages[i]!;
      if (step.action === 'install') {
        installed.push(await this.#services.plugins.lifecycle.install(workspaceId, actor, plugin, { grant: step.entry.permissions, source: 'api' }));
      } else {
        const result = await this.#services.plugins.lifecycle.upgrade(workspaceId, actor, step.id, plugin, { grant: step.entry.permissions, source: 'api' });
        installed.push(result.installation);
      }
    }
    return { plan, installed, upgrade: null };
  }

  /**
   * Upgrades an installed plugin to `version` (default: the newest installable). Without growing
   * permissions it applies at once; with them, and without the admin's consent to the new set, the
   * version is stored as pending and the old one runs on. New dependencies are installed first under the
   * same consent. A failure while applying (its server code throws, a schema change fails) leaves the
   * old version running.
   */
  async upgrade(workspaceId: string, actor: Actor, request: InstallRequest): Promise<InstallOutcome> {
    const { plan, market } = await this.plan(workspaceId, request);
    const target = plan.steps[plan.steps.length - 1]!;
    if (target.action !== 'upgrade') throw new MosaicError('MOSAIC_ERR_PLUGIN_NOT_INSTALLED', `No plugin "${request.id}" is installed in this workspace; install it instead.`);
    return this.#upgradeWithPlan(workspaceId, actor, plan, market, request.consent);
  }

  async #upgradeWithPlan(workspaceId: string, actor: Actor, plan: InstallPlan, market: LoadedMarketplace, consent: InstallRequest['consent']): Promise<InstallOutcome> {
    const target = plan.steps[plan.steps.length - 1]!;
    const others = plan.steps.slice(0, -1);
    // New dependencies need consent like any install; the target itself only when its permissions grow.
    const consented = consent !== undefined && (consent === 'requested' || canonical(consent) === canonical(planConsent(plan)));
    if (others.length > 0 && !consented) throw new ConsentNeeded(plan, `${target.name} ${target.version} needs ${others.map((s) => `${s.name} ${s.version}`).join(', ')} as well; consent to the whole plan to proceed.`);
    if (consent !== undefined && !consented) this.#assertConsent(plan, consent);
    const packages = await this.#fetchAll(plan, market);
    const installed: PluginInstallation[] = [];
    for (const [i, step] of others.entries()) {
      const plugin = packages[i]!;
      if (step.action === 'install') installed.push(await this.#services.plugins.lifecycle.install(workspaceId, actor, plugin, { grant: step.entry.permissions, source: 'api' }));
      else installed.push((await this.#services.plugins.lifecycle.upgrade(workspaceId, actor, step.id, plugin, { grant: step.entry.permissions, source: 'api' })).installation);
    }
    const result = await this.#services.plugins.lifecycle.upgrade(workspaceId, actor, target.id, packages[packages.length - 1]!, {
      source: 'api',
      ...(consented ? { grant: target.entry.permissions } : {}),
    });
    installed.push(result.installation);
    if (result.outcome === 'pending') {
      throw new ConsentNeeded(plan, `${target.name} ${target.version} asks for more permissions than granted; it waits for consent while ${result.previousVersion} keeps running.`);
    }
    return { plan, installed, upgrade: result };
  }

  #assertConsent(plan: InstallPlan, consent: InstallRequest['consent']): void {
    if (consent === 'requested') return;
    if (consent === undefined) throw new ConsentNeeded(plan, `Installing ${plan.steps.map((s) => `${s.name} ${s.version}`).join(', ')} needs the administrator's consent to their permissions; send the plan's "consent" back to install.`);
    if (canonical(consent) !== canonical(planConsent(plan))) {
      throw new ConsentNeeded(plan, 'The consent sent differs from the permissions this plan asks for (the marketplace may have changed); review the plan and consent again.');
    }
  }

  /** Downloads, checks and extracts every package of the plan before anything is installed. */
  async #fetchAll(plan: InstallPlan, market: LoadedMarketplace): Promise<LoadedPlugin[]> {
    const out: LoadedPlugin[] = [];
    for (const step of plan.steps) out.push(await this.#fetch(step, market));
    return out;
  }

  async #fetch(step: PlanStep, market: LoadedMarketplace): Promise<LoadedPlugin> {
    const reason = revocation(market.index, step.id, step.version);
    if (reason !== null) throw new MosaicError('MOSAIC_ERR_PACKAGE_REVOKED', `${step.name} ${step.version} was revoked by the marketplace "${market.index.name}": ${reason}`, [{ path: `${step.id}@${step.version}`, message: reason }]);
    const settings = this.#settings();
    const bytes = await fetchMarketplaceFile(market.location, step.entry.file, FETCH_LIMITS.maxArchiveBytes);
    const sha256 = sha256Hex(bytes);
    if (sha256 !== step.entry.sha256) {
      throw new MosaicError('MOSAIC_ERR_MARKETPLACE_CHECKSUM', `The archive of ${step.id} ${step.version} does not match the marketplace index (SHA-256 ${sha256}, index says ${step.entry.sha256}); it was not installed.`, [{ path: step.entry.file, message: 'checksum differs from the index' }]);
    }
    const pkg = await readPackage(bytes, { trustedKeys: settings.trustedKeys, allowUnsigned: settings.allowUnsigned, kernelVersion: PLUGIN_API_VERSION });
    const { manifest } = pkg;
    if (manifest.id !== step.id || manifest.version !== step.version) {
      throw new MosaicError('MOSAIC_ERR_PACKAGE_INVALID', `The marketplace lists ${step.id} ${step.version} but the archive holds ${manifest.id} ${manifest.version}.`, [{ path: step.entry.file, message: 'id or version differs from the index' }]);
    }
    // The admin consents to what the index shows; the signed manifest must ask for exactly that.
    if (canonical(manifest.permissions ?? {}) !== canonical(step.entry.permissions) || canonical(manifest.dependencies ?? {}) !== canonical(step.entry.dependencies)) {
      throw new MosaicError('MOSAIC_ERR_PACKAGE_INVALID', `The permissions or dependencies in the archive of ${step.id} ${step.version} differ from what the marketplace index shows; it was not installed.`, [{ path: step.entry.file, message: 'manifest differs from the index' }]);
    }
    const signerKey = pkg.signer ? settings.trustedKeys.find((k) => k.keyId === pkg.signer!.keyId) : undefined;
    await savePackage(this.#services.db.knex, {
      pluginId: manifest.id,
      version: manifest.version,
      sha256,
      bytes,
      signer: signerKey ? { keyId: signerKey.keyId, publicKey: signerKey.publicKey, ...(signerKey.publisher !== undefined ? { publisher: signerKey.publisher } : {}) } : null,
      marketplace: market.location,
    });
    return loadPlugin(await this.#cache.materialize(pkg));
  }
}

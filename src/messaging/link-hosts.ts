import type { Kysely } from 'kysely';
import { catalogHasUrlHost } from '../catalog/index.js';
import { hostMatcher, hostOf, type HostMatcher } from '../channels/index.js';
import type { Database } from '../store/index.js';
import type { TrackingSettings } from './workspace-settings.js';

/**
 * The hosts click tracking may send people to: the public URL's host, the workspace's
 * `tracking.allowedHosts` and, when `tracking.catalogHosts` is on, hosts of catalog item
 * URLs. A tracked link is a signed redirect on the shop's own domain, so a destination
 * taken from event data must not become one. `candidates` are the hosts the caller will
 * ask about: catalog hosts are looked up for those only.
 */
export async function trackableHosts(
  db: Kysely<Database>,
  workspaceId: string,
  tracking: TrackingSettings,
  publicUrl: string,
  candidates: readonly string[],
): Promise<HostMatcher> {
  const publicHost = hostOf(publicUrl);
  const configured = hostMatcher([
    ...tracking.allowedHosts,
    ...(publicHost === null ? [] : [publicHost]),
  ]);
  if (!tracking.catalogHosts) return configured;
  const fromCatalog = new Set<string>();
  for (const host of candidates) {
    if (!configured(host) && (await catalogHasUrlHost(db, workspaceId, host))) {
      fromCatalog.add(host);
    }
  }
  return (host) => configured(host) || fromCatalog.has(host);
}

/**
 * Where the click redirect may send someone for a signed destination: the URL as the
 * WHATWG parser writes it (the form whose host was checked, and a valid Location
 * header), or null when its host is not trackable now. Checked at redirect time, not
 * only when the link was signed: a token signed before the allow list shrank (or by a
 * version that tracked every link) must not keep redirecting off-site.
 */
export async function redirectTarget(
  db: Kysely<Database>,
  workspaceId: string,
  tracking: TrackingSettings,
  publicUrl: string,
  url: string,
): Promise<string | null> {
  const host = hostOf(url);
  if (host === null) return null;
  const allowed = await trackableHosts(db, workspaceId, tracking, publicUrl, [host]);
  return allowed(host) ? new URL(url).href : null;
}

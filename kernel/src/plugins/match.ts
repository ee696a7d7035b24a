import type { ManifestRoute } from '@mosaic/plugin-sdk';

/** A manifest route that answers a request, with its `:param` values. */
export interface RouteMatch {
  readonly route: ManifestRoute;
  readonly params: Record<string, string>;
}

/**
 * Finds the manifest route for `method` and `path` (the part after `/api/plugins/<id>`). Segments match
 * literally or bind a `:param`; a literal segment wins over a parameter, so `/notes/recent` beats
 * `/notes/:id` whatever their order in the manifest.
 */
export function matchRoute(routes: readonly ManifestRoute[], method: string, path: string): RouteMatch | null {
  const wanted = split(path);
  let best: { match: RouteMatch; literals: number } | null = null;
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = split(route.path);
    if (pattern.length !== wanted.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (const [i, segment] of pattern.entries()) {
      const value = wanted[i]!;
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = value;
      } else if (segment === value) {
        literals++;
      } else {
        ok = false;
        break;
      }
    }
    if (ok && (!best || literals > best.literals)) best = { match: { route, params }, literals };
  }
  return best?.match ?? null;
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
}

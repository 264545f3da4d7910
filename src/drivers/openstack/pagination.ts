/**
 * The next page of a listing, in the ways OpenStack services announce it:
 *   Nova, Cinder, Neutron, Octavia  {"servers": […], "servers_links": [{"rel": "next", "href": …}]}
 *   Heat and others                 {"links": [{"rel": "next", "href": …}]}
 *   Keystone                        {"links": {"next": "…"}}
 *   Glance                          {"images": […], "next": "/v2/images?marker=…"}
 * and, when a service says nothing but the page is full, a `marker` of the last item's id.
 */
import { rebaseLink } from './url.js';

type Json = Record<string, unknown>;

function nextHref(links: unknown): string | null {
  if (Array.isArray(links)) {
    for (const link of links) {
      const l = link as { rel?: unknown; href?: unknown } | null;
      if (l && l.rel === 'next' && typeof l.href === 'string' && l.href) return l.href;
    }
    return null;
  }
  if (links && typeof links === 'object') {
    const next = (links as { next?: unknown }).next;
    return typeof next === 'string' && next ? next : null;
  }
  return null;
}

function withMarker(url: string, marker: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('marker', marker);
  return parsed.toString();
}

/**
 * The URL of the page after `body` (fetched from `current`), or null when it was the last.
 * `limit` is the page size the request asked for (null: none, so no marker fallback).
 */
export function nextPage(
  body: Json,
  key: string,
  current: string,
  endpoint: string,
  limit: number | null,
): string | null {
  const items = body[key];
  if (!Array.isArray(items) || items.length === 0) return null;
  const href =
    nextHref(body[`${key}_links`]) ??
    nextHref(body.links) ??
    (typeof body.next === 'string' && body.next ? body.next : null);
  if (href !== null) return rebaseLink(endpoint, href);
  if (limit === null || items.length < limit) return null;
  const last = items[items.length - 1] as { id?: unknown } | null;
  return last && typeof last.id === 'string' ? withMarker(current, last.id) : null;
}

/** Building request URLs from catalog endpoints, paths and query parameters. */

/** Query parameters of a request; null and undefined values are left out, arrays repeat. */
export type QueryParams = Record<
  string,
  string | number | boolean | null | undefined | readonly string[]
>;

const VERSION_AT_END = /\/(v\d+(?:\.\d+)?)$/;
const LEADING_VERSION = /^\/(v\d+(?:\.\d+)?)(?=\/|$)/;

/** True for `http://…` and `https://…`. */
export function isAbsoluteUrl(path: string): boolean {
  return /^https?:\/\//i.test(path);
}

/**
 * `base` + `path`. A path that starts with a version the endpoint already names is not doubled
 * (`http://h:9292/v2` + `/v2/images` gives `http://h:9292/v2/images`, and
 * `http://h:8776/v3/<project>` + `/v3/volumes` gives `http://h:8776/v3/<project>/volumes`), so
 * drivers name the version whether or not the catalog endpoint carries it.
 */
export function joinUrl(base: string, path: string): string {
  if (isAbsoluteUrl(path)) return path;
  const trimmedBase = base.replace(/\/+$/, '');
  let rest = path.startsWith('/') ? path : `/${path}`;
  const version = LEADING_VERSION.exec(rest)?.[1];
  if (version && new URL(trimmedBase).pathname.split('/').includes(version)) {
    rest = rest.slice(version.length + 1);
  }
  return `${trimmedBase}${rest}`;
}

/** `url` with the query parameters appended. */
export function withQuery(url: string, query: QueryParams | undefined): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  if (!text) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${text}`;
}

/**
 * A pagination link as a URL on the catalog endpoint: relative links are joined to the
 * endpoint; absolute links from another origin (a service behind a proxy that names itself)
 * keep their path and query, moved under the endpoint's origin and path prefix.
 */
export function rebaseLink(endpoint: string, href: string): string {
  const base = new URL(endpoint);
  let path: string;
  if (isAbsoluteUrl(href)) {
    const link = new URL(href);
    if (link.origin === base.origin) return href;
    path = `${link.pathname}${link.search}`;
  } else if (href.startsWith('/')) {
    path = href;
  } else {
    return new URL(href, `${endpoint.replace(/\/+$/, '')}/`).toString();
  }
  const prefix = base.pathname.replace(/\/+$/, '').replace(VERSION_AT_END, '');
  const under = prefix && !path.startsWith(`${prefix}/`) ? `${prefix}${path}` : path;
  return `${base.origin}${under}`;
}

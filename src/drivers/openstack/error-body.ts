/**
 * The human message of an OpenStack error answer. Every service words its errors its own way:
 *   Nova, Cinder   {"itemNotFound": {"code": 404, "message": "…"}} (one key named after the fault)
 *   Neutron        {"NeutronError": {"type": "…", "message": "…", "detail": ""}}
 *   Keystone       {"error": {"code": 401, "title": "…", "message": "…"}}
 *   Heat           {"explanation": "…", "error": {"message": "…", "type": "…"}, "title": "…"}
 *   Octavia        {"faultcode": "Client", "faultstring": "…"}
 *   Zaqar          {"title": "…", "description": "…"}
 *   Placement      {"errors": [{"title": "…", "detail": "…"}]}
 *   Glance, proxies: text or an HTML page ("<h1>404 Not Found</h1> No image found …").
 */
import { CloudConflict, CloudError, CloudNotFound } from '../types.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** The message inside a parsed JSON error body, or null when there is none. */
export function messageOfJson(body: unknown): string | null {
  if (!isObject(body)) return text(body);
  const direct =
    text(body.faultstring) ??
    (isObject(body.error) ? text(body.error.message) : text(body.error)) ??
    text(body.description) ??
    text(body.message) ??
    text(body.explanation) ??
    text(body.detail);
  if (direct) return direct;
  if (isObject(body.NeutronError)) {
    return text(body.NeutronError.message) ?? text(body.NeutronError.type);
  }
  if (Array.isArray(body.errors)) {
    const parts = body.errors
      .filter(isObject)
      .map((e) => text(e.detail) ?? text(e.title))
      .filter((m): m is string => m !== null);
    if (parts.length > 0) return parts.join('; ');
  }
  // Nova and Cinder: a single key named after the fault ({"badRequest": {"message": …}}).
  for (const value of Object.values(body)) {
    if (isObject(value)) {
      const inner = text(value.message) ?? text(value.explanation);
      if (inner) return inner;
    }
  }
  return text(body.title);
}

function fromHtml(html: string): string {
  const body = /<body[^>]*>([\s\S]*?)<\/body>/i.exec(html)?.[1] ?? html;
  const withoutTitle = body.replace(/<h1[^>]*>[\s\S]*?<\/h1>/gi, ' ');
  const plain = withoutTitle
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain) return plain;
  return /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim() ?? '';
}

function fromText(raw: string): string {
  // webob's plain-text pages: "404 Not Found\n\nThe resource could not be found.\n\n"
  const lines = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length > 1 && /^\d{3} /.test(lines[0] ?? '')) lines.shift();
  return lines.join(' ');
}

/** The human message of an error body (JSON, HTML or text); a generic one when it is empty. */
export function errorMessage(status: number, raw: string, statusText = ''): string {
  const trimmed = raw.trim();
  let message: string | null = null;
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || trimmed.startsWith('"')) {
    try {
      message = messageOfJson(JSON.parse(trimmed));
    } catch {
      message = null;
    }
  }
  if (message === null && trimmed !== '') {
    message = /<(html|body|h1|title)[\s>]/i.test(trimmed) ? fromHtml(trimmed) : fromText(trimmed);
  }
  // webob puts HTML line breaks even into its JSON bodies (Glance: "No image found…<br /><br />").
  message =
    message
      ?.replace(/<br\s*\/?>/gi, ' ')
      .replace(/\s+/g, ' ')
      .trim() ?? null;
  if (message) return message.length > 2000 ? `${message.slice(0, 2000)}…` : message;
  return `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
}

/** The CloudError for an error answer: CloudNotFound for 404, CloudConflict for 409. */
export function cloudErrorOf(status: number, message: string): CloudError {
  if (status === 404) return new CloudNotFound(message);
  if (status === 409) return new CloudConflict(message);
  return new CloudError(status, message);
}

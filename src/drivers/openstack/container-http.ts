/** Addresses and error bodies of the Docker Engine API. */
import { CloudError } from '../types.js';

/**
 * The HTTP base URL of a daemon address: `tcp://h:p` is plain HTTP to `h:p`; `http(s)://` is
 * kept as it is. Anything else (a unix socket) cannot be reached from here.
 */
export function containerBaseUrl(address: string): string {
  const match = /^(tcp|http|https):\/\/([^/]+)\/?$/i.exec(address.trim());
  if (!match?.[1] || !match[2])
    throw new CloudError(400, `Unsupported Docker daemon address ${address}: use tcp://host:port.`);
  const scheme = match[1].toLowerCase() === 'https' ? 'https' : 'http';
  return `${scheme}://${match[2]}`;
}

/** The message of a Docker error answer (`{"message": "…"}`, else its text). */
export function dockerError(status: number, text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string' && parsed.message !== '') return parsed.message;
  } catch {
    // not JSON: use the text
  }
  const plain = text.trim();
  return plain === '' ? `The Docker daemon answered HTTP ${status}.` : plain;
}

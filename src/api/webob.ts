/**
 * Bodies in webob's own error format, used by upstream for errors raised outside its fault
 * wrapper: unknown routes, malformed microversions, a webhook trigger without `V`, and the
 * 202 of an action update. The format depends on the client's Accept header.
 */

/** Reason phrase and default explanation per status. */
export const STATUS_TEXT: Readonly<Record<number, { title: string; explanation: string }>> = {
  202: { title: 'Accepted', explanation: 'The request is accepted for processing.' },
  400: {
    title: 'Bad Request',
    explanation:
      'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  },
  401: {
    title: 'Unauthorized',
    explanation:
      'This server could not verify that you are authorized to access the document you requested.',
  },
  403: { title: 'Forbidden', explanation: 'Access was denied to this resource.' },
  404: { title: 'Not Found', explanation: 'The resource could not be found.' },
  405: { title: 'Method Not Allowed', explanation: 'The method is not allowed for this resource.' },
  406: {
    title: 'Not Acceptable',
    explanation:
      'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  },
  409: {
    title: 'Conflict',
    explanation: 'There was a conflict when trying to complete your request.',
  },
  413: {
    title: 'Request Entity Too Large',
    explanation: 'The body of your request was too large for this server.',
  },
  500: {
    title: 'Internal Server Error',
    explanation:
      'The server has either erred or is incapable of performing the requested operation.',
  },
  503: {
    title: 'Service Unavailable',
    explanation: 'The server is currently unavailable. Please try again at a later time.',
  },
};

/** Title and explanation of a status (falls back to a generic text). */
export function statusText(status: number): { title: string; explanation: string } {
  return STATUS_TEXT[status] ?? { title: 'Error', explanation: 'An error occurred.' };
}

/** Which representation webob picks for an Accept header. */
export function webobFormat(accept: string | undefined): 'json' | 'html' | 'plain' {
  if (!accept || accept.trim() === '') return 'plain';
  const types = accept.split(',').map((part) => {
    const [type = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { type: type.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
  });
  const score = (offer: string): number => {
    let best = 0;
    for (const t of types) {
      const [major] = offer.split('/');
      if (t.type === offer || t.type === `${major}/*` || t.type === '*/*')
        best = Math.max(best, t.q);
    }
    return best;
  };
  const html = score('text/html');
  const json = score('application/json');
  if (html === 0 && json === 0) return 'plain';
  return json > html ? 'json' : 'html';
}

/** A webob-style response: content type and body text. */
export function webobBody(
  status: number,
  detail: string,
  accept: string | undefined,
): { contentType: string; body: string } {
  const { title, explanation } = statusText(status);
  const statusLine = `${status} ${title}`;
  switch (webobFormat(accept)) {
    case 'json':
      return {
        contentType: 'application/json',
        body: JSON.stringify({
          message: `${explanation}<br /><br />\n${detail}\n\n`,
          code: statusLine,
          title,
        }),
      };
    case 'html':
      return {
        contentType: 'text/html; charset=UTF-8',
        body: `<html>\n <head>\n  <title>${statusLine}</title>\n </head>\n <body>\n  <h1>${statusLine}</h1>\n  ${explanation}<br /><br />\n${detail}\n\n\n </body>\n</html>`,
      };
    case 'plain':
      return {
        contentType: 'text/plain; charset=UTF-8',
        body: `${statusLine}\n\n${explanation}\n\n${detail}\n\n`,
      };
  }
}

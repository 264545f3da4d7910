import { describe, expect, it } from 'vitest';
import { cloudErrorOf, errorMessage } from '../../src/drivers/openstack/error-body.js';
import { CloudConflict, CloudError, CloudNotFound } from '../../src/drivers/types.js';

describe('messages of OpenStack error bodies', () => {
  it('reads the fault object of Nova and Cinder', () => {
    const body = JSON.stringify({
      itemNotFound: { code: 404, message: 'Instance abc could not be found.' },
    });
    expect(errorMessage(404, body)).toBe('Instance abc could not be found.');
    expect(
      errorMessage(
        400,
        JSON.stringify({ badRequest: { code: 400, message: 'Invalid flavorRef.' } }),
      ),
    ).toBe('Invalid flavorRef.');
  });

  it('reads NeutronError', () => {
    const body = JSON.stringify({
      NeutronError: { type: 'PortNotFound', message: 'Port p could not be found.', detail: '' },
    });
    expect(errorMessage(404, body)).toBe('Port p could not be found.');
  });

  it('reads the error object of Keystone and Heat', () => {
    expect(
      errorMessage(
        401,
        JSON.stringify({ error: { code: 401, title: 'Unauthorized', message: 'Bad token.' } }),
      ),
    ).toBe('Bad token.');
    const heat = {
      explanation: 'The resource could not be found.',
      code: 404,
      error: { message: 'The Stack (s) could not be found.', type: 'EntityNotFound' },
      title: 'Not Found',
    };
    expect(errorMessage(404, JSON.stringify(heat))).toBe('The Stack (s) could not be found.');
  });

  it('reads the faultstring of Octavia', () => {
    const body = JSON.stringify({
      faultcode: 'Client',
      faultstring: 'Load Balancer lb not found.',
    });
    expect(errorMessage(404, body)).toBe('Load Balancer lb not found.');
  });

  it('reads the title and description of Zaqar', () => {
    const body = JSON.stringify({
      title: 'Invalid API request',
      description: 'Queue name too long.',
    });
    expect(errorMessage(400, body)).toBe('Queue name too long.');
  });

  it('reads the errors list of Placement', () => {
    const body = JSON.stringify({
      errors: [{ status: 409, title: 'Conflict', detail: 'In use.' }],
    });
    expect(errorMessage(409, body)).toBe('In use.');
  });

  it('reads the HTML page of Glance without the markup', () => {
    const html =
      '<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  No image found with ID x<br /><br />\n\n\n </body>\n</html>';
    expect(errorMessage(404, html)).toBe('No image found with ID x');
  });

  it('drops the HTML line breaks webob puts into JSON messages', () => {
    const body = JSON.stringify({
      message: 'No image found with ID x<br /><br />\n\n\n',
      code: '404 Not Found',
      title: 'Not Found',
    });
    expect(errorMessage(404, body)).toBe('No image found with ID x');
  });

  it('reads a plain text page without its status line', () => {
    expect(errorMessage(404, '404 Not Found\n\nThe resource could not be found.\n\n')).toBe(
      'The resource could not be found.',
    );
  });

  it('falls back to the status for an empty body', () => {
    expect(errorMessage(503, '', 'Service Unavailable')).toBe('HTTP 503 Service Unavailable');
  });

  it('maps 404 and 409 to their error classes', () => {
    expect(cloudErrorOf(404, 'gone')).toBeInstanceOf(CloudNotFound);
    expect(cloudErrorOf(409, 'busy')).toBeInstanceOf(CloudConflict);
    const other = cloudErrorOf(400, 'bad');
    expect(other).toBeInstanceOf(CloudError);
    expect([other.status, other.message]).toEqual([400, 'bad']);
  });
});

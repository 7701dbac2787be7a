import type { IncomingMessage } from 'node:http';
import { cameOverTls } from './configure-http-app';

function request(remoteAddress: string, headers: Record<string, string | string[]> = {}, encrypted = false): IncomingMessage {
  return { headers, socket: { remoteAddress, encrypted } } as unknown as IncomingMessage;
}

describe('cameOverTls', () => {
  it('believes X-Forwarded-Proto from a proxy on loopback, by its last entry', () => {
    expect(cameOverTls(request('127.0.0.1', { 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(cameOverTls(request('::1', { 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(cameOverTls(request('::ffff:127.0.0.1', { 'x-forwarded-proto': 'http, https' }))).toBe(true);
    expect(cameOverTls(request('127.0.0.1', { 'x-forwarded-proto': 'https, http' }))).toBe(false);
  });

  it('ignores X-Forwarded-Proto from anyone else and asks the socket', () => {
    expect(cameOverTls(request('192.0.2.7', { 'x-forwarded-proto': 'https' }))).toBe(false);
    expect(cameOverTls(request('10.0.0.5', { 'x-forwarded-proto': 'https' }, true))).toBe(true);
    expect(cameOverTls(request('127.0.0.1'))).toBe(false);
    expect(cameOverTls(request('127.0.0.1', {}, true))).toBe(true);
  });
});

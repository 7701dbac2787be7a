import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMS_TEMPLATE_KINDS } from '@app/platform';

/** What the fake answers to the next requests, in order; then `OK` again. */
export type FakeAnswer = 'OK' | 'THROTTLED' | 'MOBILE_NUMBER_ILLEGAL' | 'HTTP_500';

export interface FakeRequest {
  outId: string;
  phone: string;
  templateCode: string;
  templateParam: Record<string, string>;
  signatureValid: boolean;
  answeredWith: FakeAnswer | 'SIGNATURE_MISMATCH';
}

export interface FakeSmsServer {
  url: string;
  accessKeyId: string;
  accessKeySecret: string;
  requests: FakeRequest[];
  /** Messages accepted per OutId (a repeat of an accepted OutId is answered OK and not delivered again). */
  delivered: Map<string, number>;
  /** Times the provider was asked to send each OutId. */
  asked: Map<string, number>;
  /** Requests received and not answered yet. */
  inFlight: number;
  /** Queue answers for the next requests. */
  script(...answers: FakeAnswer[]): void;
  /** Delay every answer (to let a test kill a worker while a request is in flight). */
  delayMs: number;
  close(): Promise<void>;
}

/** Percent-encoding of the signature scheme, written byte by byte: unreserved characters kept, every other UTF-8 byte as %XX. */
function encode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function expectedSignature(params: URLSearchParams, secret: string): string {
  const pairs = [...params.entries()].filter(([name]) => name !== 'Signature').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = pairs.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
  return createHmac('sha1', `${secret}&`)
    .update(`GET&${encode('/')}&${encode(canonical)}`)
    .digest('base64');
}

/**
 * A local stand-in for the Alibaba Cloud SMS API's SendSms: it checks the request's shape and its
 * HMAC-SHA1 signature (its own implementation of the documented scheme), refuses a reused
 * SignatureNonce, answers as scripted, and counts messages per OutId — accepting an OutId once,
 * like a provider that recognises a resend by its OutId.
 */
export async function startFakeSmsServer(): Promise<FakeSmsServer> {
  const accessKeyId = 'test-access-key-id';
  const accessKeySecret = 'test-access-key-secret';
  const queue: FakeAnswer[] = [];
  const nonces = new Set<string>();
  let bizCounter = 0;
  const state: Omit<FakeSmsServer, 'url' | 'close'> = {
    accessKeyId,
    accessKeySecret,
    requests: [],
    delivered: new Map(),
    asked: new Map(),
    inFlight: 0,
    delayMs: 0,
    script: (...answers) => queue.push(...answers),
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const params = url.searchParams;
    state.inFlight += 1;
    const reply = (status: number, body: Record<string, unknown>): void => {
      const send = (): void => {
        state.inFlight -= 1;
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ RequestId: `req-${bizCounter}`, ...body }));
      };
      if (state.delayMs > 0) setTimeout(send, state.delayMs);
      else send();
    };
    const required = [
      'AccessKeyId',
      'Action',
      'Format',
      'OutId',
      'PhoneNumbers',
      'SignName',
      'SignatureMethod',
      'SignatureNonce',
      'SignatureVersion',
      'TemplateCode',
      'TemplateParam',
      'Timestamp',
      'Version',
      'Signature',
    ];
    const missing = required.filter((name) => !params.get(name));
    if (req.method !== 'GET' || missing.length > 0) return reply(400, { Code: 'MissingParameter', Message: missing.join(',') });
    if (params.get('Action') !== 'SendSms' || params.get('Version') !== '2017-05-25' || params.get('Format') !== 'JSON')
      return reply(400, { Code: 'InvalidParameter' });
    if (params.get('SignatureMethod') !== 'HMAC-SHA1' || params.get('SignatureVersion') !== '1.0') return reply(400, { Code: 'InvalidParameter' });
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(params.get('Timestamp') ?? '')) return reply(400, { Code: 'InvalidTimeStamp.Format' });
    const outId = params.get('OutId') ?? '';
    let templateParam: Record<string, string> = {};
    try {
      templateParam = JSON.parse(params.get('TemplateParam') ?? '{}') as Record<string, string>;
    } catch {
      return reply(400, { Code: 'isv.INVALID_JSON_PARAM' });
    }
    const valid = params.get('AccessKeyId') === accessKeyId && params.get('Signature') === expectedSignature(params, accessKeySecret);
    const record: FakeRequest = {
      outId,
      phone: params.get('PhoneNumbers') ?? '',
      templateCode: params.get('TemplateCode') ?? '',
      templateParam,
      signatureValid: valid,
      answeredWith: 'OK',
    };
    state.requests.push(record);
    if (!valid) {
      record.answeredWith = 'SIGNATURE_MISMATCH';
      return reply(400, { Code: 'SignatureDoesNotMatch' });
    }
    const nonce = params.get('SignatureNonce') ?? '';
    if (nonces.has(nonce)) return reply(400, { Code: 'SignatureNonceUsed' });
    nonces.add(nonce);
    state.asked.set(outId, (state.asked.get(outId) ?? 0) + 1);
    const answer = queue.shift() ?? 'OK';
    record.answeredWith = answer;
    switch (answer) {
      case 'THROTTLED':
        return reply(200, { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' });
      case 'MOBILE_NUMBER_ILLEGAL':
        return reply(200, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: 'invalid mobile number' });
      case 'HTTP_500':
        return reply(500, { Code: 'InternalError' });
      case 'OK':
        bizCounter += 1;
        // An OutId seen before is the same message sent again: accepted, not delivered twice.
        if (!state.delivered.has(outId)) state.delivered.set(outId, 1);
        return reply(200, { Code: 'OK', Message: 'OK', BizId: `biz-${bizCounter}^0` });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeSmsServer = Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return fake;
}

/** Settings that point the aliyun client at the fake, with a template code for every kind. */
export function fakeSmsConfig(fake: FakeSmsServer): {
  smsProvider: 'aliyun';
  smsEndpoint: string;
  smsAccessKeyId: string;
  smsAccessKeySecret: string;
  smsSignName: string;
  smsTemplates: Record<string, string>;
} {
  return {
    smsProvider: 'aliyun',
    smsEndpoint: fake.url,
    smsAccessKeyId: fake.accessKeyId,
    smsAccessKeySecret: fake.accessKeySecret,
    smsSignName: '智慧养老',
    smsTemplates: Object.fromEntries(SMS_TEMPLATE_KINDS.map((kind, i) => [kind, `SMS_9000000${i}`])),
  };
}

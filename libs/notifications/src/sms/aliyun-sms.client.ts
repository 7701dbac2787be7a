import { createHmac, randomUUID } from 'node:crypto';
import type { NotificationKind } from '../notification.types';
import type { SmsMessage, SmsProvider, SmsResult } from './sms-provider';

/** RFC 3986 percent-encoding as the Alibaba Cloud RPC signature requires (space → %20, * → %2A, ~ kept). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/\*/g, '%2A');
}

/**
 * The RPC-style signature (SignatureVersion 1.0, HMAC-SHA1): the parameters sorted by name,
 * each `percentEncode(name)=percentEncode(value)`, joined by `&`; the string to sign is
 * `GET&%2F&` + percentEncode(that); the key is the secret followed by `&`.
 */
export function signRpc(params: Record<string, string>, secret: string, method = 'GET'): string {
  const canonical = Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name] ?? '')}`)
    .join('&');
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

/**
 * The provider's answer codes that mean "try again later": its flow control and its own
 * trouble. Everything else that is not `OK` is a request that will never succeed as it is (a
 * bad number, template, signature, parameters, or an account problem) and is given up.
 */
export const ALIYUN_RETRY_CODES: ReadonlySet<string> = new Set([
  'Throttling.User',
  'Throttling',
  'isv.BUSINESS_LIMIT_CONTROL',
  'isv.DAY_LIMIT_CONTROL',
  'ServiceUnavailable',
  'InternalError',
  'isp.SYSTEM_ERROR',
  'isp.RAM_PERMISSION_DENY_TEMPORARY',
]);

export interface AliyunSmsOptions {
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templates: Readonly<Record<string, string>>;
  timeoutMs?: number;
}

/** Maps an HTTP status and the body's `Code` to retry or give up (docs/notifications.md, "Provider answers"). */
export function mapAliyunAnswer(status: number, body: { Code?: unknown; BizId?: unknown; RequestId?: unknown } | null): SmsResult {
  const code = typeof body?.Code === 'string' ? body.Code : null;
  if (code === 'OK') {
    const id = typeof body?.BizId === 'string' ? body.BizId : typeof body?.RequestId === 'string' ? body.RequestId : 'unknown';
    return { outcome: 'SENT', messageId: id.slice(0, 100) };
  }
  if (code && ALIYUN_RETRY_CODES.has(code)) return { outcome: 'RETRY', code };
  if (status >= 500 || status === 429) return { outcome: 'RETRY', code: code ?? `HTTP_${status}` };
  return { outcome: 'GIVE_UP', code: (code ?? `HTTP_${status}`).slice(0, 100) };
}

/**
 * A client of the Alibaba Cloud SMS API's `SendSms` action (RPC style, version 2017-05-25): one
 * signed GET per message, `OutId` = the notification's id so the provider's records and receipts
 * name it and a resend after a crash is recognisable.
 */
export class AliyunSmsClient implements SmsProvider {
  readonly name = 'aliyun' as const;
  readonly remote = true;

  constructor(
    private readonly options: AliyunSmsOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  supports(kind: NotificationKind): boolean {
    return Boolean(this.options.templates[kind]);
  }

  /** The signed query parameters of one `SendSms` request. */
  signedParams(message: SmsMessage, nonce: string = randomUUID()): Record<string, string> {
    const template = this.options.templates[message.kind];
    if (!template) throw new Error(`no SMS template for ${message.kind}`);
    const params: Record<string, string> = {
      AccessKeyId: this.options.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      OutId: message.outId,
      PhoneNumbers: message.phone,
      SignName: this.options.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: nonce,
      SignatureVersion: '1.0',
      TemplateCode: template,
      TemplateParam: JSON.stringify(message.params),
      Timestamp: this.now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    return { ...params, Signature: signRpc(params, this.options.accessKeySecret) };
  }

  async send(message: SmsMessage): Promise<SmsResult> {
    const params = this.signedParams(message);
    const query = Object.entries(params)
      .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
      .join('&');
    const url = `${this.options.endpoint.replace(/\/+$/, '')}/?${query}`;
    let response: Response;
    try {
      response = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000), headers: { Accept: 'application/json' } });
    } catch {
      // Refused, reset or timed out: the message may or may not have been accepted; the resend carries the same OutId.
      return { outcome: 'RETRY', code: 'NETWORK' };
    }
    let body: { Code?: unknown; BizId?: unknown; RequestId?: unknown } | null = null;
    try {
      body = (await response.json()) as typeof body;
    } catch {
      body = null;
    }
    return mapAliyunAnswer(response.status, body);
  }
}

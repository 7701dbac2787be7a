import type { NotificationKind } from '../notification.types';

/** One text message to send. `outId` is the notification's id: a resend after a crash carries the same one. */
export interface SmsMessage {
  phone: string;
  kind: NotificationKind;
  params: Record<string, string>;
  outId: string;
}

/**
 * What the provider said: accepted (with its message id), try again later (throttling, its
 * outage, the network), or never (a bad number, template, signature or account).
 */
export type SmsResult = { outcome: 'SENT'; messageId: string } | { outcome: 'RETRY'; code: string } | { outcome: 'GIVE_UP'; code: string };

/** Injection token of the configured provider. */
export const SMS_PROVIDER = Symbol('SMS_PROVIDER');

export interface SmsProvider {
  readonly name: 'log' | 'none' | 'aliyun';
  /** True when a send goes out over the network and may take up to its timeout: the relay then claims few SMS rows a round. */
  readonly remote: boolean;
  /** False when the kind has nothing to send through this provider (e.g. no template code). */
  supports(kind: NotificationKind): boolean;
  send(message: SmsMessage): Promise<SmsResult>;
}

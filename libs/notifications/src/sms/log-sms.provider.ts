import { Logger } from '@nestjs/common';
import type { NotificationKind } from '../notification.types';
import { maskPhone } from '@app/identity';
import type { SmsMessage, SmsProvider, SmsResult } from './sms-provider';

/** Development: one log line per message, with the masked phone and the kind only. */
export class LogSmsProvider implements SmsProvider {
  readonly name = 'log' as const;
  readonly remote = false;
  private readonly logger = new Logger('Sms');

  supports(_kind: NotificationKind): boolean {
    return true;
  }

  async send(message: SmsMessage): Promise<SmsResult> {
    this.logger.log({ msg: 'sms (log provider: not sent)', to: maskPhone(message.phone), kind: message.kind, outId: message.outId });
    return { outcome: 'SENT', messageId: `log-${message.outId}` };
  }
}

/** No text messages at all: every SMS notification is skipped. */
export class NoSmsProvider implements SmsProvider {
  readonly name = 'none' as const;
  readonly remote = false;

  supports(_kind: NotificationKind): boolean {
    return false;
  }

  async send(_message: SmsMessage): Promise<SmsResult> {
    return { outcome: 'GIVE_UP', code: 'SMS_DISABLED' };
  }
}

import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { maskResidentId, normalizeResidentId } from './resident-id';

/** What is stored for an ID-card number: never the number itself. */
export interface ProtectedIdCard {
  /** `v1.` + base64(iv ‖ tag ‖ ciphertext), AES-256-GCM. */
  ciphertext: string;
  /** HMAC-SHA256 of the normalised number, hex: unique index and lookups. */
  hash: string;
  /** `330104********1234`, safe to show to whoever may see the record. */
  masked: string;
}

/**
 * Encrypts ID-card numbers at rest and derives the keyed hash used for uniqueness and lookup,
 * so the database never holds a number in clear (PIPL).
 */
@Injectable()
export class IdCardCipher {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  protect(idCardNumber: string): ProtectedIdCard {
    const normalized = normalizeResidentId(idCardNumber);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.config.idEncryptionKey, iv);
    const encrypted = Buffer.concat([cipher.update(normalized, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return {
      ciphertext: 'v1.' + Buffer.concat([iv, tag, encrypted]).toString('base64'),
      hash: this.hash(normalized),
      masked: maskResidentId(normalized),
    };
  }

  hash(idCardNumber: string): string {
    return createHmac('sha256', this.config.idHashKey).update(normalizeResidentId(idCardNumber)).digest('hex');
  }

  reveal(ciphertext: string): string {
    if (!ciphertext.startsWith('v1.')) throw new Error('Unknown ID-card ciphertext version');
    const raw = Buffer.from(ciphertext.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.config.idEncryptionKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

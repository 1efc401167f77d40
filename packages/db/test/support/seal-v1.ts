import { createCipheriv, randomBytes } from 'node:crypto';

/**
 * A value in the format sealed before keys had ids (`v1.<iv>.<tag>.<ciphertext>`), made here rather
 * than by SecretBox, as rows written by the older code hold it.
 */
export function sealV1(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join('.');
}

// The configuration's refusals that name what to fix, for the settings that are easy to get wrong.
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('email settings', () => {
  it('are off by default', () => {
    expect(loadConfig({}).SMTP_URL).toBe('');
  });

  it('accept an smtp:// or smtps:// URL with a sender', () => {
    const c = loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465', MAIL_FROM: 'coach@example.com' });
    expect(c.SMTP_URL).toBe('smtps://u:p@mail.example.com:465');
  });

  it('refuse a URL that is not SMTP, or not a URL, at startup', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.com', MAIL_FROM: 'a@b.c' })).toThrow(
      /SMTP_URL: must start with smtp:\/\/ or smtps:\/\//,
    );
    expect(() => loadConfig({ SMTP_URL: 'mail.example.com:25', MAIL_FROM: 'a@b.c' })).toThrow(/SMTP_URL/);
  });

  it('refuse SMTP_URL without MAIL_FROM', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.com:25' })).toThrow(
      /MAIL_FROM: required when SMTP_URL is set/,
    );
  });
});

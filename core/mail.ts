// Outgoing email (SMTP_URL, MAIL_FROM): one transport per process, opened on first send. Only the review
// workflow's mail activity sends (workflows/activities/review-mail.ts); Temporal owns its retries, so the
// transport itself never retries and gives up quickly on a server that does not answer.
import nodemailer, { type Transporter } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Stable per notice, so a resent one (a retried activity) is recognisably the same message. */
  messageId: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export function createMailer(smtpUrl: string, from: string): Mailer {
  let transport: Transporter | undefined;
  return {
    async send(message) {
      transport ??= nodemailer.createTransport({
        url: smtpUrl,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      });
      await transport.sendMail({ from, ...message });
    },
  };
}

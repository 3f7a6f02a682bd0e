import nodemailer, { type Transporter } from 'nodemailer';

export type MailOutcome = { ok: true; answer: string } | { ok: false; retryable: boolean; answer: string };

/** Alarm email over SMTP (nodemailer): one pooled transport, the server's reply as the answer. */
export class Mailer {
  private transport: Transporter;
  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(url, { pool: true, maxConnections: 2 } as never);
  }

  /** Points at another SMTP server (demo mode's local sink). */
  pointAt(url: string): void {
    this.transport.close();
    this.transport = nodemailer.createTransport(url, { pool: true, maxConnections: 2 } as never);
  }

  async send(to: string, subject: string, text: string): Promise<MailOutcome> {
    try {
      const info = (await this.transport.sendMail({ from: this.from, to, subject, text })) as {
        response?: string;
      };
      return { ok: true, answer: String(info.response ?? 'accepted') };
    } catch (err) {
      const e = err as { responseCode?: number; message: string };
      // 5xx SMTP replies are permanent (bad address, refused); everything else is worth a retry.
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
      return {
        ok: false,
        retryable: !permanent,
        answer: e.responseCode ? `${e.responseCode} ${e.message}` : e.message,
      };
    }
  }

  close(): void {
    this.transport.close();
  }
}

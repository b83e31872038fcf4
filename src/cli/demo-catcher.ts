import { createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SMTPServer } from 'smtp-server';

/** A captured message larger than this is refused (the sender records the failure). */
const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

export interface MailCatcher {
  /** `smtp://127.0.0.1:<port>`: where the demo's e-mail goes. */
  url: string;
  /** The folder of captured messages, one `.eml` file each. */
  dir: string;
  /** Messages captured since the demo folder was made. */
  count(): number;
  close(): Promise<void>;
}

/**
 * The demo's mail catcher: a real SMTP server on loopback that accepts every message and
 * keeps it, as sent (MIME), in `dir`. It relays nothing: a message that reaches it goes
 * no further than this folder.
 */
export async function startMailCatcher(dir: string): Promise<MailCatcher> {
  mkdirSync(dir, { recursive: true });
  let captured = readdirSync(dir).filter((f) => f.endsWith('.eml')).length;
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: no certificate to make, nothing on the wire but this machine.
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    banner: 'Rapport demo mail catcher: messages are kept locally, never relayed',
    onData(stream, _session, callback) {
      const file = join(dir, `${Date.now()}-${String(captured + 1).padStart(6, '0')}.eml`);
      pipeline(stream, createWriteStream(file))
        .then(() => {
          // The stream ends early when the message is over the size limit.
          if ((stream as { sizeExceeded?: boolean }).sizeExceeded) {
            rmSync(file, { force: true });
            callback(Object.assign(new Error('message too large'), { responseCode: 552 }));
            return;
          }
          captured++;
          callback();
        })
        .catch((error: unknown) => callback(error as Error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    dir,
    count: () => captured,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

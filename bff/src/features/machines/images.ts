import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Image types a machine picture may have, recognized by their first bytes (never by name or header). */
const SIGNATURES: { mime: string; ext: string; test: (b: Buffer) => boolean }[] = [
  {
    mime: 'image/png',
    ext: 'png',
    test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { mime: 'image/jpeg', ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    mime: 'image/gif',
    ext: 'gif',
    test: (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')),
  },
  {
    mime: 'image/webp',
    ext: 'webp',
    test: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

/** The image type of some bytes, or null when they are not a supported image. */
export function sniffImage(head: Buffer): { mime: string; ext: string } | null {
  const hit = SIGNATURES.find((s) => s.test(head));
  return hit ? { mime: hit.mime, ext: hit.ext } : null;
}

/** Machine pictures on disk under `<WD_DATA_DIR>/machine-images/<org>/`; keys are random, never user text. */
export class ImageStore {
  constructor(private readonly root: string) {}

  private file(orgId: number, key: string): string {
    if (!/^[a-z0-9-]+\.[a-z]+$/.test(key)) throw new Error('bad image key');
    return path.join(this.root, 'machine-images', String(orgId), key);
  }

  /** Copies an uploaded temp file into the store; returns its key. */
  async save(orgId: number, machineId: number, tempPath: string, ext: string): Promise<string> {
    const key = `${machineId}-${crypto.randomBytes(8).toString('hex')}.${ext}`;
    const target = this.file(orgId, key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.copyFile(tempPath, target);
    return key;
  }

  async read(orgId: number, key: string): Promise<Buffer> {
    return fs.readFile(this.file(orgId, key));
  }

  async remove(orgId: number, key: string): Promise<void> {
    await fs.rm(this.file(orgId, key), { force: true });
  }
}

/** Reads the first bytes of a file (enough to recognize its type). */
export async function readHead(file: string, n = 16): Promise<Buffer> {
  const h = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await h.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await h.close();
  }
}

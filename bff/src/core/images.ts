import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { z } from 'zod';
import { invalid } from './errors';

/** Image types an uploaded picture may have, recognized by their first bytes (never by name or header). */
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

const PNG_SIGNATURE_BYTES = 8;

/** A PNG is whole when its chunks run from IHDR to IEND with right lengths and CRCs, and nothing follows. */
function wholePng(b: Buffer): boolean {
  let at = PNG_SIGNATURE_BYTES;
  let first = true;
  while (at + 12 <= b.length) {
    const len = b.readUInt32BE(at);
    const type = b.subarray(at + 4, at + 8).toString('latin1');
    const end = at + 12 + len;
    if (len > 0x7fffffff || end > b.length) return false;
    if (first && (type !== 'IHDR' || len !== 13)) return false;
    if (zlib.crc32(b.subarray(at + 4, at + 8 + len)) !== b.readUInt32BE(at + 8 + len)) return false;
    first = false;
    at = end;
    if (type === 'IEND') return at === b.length;
  }
  return false;
}

/** Whether a whole image file of a sniffed type is complete: its structure ends where the format says. */
export function isWholeImage(b: Buffer, ext: string): boolean {
  switch (ext) {
    case 'png':
      return wholePng(b);
    case 'jpg': {
      // The end-of-image marker, allowing the padding some cameras append.
      let end = b.length;
      while (end > 2 && (b[end - 1] === 0x00 || b[end - 1] === 0xff) && b.length - end < 1024) end--;
      return end >= 4 && b[end - 2] === 0xff && b[end - 1] === 0xd9;
    }
    case 'gif':
      return b.length > 13 && b[b.length - 1] === 0x3b;
    case 'webp':
      return b.length >= 12 && b.readUInt32LE(4) + 8 === b.length;
    default:
      return false;
  }
}

/** An uploaded file as the multipart parser left it on disk. */
export interface UploadedFile {
  filepath: string;
  size: number;
}

/** Largest uploaded picture accepted, in bytes. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/** The multipart field of one picture: a file (not text, not two files) that is not empty. */
export const uploadedImage = (field: string) =>
  z
    .object(
      { filepath: z.string(), size: z.number() },
      { message: `${field} 必须是一个图片文件（multipart/form-data，只能一个）` },
    )
    .refine((f) => f.size > 0, `${field} 是空文件`);

/**
 * Checks an uploaded picture by its bytes: at most MAX_IMAGE_BYTES, PNG/JPEG/GIF/WebP, complete.
 * Answers its type; a bad file is a 400 naming `field`.
 */
export async function checkUploadedImage(
  file: UploadedFile,
  field: string,
): Promise<{ mime: string; ext: string }> {
  if (file.size > MAX_IMAGE_BYTES) throw invalid(field, `图片不能超过 ${MAX_IMAGE_BYTES / 1024 / 1024} MB`);
  const bytes = await fs.readFile(file.filepath);
  const kind = sniffImage(bytes);
  if (!kind) throw invalid(field, '只接受 PNG、JPEG、GIF 或 WebP 图片');
  if (!isWholeImage(bytes, kind.ext)) throw invalid(field, '图片文件不完整或已损坏');
  return kind;
}

/** Pictures on disk under `<WD_DATA_DIR>/<folder>/<org>/`; keys are random, never user text. */
export class ImageStore {
  constructor(
    private readonly root: string,
    private readonly folder: string,
  ) {}

  private file(orgId: number, key: string): string {
    if (!/^[a-z0-9-]+\.[a-z]+$/.test(key)) throw new Error('bad image key');
    return path.join(this.root, this.folder, String(orgId), key);
  }

  /** Copies an uploaded temp file into the store under `<ownerId>-<random>.<ext>`; returns its key. */
  async save(orgId: number, ownerId: number, tempPath: string, ext: string): Promise<string> {
    const key = `${ownerId}-${crypto.randomBytes(8).toString('hex')}.${ext}`;
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

/** The version part of a stored key (`<owner>-<version>.<ext>`), for cache-busting URLs. */
export const imageVersion = (key: string): string => key.split('.')[0]!.split('-')[1]!;

import { apiBase } from '../api/config';
import { ApiError } from '../api/errors';
import type { HttpResponse } from '../api/transport';
import type { PickedImage } from './avatar';

export type { PickedImage } from './avatar';

/** Browser: sends a picked picture as one multipart field. */
export async function sendImage(
  path: string,
  field: string,
  image: PickedImage,
  token: string,
): Promise<HttpResponse> {
  const form = new FormData();
  form.append(field, image);
  let res: Response;
  try {
    res = await fetch(`${apiBase}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    });
  } catch {
    throw new ApiError('network', '图片上传失败，请检查网络后重试');
  }
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** Browser: our BFF's pictures need the session's token, so they are fetched into a blob URL. */
export async function imageSrc(url: string, token: string): Promise<string> {
  if (!url.startsWith('/')) return url;
  const res = await fetch(`${apiBase}${url}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new ApiError('api', '头像读取失败', undefined, res.status);
  return URL.createObjectURL(await res.blob());
}

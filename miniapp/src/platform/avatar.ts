import Taro from '@tarojs/taro';
import { apiBase } from '../api/config';
import { ApiError } from '../api/errors';
import type { HttpResponse } from '../api/transport';

/** A picture the user picked: a temp file path in the mini-program, a File in the browser. */
export type PickedImage = string | Blob;

/** Mini-program: sends a picked picture as one multipart field (`wx.uploadFile`). */
export async function sendImage(
  path: string,
  field: string,
  image: PickedImage,
  token: string,
): Promise<HttpResponse> {
  try {
    const res = await Taro.uploadFile({
      url: `${apiBase}${path}`,
      filePath: String(image),
      name: field,
      header: { Authorization: `Bearer ${token}` },
    });
    let body: unknown = res.data;
    try {
      body = JSON.parse(res.data);
    } catch {
      // not JSON: the caller reports an unreadable answer
    }
    return { status: res.statusCode, body };
  } catch {
    throw new ApiError('network', '图片上传失败，请检查网络后重试');
  }
}

/**
 * Where an image view can show a picture from: our BFF's pictures need the session's token, so they
 * are downloaded first (`wx.downloadFile`); other addresses (WeChat's own avatar) are shown as they are.
 */
export async function imageSrc(url: string, token: string): Promise<string> {
  if (!url.startsWith('/')) return url;
  const res = await Taro.downloadFile({
    url: `${apiBase}${url}`,
    header: { Authorization: `Bearer ${token}` },
  });
  if (res.statusCode !== 200) throw new ApiError('api', '头像读取失败', undefined, res.statusCode);
  return res.tempFilePath;
}

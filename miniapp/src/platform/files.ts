import Taro from '@tarojs/taro';
import { apiBase } from '../api/config';
import { ApiError } from '../api/errors';

/** What opening a downloaded report did, for the page to say. */
export type Opened = 'opened' | 'downloaded';

/**
 * Mini-program: downloads a report with the session's token (`wx.downloadFile`) and opens it in
 * WeChat's document viewer (`wx.openDocument`), whose menu forwards it to a chat or saves it.
 */
export async function openReport(url: string, _fileName: string, token: string): Promise<Opened> {
  const res = await Taro.downloadFile({
    url: `${apiBase}${url}`,
    header: { Authorization: `Bearer ${token}` },
  });
  if (res.statusCode !== 200)
    throw new ApiError('api', '报表下载失败，请稍后再试', undefined, res.statusCode);
  await Taro.openDocument({ filePath: res.tempFilePath, fileType: 'xlsx', showMenu: true });
  return 'opened';
}

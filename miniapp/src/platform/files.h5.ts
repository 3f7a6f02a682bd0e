import { apiBase } from '../api/config';
import { ApiError } from '../api/errors';
import type { Opened } from './files';

export type { Opened } from './files';

/** Browser: fetches the report with the session's token and saves it under its own name. */
export async function openReport(url: string, fileName: string, token: string): Promise<Opened> {
  const res = await fetch(`${apiBase}${url}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new ApiError('api', '报表下载失败，请稍后再试', undefined, res.status);
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  a.setAttribute('data-testid', 'report-download');
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return 'downloaded';
}

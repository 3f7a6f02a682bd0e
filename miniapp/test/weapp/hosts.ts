import path from 'node:path';
import fs from 'node:fs';
import { createHost, settle, textOf } from './simulator.cjs';

// What the weapp render tests share: the build they draw, a host answering seed 002 requests, and a wait
// for the asynchronously rendered text.
export const dist = path.resolve(__dirname, '../../dist/weapp');

export type WxRequest = {
  url: string;
  method: string;
  header: Record<string, string>;
  success: (r: { statusCode: number; data: unknown; header: object }) => void;
};

/** Fails the suite early when the weapp build is missing. */
export function requireWeappBuild(): void {
  if (!fs.existsSync(path.join(dist, 'app.json')))
    throw new Error('dist/weapp is missing: run npm run build:weapp -w miniapp');
}

/** Renders the page until its text contains `expected` (the runtime renders asynchronously). */
export async function renderedText(
  host: ReturnType<typeof createHost>,
  page: Awaited<ReturnType<ReturnType<typeof createHost>['open']>>,
  expected: string | string[],
) {
  const all = Array.isArray(expected) ? expected : [expected];
  let text = '';
  // Up to 10 s: on a loaded machine the page's requests and renders can take seconds.
  for (let i = 0; i < 200 && !all.every((e) => text.includes(e)); i++) {
    await settle(50);
    text = textOf(host.render(page));
  }
  return text;
}

/** A host answering seed 002 requests from a table of path → Data rows (or a function of the URL). */
export function host002(data: Record<string, unknown[] | ((url: URL) => unknown[])>) {
  const host = createHost(dist, {
    request: (req: WxRequest) => {
      const url = new URL(req.url);
      const entry = data[url.pathname] ?? [];
      const rows = typeof entry === 'function' ? entry(url) : entry;
      setTimeout(
        () =>
          req.success({
            statusCode: 200,
            data: { Err_No: '0', Err_Msg: 'ok', Data: rows, Total_Numbers: rows.length },
            header: {},
          }),
        5,
      );
      return { abort: () => undefined };
    },
  });
  host.storage.set('wd.session', {
    token: 'tok',
    userId: '1',
    userName: 'm',
    role: 'admin',
    expiresAt: '2030-01-01T00:00:00Z',
  });
  return host;
}

import { startFakeWeChat } from './server';
import { DEMO_APPID, DEMO_SECRET, DEMO_TEMPLATE } from './state';

/** `npm run fake:wechat [-- --port 4100]`: the fake WeChat server on its own, for demos and manual tests. */
async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const appid = arg('appid') ?? process.env.WECHAT_APPID ?? DEMO_APPID;
  const secret = arg('secret') ?? process.env.WECHAT_SECRET ?? DEMO_SECRET;
  const fake = await startFakeWeChat({
    port: Number(arg('port') ?? process.env.FAKE_WECHAT_PORT ?? 4100),
    host: arg('host') ?? '127.0.0.1',
    apps: { [appid]: secret },
    templates: (arg('templates') ?? DEMO_TEMPLATE).split(','),
  });
  process.stdout.write(
    [
      `fake WeChat listening on ${fake.url}`,
      `  appid ${appid}  secret ${secret}  templates ${[...fake.state.templates].join(',')}`,
      `  point the BFF at it: WECHAT_API_BASE=${fake.url} WECHAT_APPID=${appid} WECHAT_SECRET=${secret}`,
      `  control endpoints: ${fake.url}/__fake/... (see bff/src/fakes/wechat/README.md)`,
      '',
    ].join('\n'),
  );
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();

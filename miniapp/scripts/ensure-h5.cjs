// Run by `npm start` (prestart): builds the H5 app when it is missing or older than its sources, so the
// BFF has something to serve on a fresh clone. Skipped when WD_SKIP_H5_BUILD=1.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'dist/h5/index.html');
const sources = [path.join(root, 'src'), path.join(root, 'config'), path.resolve(root, '../shared/src')];

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return t;
}

if (process.env.WD_SKIP_H5_BUILD === '1') process.exit(0);
const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
const stale = sources.some((d) => fs.existsSync(d) && newest(d) > builtAt);
if (!stale) process.exit(0);
process.stdout.write(
  builtAt
    ? 'H5 应用源码有更新，正在重新构建（约 1–3 分钟）…\n'
    : '首次启动：正在构建 H5 应用（约 1–3 分钟）…\n',
);
const started = Date.now();
execFileSync('npm', ['run', 'build:h5', '-w', 'miniapp', '--silent'], {
  stdio: ['ignore', 'ignore', 'inherit'],
  cwd: path.resolve(root, '..'),
});
process.stdout.write(`H5 应用构建完成（${((Date.now() - started) / 1000).toFixed(0)} 秒）\n`);

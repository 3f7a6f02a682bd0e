/**
 * Checks the weapp build against WeChat's limits: the main package and every subpackage at most 2 MB.
 * Prints a table; exits 1 when a package is over, or when the build is missing.
 */
import fs from 'node:fs';
import path from 'node:path';

const LIMIT = 2 * 1024 * 1024;
const dist = path.resolve(__dirname, '../dist/weapp');

function sizeOf(dir: string, skip: Set<string> = new Set()): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (skip.has(full)) continue;
    // Like WeChat's uploader: project.config.json and licence notes are not part of the package.
    if (entry.isFile() && (entry.name === 'project.config.json' || entry.name.endsWith('.LICENSE.txt')))
      continue;
    total += entry.isDirectory() ? sizeOf(full, skip) : fs.statSync(full).size;
  }
  return total;
}

function main(): number {
  const appJson = path.join(dist, 'app.json');
  if (!fs.existsSync(appJson)) {
    process.stderr.write(`没有找到 weapp 构建产物 ${appJson}：先运行 npm run build:weapp -w miniapp` + '\n');
    return 1;
  }
  const app = JSON.parse(fs.readFileSync(appJson, 'utf8')) as { subPackages?: { root: string }[] };
  const roots = (app.subPackages ?? []).map((p) => path.join(dist, p.root));
  const rows = [{ name: '主包', bytes: sizeOf(dist, new Set(roots)) }];
  for (const root of roots) rows.push({ name: `分包 ${path.basename(root)}`, bytes: sizeOf(root) });
  let failed = false;
  process.stdout.write('package            size (KB)   limit (KB)   ok' + '\n');
  for (const r of rows) {
    const ok = r.bytes <= LIMIT;
    failed ||= !ok;
    const kb = (r.bytes / 1024).toFixed(1).padStart(9);
    process.stdout.write(
      `${r.name.padEnd(18)} ${kb}   ${(LIMIT / 1024).toFixed(0).padStart(10)}   ${ok ? 'yes' : 'NO'}\n`,
    );
  }
  return failed ? 1 : 0;
}

process.exit(main());

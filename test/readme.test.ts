import fs from 'node:fs';
import path from 'node:path';
import { errorKinds } from '@wattdesk/shared';

// The README's configuration and error-code tables must not fall behind the code.
const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const example = fs.readFileSync(path.join(__dirname, '..', 'config', '.env.example'), 'utf8');
const configSource = fs.readFileSync(path.join(__dirname, '..', 'config', 'src', 'index.ts'), 'utf8');
const configKeys = [...configSource.matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]!);

describe('README', () => {
  it('lists every error code of the catalogue with its HTTP status', () => {
    for (const [kind, def] of Object.entries(errorKinds)) {
      const row002 = readme.split('\n').find((l) => l.startsWith(`| \`${def.code002}\` |`));
      expect({ kind, row002: Boolean(row002 && row002.includes(String(def.status))) }).toEqual({
        kind,
        row002: true,
      });
      const rowEms = readme.split('\n').find((l) => l.startsWith(`| \`${def.codeEms}\` |`));
      expect({ kind, rowEms: Boolean(rowEms && rowEms.includes(String(def.status))) }).toEqual({
        kind,
        rowEms: true,
      });
    }
  });

  it('documents every configuration key, in the table and in config/.env.example', () => {
    expect(configKeys.length).toBeGreaterThan(20);
    for (const key of configKeys) {
      expect({ key, readme: readme.includes(`\`${key}\``) }).toEqual({ key, readme: true });
      expect({ key, example: new RegExp(`^#? ?${key}=`, 'm').test(example) }).toEqual({ key, example: true });
    }
  });
});

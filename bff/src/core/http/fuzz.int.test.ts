import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../../../test/support/app';
import { buildOrg, randomIp, type TestUser } from '../../../../test/support/builders';
import { buildMeter, postReadings } from '../../../../test/support/metering/builders';
import { orgState } from '../../../../test/support/snapshot';

/**
 * Property-based fuzzing of every route in the app's own OpenAPI document (so routes other features add
 * later are covered without touching this file). For each operation and each declared query parameter or
 * body field, fast-check generates bad values of the field's declared kind (out-of-range and fractional
 * integers, huge, infinite and denormal numbers, control characters, wrong types, long strings, arrays
 * where objects are expected), plus extra fields, missing required fields and non-object bodies. Each is
 * sent by a signed-in admin of a fresh organization. Asserted: never a 5xx; a 400 names the offending
 * field in its envelope (002 `Err_Detail.field`, 000/001 `data.field`, 004 `data.field`, plain
 * `details.field`) — or, for the readings batch, a 200 that refuses every reading by position; and the
 * organization's data (every table, see `orgState`) is unchanged afterwards.
 *
 * Bounded: RUNS cases per operation, from a fixed seed, so a failure replays. Other 4xx answers are
 * accepted where they are the right answer to a well-formed request (401/403 for the broker hook's own
 * credentials, 404 for a route switched off in tests such as the demo's, 409, 413, 423, 429).
 */
const RUNS = 14;
const SEED = 20261201;

interface Schema {
  type?: string;
  anyOf?: Schema[];
  enum?: unknown[];
  pattern?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  maxLength?: number;
}
interface Operation {
  method: string;
  path: string;
  envelope: string;
  query: { name: string; required: boolean; schema: Schema }[];
  body?: { type: 'json' | 'multipart'; schema: Schema };
}
type Kind = 'int' | 'number' | 'string' | 'boolean' | 'array' | 'object' | 'file' | 'other';

function kindOf(s: Schema | undefined): Kind {
  if (!s) return 'other';
  const all = [s, ...(s.anyOf ?? [])];
  if (s.properties?.filepath) return 'file';
  if (all.some((x) => x.pattern?.includes('\\d{1,10}') || x.type === 'integer')) return 'int';
  if (all.some((x) => x.pattern?.includes('[eE]') || x.type === 'number')) return 'number';
  if (all.some((x) => x.type === 'array')) return 'array';
  if (all.some((x) => x.type === 'object')) return 'object';
  if (all.some((x) => x.type === 'boolean')) return 'boolean';
  if (all.some((x) => x.type === 'string')) return 'string';
  return 'other';
}

const control = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u000b', '\n'),
    fc.string({ maxLength: 8 }),
  )
  .map(([a, c, b]) => `${a}${c}${b}`);
const hugeNumbers = fc.constantFrom(1e308, -1e308, 1e-320, -4.9e-324, 1e300, 1e16, -1e16);
const numericStrings = fc.constantFrom(
  '1e309',
  '-1e309',
  '1e-320',
  '1e400',
  '2147483648',
  '99999999999999999999',
);
const wrongTypes = fc.constantFrom<unknown>(true, null, [], {}, [1, 2], { a: 1 });
const longString = fc.integer({ min: 2000, max: 6000 }).map((n) => 'x'.repeat(n));

/** Bad JSON values for a field of a kind. */
function badJson(kind: Kind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'int':
      return fc.oneof(
        fc.constantFrom(2147483648, -2147483649, 4294967296, 2 ** 53 + 2, 1.5, -0.5, 1e20),
        numericStrings,
        fc.constantFrom('1.5', 'abc', ' ', '0x10', '١٢'),
        control,
        wrongTypes,
      );
    case 'number':
      return fc.oneof(
        hugeNumbers,
        numericStrings,
        fc.constantFrom('NaN', 'Infinity', '1,5'),
        control,
        wrongTypes,
      );
    case 'string':
      return fc.oneof(control, longString, fc.constantFrom<unknown>(5, 1e300, true, null, [], {}, ['a']));
    case 'boolean':
      return fc.oneof(fc.constantFrom<unknown>('maybe', 2, -1, [], {}), control);
    case 'array':
      return fc.oneof(
        fc.constantFrom<unknown>({}, 'x', 5, null),
        fc.array(fc.oneof(control, hugeNumbers, numericStrings, wrongTypes), { minLength: 1, maxLength: 3 }),
      );
    case 'object':
      return fc.oneof(
        fc.constantFrom<unknown>([], 'x', 5, null, [{}]),
        control.map((c) => ({ [c]: 1 })),
      );
    default:
      return fc.oneof(control, hugeNumbers, numericStrings, wrongTypes);
  }
}

/** Bad query-string values (queries are text). */
function badQuery(kind: Kind): fc.Arbitrary<string> {
  switch (kind) {
    case 'int':
      return fc.oneof(
        fc.constantFrom('2147483648', '-2147483649', '1.5', '1e3', 'abc', '99999999999999999999', ''),
        control,
      );
    case 'number':
      return fc.oneof(numericStrings, fc.constantFrom('NaN', 'Infinity'), control);
    default:
      return fc.oneof(control, longString);
  }
}

type Case =
  | { kind: 'query'; field: string; value: string }
  | { kind: 'body'; field: string; value: unknown }
  | { kind: 'extra'; where: 'query' | 'body' }
  | { kind: 'missing' }
  | { kind: 'shape'; value: unknown }
  | { kind: 'file'; field: string; files: Buffer[] };

function casesFor(op: Operation): fc.Arbitrary<Case> {
  const options: fc.Arbitrary<Case>[] = [fc.constant({ kind: 'extra', where: 'query' } as Case)];
  for (const q of op.query)
    options.push(badQuery(kindOf(q.schema)).map((value) => ({ kind: 'query', field: q.name, value })));
  const props = op.body?.schema.properties ?? {};
  if (op.body) {
    options.push(fc.constant({ kind: 'extra', where: 'body' } as Case));
    if (op.body.schema.required?.length) options.push(fc.constant({ kind: 'missing' } as Case));
    if (op.body.type === 'json')
      options.push(
        fc.constantFrom<unknown>([], [{}], 'x', 5, null).map((value) => ({ kind: 'shape', value }) as Case),
      );
  }
  for (const [name, s] of Object.entries(props)) {
    const kind = kindOf(s);
    if (kind === 'file')
      options.push(
        fc
          .constantFrom<Buffer[]>(
            [Buffer.alloc(0)],
            [PNG, PNG],
            [PNG.subarray(0, 40)],
            [Buffer.from('GIF89a')],
          )
          .map((files) => ({ kind: 'file', field: name, files }) as Case),
      );
    else options.push(badJson(kind).map((value) => ({ kind: 'body', field: name, value }) as Case));
  }
  return fc.oneof(...options);
}

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082',
  'hex',
);

function operations(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, o] of Object.entries(ops)) {
      const envelope = o['x-envelope'] as string | undefined;
      // Only route() definitions carry an envelope; /healthz, /docs and the like are static.
      if (!envelope || path.includes('{')) continue;
      const params = (o.parameters ?? []) as {
        name: string;
        in: string;
        required?: boolean;
        schema: Schema;
      }[];
      const content = (o.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)
        ?.content;
      const body = content?.['application/json']
        ? { type: 'json' as const, schema: content['application/json'].schema }
        : content?.['multipart/form-data']
          ? { type: 'multipart' as const, schema: content['multipart/form-data'].schema }
          : undefined;
      out.push({
        method,
        path,
        envelope,
        query: params.filter((p) => p.in === 'query').map((p) => ({ ...p, required: !!p.required })),
        body,
      });
    }
  return out;
}

/** The field a 4xx envelope names, if any. */
function namedField(envelope: string, body: Record<string, unknown>): string | undefined {
  const detail = (envelope === '002' ? body.Err_Detail : envelope === 'plain' ? body.details : body.data) as
    { field?: unknown } | undefined;
  return detail && typeof detail === 'object' && typeof detail.field === 'string' ? detail.field : undefined;
}

let app: TestApp;
let admin: TestUser;
let ops: Operation[];
beforeAll(async () => {
  app = await startTestApp();
  admin = await buildOrg(app);
  // Some data for the bad requests to (not) change.
  const meter = await buildMeter(app, admin);
  const t0 = Date.parse('2026-01-05T00:00:00Z');
  await postReadings(app, admin, [
    { meter: meter.id, ts: t0, total: 10 },
    { meter: meter.id, ts: t0 + 900_000, total: 12.5 },
  ]);
  ops = operations((await app.http.get('/openapi.json').expect(200)).body);
}, 180_000);
afterAll(() => app.close());

const ALLOWED_OTHER = new Set([401, 403, 404, 409, 413, 423, 429]);

async function send(op: Operation, c: Case) {
  let req = app.http[op.method as 'get'](op.path).set(admin.auth).set('X-Forwarded-For', randomIp());
  const query: Record<string, string> = {};
  if (c.kind === 'query') query[c.field] = c.value;
  if (c.kind === 'extra' && c.where === 'query') query.__fuzz_extra = '1';
  req = req.query(query);
  if (!op.body) return req;
  if (op.body.type === 'multipart') {
    if (c.kind === 'file') {
      for (const f of c.files) req = req.attach(c.field, f, 'f.png');
      return req;
    }
    const fields: Record<string, unknown> = {};
    if (c.kind === 'body') fields[c.field] = c.value;
    if (c.kind === 'extra' && c.where === 'body') fields.__fuzz_extra = '1';
    for (const [k, v] of Object.entries(fields))
      req = req.field(k, typeof v === 'string' ? v : (JSON.stringify(v) ?? 'null'));
    return Object.keys(fields).length ? req : req.field('__fuzz_empty', '');
  }
  if (c.kind === 'shape') return req.set('Content-Type', 'application/json').send(JSON.stringify(c.value));
  const body: Record<string, unknown> = {};
  if (c.kind === 'body') body[c.field] = c.value;
  if (c.kind === 'extra' && c.where === 'body') body.__fuzz_extra = 1;
  return req.send(body);
}

describe('fuzzing every route of /openapi.json with bad input', () => {
  it('covers the document', () => {
    expect(ops.length).toBeGreaterThan(40);
  });

  it('answers every bad request with a 4xx naming the field, and changes nothing', async () => {
    const before = await orgState(app, admin.orgId);
    const failures: string[] = [];
    for (const op of ops) {
      const required = new Set([
        ...(op.body?.schema.required ?? []),
        ...op.query.filter((q) => q.required).map((q) => q.name),
      ]);
      await fc.assert(
        fc.asyncProperty(casesFor(op), async (c) => {
          const res = await send(op, c);
          const where = `${op.method.toUpperCase()} ${op.path} ${JSON.stringify(c).slice(0, 200)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
          // The readings batch reports bad readings one by one in a 200 (documented), keeping none of these.
          const perItem = (res.body as { Data?: { Accepted?: number; Rejected?: number }[] }).Data?.[0];
          if (res.status === 200 && perItem?.Accepted === 0 && (perItem.Rejected ?? 0) > 0) return;
          if (res.status >= 500 || res.status < 400) {
            failures.push(where);
            return;
          }
          if (res.status !== 400) {
            if (!ALLOWED_OTHER.has(res.status)) failures.push(where);
            return;
          }
          const named = namedField(op.envelope, res.body as Record<string, unknown>);
          if (!named) {
            failures.push(`${where} (no field named)`);
            return;
          }
          const head = named.split('.')[0]!;
          const offending =
            c.kind === 'query' || c.kind === 'body' || c.kind === 'file'
              ? c.field
              : c.kind === 'extra'
                ? '__fuzz_extra'
                : undefined;
          // A missing required field may be named first; a non-object body names the body.
          const fine =
            head === offending ||
            required.has(head) ||
            ((c.kind === 'shape' || c.kind === 'missing') && ['body', 'query', ...required].includes(head)) ||
            (op.body?.type === 'multipart' && head === '__fuzz_empty') ||
            (c.kind === 'file' && head === 'body');
          if (!fine) failures.push(`${where} (names ${named}, expected ${offending})`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }
    expect(failures).toEqual([]);
    expect(await orgState(app, admin.orgId)).toEqual(before);
  }, 600_000);
});

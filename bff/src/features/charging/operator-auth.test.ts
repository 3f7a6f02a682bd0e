import { signingString, signOperatorRequest } from './operator-auth';
import { formatLocal } from '../../core/time';
import { opTimeFormatter, parseOpTime } from './op-time';
import { checkRecordFigures } from './records-service';
import { chargeRecordBody } from './schemas';
import { worthEmitting } from './status-service';
import type { PreviousStatus, StatusWrite } from './status-repository';

/**
 * Self-derived test vectors, computed independently of this code with OpenSSL:
 *   printf 'datetime: 2022-02-28 13:45:04\noperatorid: thisisanoperatorid\ntoken: thisisantoken' \
 *     | openssl dgst -sha256 -hmac 'thisisasecret' -binary | base64
 *   → 275FgBh2abmbtK6G3qV0CKxgKIIS9Qm2eomoQIQWeCQ=
 *   printf 'datetime: 2026-03-10 10:00:00\noperatorid: DEMO-OPERATOR-01\ntoken: ' \
 *     | openssl dgst -sha256 -hmac 'demo-operator-secret-2026' -binary | base64
 *   → ya3lIwSuBAwNuFy3DqhqqH5vWRgx/+rGiANPjam70ec=
 * (the first uses the seed's example signing string, the second the token request's empty token).
 */
describe('seed 004 signature', () => {
  it('signs the seed example string as base64(HMAC-SHA256)', () => {
    expect(signingString('2022-02-28 13:45:04', 'thisisanoperatorid', 'thisisantoken')).toBe(
      'datetime: 2022-02-28 13:45:04\noperatorid: thisisanoperatorid\ntoken: thisisantoken',
    );
    expect(
      signOperatorRequest('thisisasecret', '2022-02-28 13:45:04', 'thisisanoperatorid', 'thisisantoken'),
    ).toBe('275FgBh2abmbtK6G3qV0CKxgKIIS9Qm2eomoQIQWeCQ=');
  });

  it('signs the token request with an empty token', () => {
    expect(
      signOperatorRequest('demo-operator-secret-2026', '2026-03-10 10:00:00', 'DEMO-OPERATOR-01', ''),
    ).toBe('ya3lIwSuBAwNuFy3DqhqqH5vWRgx/+rGiANPjam70ec=');
  });
});

describe('operator times', () => {
  it('reads site-local times with optional milliseconds', () => {
    expect(parseOpTime('2026-03-10 10:00:00', 'Asia/Shanghai')?.toISOString()).toBe(
      '2026-03-10T02:00:00.000Z',
    );
    expect(parseOpTime('2026-03-10 10:00:00.25', 'Asia/Shanghai')?.toISOString()).toBe(
      '2026-03-10T02:00:00.250Z',
    );
    expect(parseOpTime('2026-02-30 10:00:00', 'Asia/Shanghai')).toBeNull();
  });

  it('formats like the zone database across DST changes (the fast formatter against formatLocal)', () => {
    for (const tz of ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu']) {
      const fmt = opTimeFormatter(tz);
      // Every 7 minutes 13 seconds through 2026 (crosses both DST changes where there are any).
      for (
        let t = Date.parse('2026-01-01T00:00:00Z');
        t < Date.parse('2027-01-01T00:00:00Z');
        t += 433_000 * 37
      )
        expect(fmt(new Date(t))).toBe(formatLocal(new Date(t), tz));
    }
  });
});

describe('charging record figures', () => {
  const base = {
    recordId: 'R1',
    stationId: 'S',
    equipmentId: 'E',
    cellId: 'C',
    startTime: '2026-03-10 09:00:00',
    endTime: '2026-03-10 10:00:00',
    totalPower: 12.34,
    elecPrice: 0.8,
    servicePrice: 0.4,
    elecMoney: 9.87,
    serviceMoney: 4.94,
    totalMoney: 14.81,
  };
  const fieldOf = (b: object) => {
    try {
      checkRecordFigures(chargeRecordBody.parse(b));
      return null;
    } catch (e) {
      return (e as { details?: { field?: string } }).details?.field;
    }
  };

  it('accepts money equal to energy × price within rounding', () => {
    expect(fieldOf(base)).toBeNull();
  });
  it('refuses money that does not match energy × price, naming the field', () => {
    expect(fieldOf({ ...base, elecMoney: 10.5, totalMoney: 15.44 })).toBe('elecMoney');
    expect(fieldOf({ ...base, totalMoney: 15 })).toBe('totalMoney');
    expect(fieldOf({ ...base, elecPrice: undefined })).toBe('elecPrice');
  });
  it('checks per-period details against the totals', () => {
    const details = [
      {
        detailStartTime: '2026-03-10 09:00:00',
        detailEndTime: '2026-03-10 09:30:00',
        elecPrice: 1,
        servicePrice: 0.5,
        detailPower: 6,
        detailElecMoney: 6,
        detailServiceMoney: 3,
      },
      {
        detailStartTime: '2026-03-10 09:30:00',
        detailEndTime: '2026-03-10 10:00:00',
        elecPrice: 0.5,
        servicePrice: 0.5,
        detailPower: 6,
        detailElecMoney: 3,
        detailServiceMoney: 3,
      },
    ];
    const b = {
      ...base,
      elecPrice: undefined,
      servicePrice: undefined,
      totalPower: 12,
      elecMoney: 9,
      serviceMoney: 6,
      totalMoney: 15,
      chargeDetails: details,
    };
    expect(fieldOf(b)).toBeNull();
    expect(fieldOf({ ...b, totalPower: 13 })).toBe('totalPower');
    expect(
      fieldOf({
        ...b,
        chargeDetails: [{ ...details[0], detailElecMoney: 7 }, details[1]],
        elecMoney: 10,
        totalMoney: 16,
      }),
    ).toBe('chargeDetails.0.detailElecMoney');
  });
});

describe('charging.cell.status emission rule', () => {
  const cell = {
    ratedVoltageUpper: 750,
    ratedVoltageLower: 200,
    ratedCurrent: 250,
    updatedAt: new Date('2026-03-10T00:00:00Z'),
  };
  const prev: PreviousStatus = {
    status: 3,
    voltage: 500,
    current: 120,
    temperature: 30,
    receivedAt: new Date('2026-03-10T01:00:00Z'),
  };
  const w: Pick<StatusWrite, 'status' | 'voltage' | 'current' | 'temperature'> = {
    status: 3,
    voltage: 510,
    current: 100,
    temperature: 35,
  };
  const emits = (over: Partial<typeof w>, p: PreviousStatus | null = prev, c = cell) =>
    worthEmitting(c, { ...w, ...over }, p, 80);

  it('skips a report on the same side of every limit with the same status', () => {
    expect(emits({})).toBe(false);
  });

  it('emits the first report, a status change, and after the cell changed', () => {
    expect(emits({}, null)).toBe(true);
    expect(emits({ status: 1 })).toBe(true);
    expect(emits({}, prev, { ...cell, updatedAt: prev.receivedAt })).toBe(true);
  });

  it('emits when a reading crosses its limit either way, or appears or disappears', () => {
    expect(emits({ voltage: 751 })).toBe(true);
    expect(emits({ voltage: 199 })).toBe(true);
    expect(emits({ current: 251 })).toBe(true);
    expect(emits({ temperature: 81 })).toBe(true);
    expect(emits({ temperature: null })).toBe(true);
    expect(emits({}, { ...prev, voltage: 800 })).toBe(true);
    expect(emits({}, { ...prev, current: null })).toBe(true);
    // Below the lower limit counts only while charging (an idle connector reads 0 V).
    expect(emits({ status: 1, voltage: 0 }, { ...prev, status: 1, voltage: 150 })).toBe(false);
  });
});

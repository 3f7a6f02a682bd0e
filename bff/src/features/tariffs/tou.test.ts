import { segment, SegmentError, slotPrices } from './tou';

describe('time-of-use slot prices', () => {
  it('prices every half hour from segments that cover the day, including one across midnight', () => {
    const prices = slotPrices([segment('08:00:00', '22:00:00', 1.2), segment('22:00:00', '08:00:00', 0.4)]);
    expect(prices).toHaveLength(48);
    expect(prices[15]).toBe(0.4); // 07:30
    expect(prices[16]).toBe(1.2); // 08:00
    expect(prices[43]).toBe(1.2); // 21:30
    expect(prices[44]).toBe(0.4); // 22:00
    expect(prices[0]).toBe(0.4);
  });

  it('accepts one segment covering the whole day', () => {
    expect(new Set(slotPrices([segment('00:00:00', '24:00:00', 0.7)]))).toEqual(new Set([0.7]));
  });

  it('rejects overlapping segments, naming the first shared half hour', () => {
    expect(() =>
      slotPrices([segment('08:00:00', '12:00:00', 1), segment('11:30:00', '08:00:00', 2)]),
    ).toThrow(new SegmentError('时段重叠：11:30:00 被多个时段覆盖'));
  });

  it('rejects a gap, naming where it starts', () => {
    expect(() =>
      slotPrices([segment('08:00:00', '12:00:00', 1), segment('12:30:00', '08:00:00', 2)]),
    ).toThrow('时段有空缺：12:00:00 起没有费率');
  });
});

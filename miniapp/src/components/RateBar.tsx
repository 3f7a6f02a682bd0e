import { View, Text } from '@tarojs/components';
import { formatNumber } from '../domain/format';
import { TIER_COLORS, minutesOf, tierOf, type Segment } from '../domain/rates';

/** A day of a time-of-use rate as a 24-hour bar: each segment's width is its share of the day, coloured by tier. */
export function RateBar({
  segments,
  testId = 'rate-bar',
}: {
  segments: readonly Segment[];
  testId?: string;
}) {
  return (
    <View data-testid={testId}>
      <View className="bar24">
        {segments.map((s, i) => {
          const b = minutesOf(s.begin);
          const e = minutesOf(s.end);
          if (!(e > b)) return null;
          const tier = tierOf(s.price, segments);
          return (
            <View
              key={`${i}:${s.begin}`}
              className="bar24-seg"
              data-testid="rate-bar-seg"
              data-tier={tier}
              style={{
                left: `${(b / 1440) * 100}%`,
                width: `${((e - b) / 1440) * 100}%`,
                background: TIER_COLORS[tier],
                opacity: 0.85,
                borderRight: '1px solid #ffffff',
              }}
            />
          );
        })}
      </View>
      <View className="bar24-ticks">
        {['0', '6', '12', '18', '24 时'].map((t) => (
          <Text key={t}>{t}</Text>
        ))}
      </View>
    </View>
  );
}

/** The segments as lines: "08:00–11:00 峰 1.0500 元/kWh". */
export function SegmentList({ segments, unit }: { segments: readonly Segment[]; unit: string }) {
  return (
    <View>
      {segments.map((s, i) => (
        <View className="row" key={`${i}:${s.begin}`} data-testid="rate-seg">
          <Text>
            <Text
              style={{ color: TIER_COLORS[tierOf(s.price, segments)] }}
            >{`● ${tierOf(s.price, segments)} `}</Text>
            {`${s.begin}–${s.end}`}
          </Text>
          <Text>{`${formatNumber(s.price, { decimals: 4 })} 元/${unit}`}</Text>
        </View>
      ))}
    </View>
  );
}

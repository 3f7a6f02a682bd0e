import { View, Text } from '@tarojs/components';
import { fetchPersonalise } from '../../api/energy';
import { fetchOperationResult, fetchUploads } from '../../api/provincial';
import { useRemote } from '../../hooks/useRemote';
import { Card } from '../../components/Card';
import { addDays, addMinutes, formatWall, wallClock } from '../../domain/periods';
import { exchangeName, nothingYet, OPERATIONS, uploadStatus } from '../uploads';

const SHOWN_FAILURES = 3;

/** 5.8 of each operation and 5.7 of the last 24 hours (to the end of the current minute). */
async function loadStatus() {
  const settings = await fetchPersonalise();
  const now = wallClock(new Date(), settings.Time_Zone || undefined);
  const [uploads, results] = await Promise.all([
    fetchUploads(formatWall(addDays(now, -1)), formatWall(addMinutes(now, 1))),
    Promise.all(OPERATIONS.map((t) => fetchOperationResult(t))),
  ]);
  return uploadStatus(results, uploads);
}

/** Admins: the provincial platform's last uploads and failures (configured in the web admin). */
export function UploadStatusCard() {
  const status = useRemote(loadStatus, 'prp-status');
  return (
    <Card
      title="省平台上传"
      testId="prp-status"
      remote={status}
      empty={(s) =>
        nothingYet(s) ? '还没有上传记录：省平台的接入信息请在网页管理端配置，配置后每日自动上传' : null
      }
    >
      {(s) => (
        <View>
          {s.operations.map((o) => (
            <View className="row" key={o.type} data-testid="prp-operation">
              <Text>{o.name}</Text>
              <Text className={o.failed ? 'warn-text' : undefined}>{o.text}</Text>
            </View>
          ))}
          <View className="muted card-sub" data-testid="prp-week">
            {`近 24 小时与省平台交换 ${s.attempts} 次，${s.read < s.attempts ? `最近 ${s.read} 次中` : ''}失败 ${
              s.failures.length
            } 次${s.lastUpload ? `，最近一次 ${s.lastUpload.Upload_Time.slice(5, 16)}` : ''}`}
          </View>
          {s.failures.slice(0, SHOWN_FAILURES).map((u) => (
            <View className="row" key={u.id} data-testid="prp-failure">
              <Text className="warn-text">{exchangeName(u)}</Text>
              <Text className="muted">{`第 ${u.Attempt} 次尝试失败 · ${u.Upload_Time.slice(5, 16)}`}</Text>
            </View>
          ))}
          <View className="muted">省平台的接入配置请在网页管理端完成</View>
        </View>
      )}
    </Card>
  );
}

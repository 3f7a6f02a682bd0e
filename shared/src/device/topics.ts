/** Topic kinds of device protocol v1, after `wd/{device_uid}/`. */
export type DeviceTopicKind = 'status' | 'telemetry' | 'readings' | 'rpc/request' | 'rpc/response';

const kinds: readonly DeviceTopicKind[] = ['status', 'telemetry', 'readings', 'rpc/request', 'rpc/response'];

/** The topic of one device and kind, e.g. `wd/ems-1/rpc/request`. `root` is `wd` except in isolated tests. */
export const deviceTopic = (uid: string, kind: DeviceTopicKind, root = 'wd'): string =>
  `${root}/${uid}/${kind}`;

/** The topic prefix a device owns (it may publish and subscribe only below it). */
export const devicePrefix = (uid: string, root = 'wd'): string => `${root}/${uid}/`;

/** Splits `wd/{uid}/{kind}`; null for any other topic. */
export function parseDeviceTopic(topic: string, root = 'wd'): { uid: string; kind: DeviceTopicKind } | null {
  if (!topic.startsWith(`${root}/`)) return null;
  const rest = topic.slice(root.length + 1);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const kind = rest.slice(slash + 1) as DeviceTopicKind;
  return kinds.includes(kind) ? { uid: rest.slice(0, slash), kind } : null;
}

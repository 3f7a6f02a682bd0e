import type { DemoImportStatus } from '@wattdesk/shared';
import { callOne002, endpoints } from './request';

/** Extension: the organization's demo data import (state and percent). */
export function fetchDemoImportStatus(): Promise<DemoImportStatus> {
  return callOne002<DemoImportStatus>(endpoints.demoImportStatus);
}

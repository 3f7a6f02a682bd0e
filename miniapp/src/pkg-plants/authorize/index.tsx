import { WebView } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';

/** The page URL from the query: decoded once when it still is encoded (weapp hands options over raw). */
export function pageUrlOf(raw: string): string {
  return /^https?%3A/i.test(raw) ? decodeURIComponent(raw) : raw;
}

/** iSolarCloud's authorization page in a web view (weapp); the way back is the BFF's callback page. */
export default function AuthorizePage() {
  const { url = '' } = useRouter().params as { url?: string };
  return <WebView src={pageUrlOf(url)} />;
}

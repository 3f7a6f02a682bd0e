import { WebView } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { CALLBACK_PATH } from '../../api/plants';

/** The page URL from the query: decoded once when it still is encoded (weapp hands options over raw). */
export function pageUrlOf(raw: string): string {
  return /^https?%3A/i.test(raw) ? decodeURIComponent(raw) : raw;
}

/** True for the BFF's callback page: iSolarCloud sent the owner back and the BFF took the code. */
export const isCallback = (src: string) => src.split(/[?#]/)[0]!.endsWith(CALLBACK_PATH);

/**
 * iSolarCloud's authorization page in a web view (weapp). Once the web view reaches the BFF's callback
 * (the exchange is done there), it goes back at once: the connect page rereads the connection on show,
 * and the callback's own answer (data, not a page) is not left on screen.
 */
export default function AuthorizePage() {
  const { url = '' } = useRouter().params as { url?: string };
  return (
    <WebView
      src={pageUrlOf(url)}
      onLoad={(e) => {
        if (isCallback(e.detail.src)) void Taro.navigateBack();
      }}
    />
  );
}

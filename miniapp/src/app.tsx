import { type PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { whenSignedOut } from './api/relogin';
import { currentUrl, go, pageOfUrl } from './routes';
import { useAlarmBadgeOnShow } from './hooks/alarmBadge';
import './app.css';

/**
 * The app shell: when a session cannot be renewed, every page lands on sign-in, which says why and
 * returns to the page afterwards.
 */
function App({ children }: PropsWithChildren) {
  useAlarmBadgeOnShow();
  useLaunch(() => {
    whenSignedOut((reason) => {
      const here = currentUrl();
      if (pageOfUrl(here) === 'login') return;
      go('login', { reason, back: here });
    });
  });
  return children;
}

export default App;

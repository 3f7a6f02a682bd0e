import { type PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { whenSignedOut } from './api/relogin';
import { go } from './routes';
import { useAlarmBadgeOnShow } from './hooks/alarmBadge';
import './app.css';

/** The app shell: when a session cannot be renewed, every page lands on sign-in. */
function App({ children }: PropsWithChildren) {
  useAlarmBadgeOnShow();
  useLaunch(() => {
    whenSignedOut(() => go('login'));
  });
  return children;
}

export default App;

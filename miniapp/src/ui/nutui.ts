// The NutUI components the app uses, each with its own stylesheet (not the whole 230 KB library sheet).
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/cellgroup/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/tag/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/popup/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/overlay/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/picker/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/pickerview/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/loading/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/segmented/style/css';

export { default as Button } from '@nutui/nutui-react-taro/dist/es/packages/button';
export { default as Cell } from '@nutui/nutui-react-taro/dist/es/packages/cell';
export { default as CellGroup } from '@nutui/nutui-react-taro/dist/es/packages/cellgroup';
export { default as Tag } from '@nutui/nutui-react-taro/dist/es/packages/tag';
export { default as Popup } from '@nutui/nutui-react-taro/dist/es/packages/popup';
export { default as Picker } from '@nutui/nutui-react-taro/dist/es/packages/picker';
export { default as Input } from '@nutui/nutui-react-taro/dist/es/packages/input';
export { default as Loading } from '@nutui/nutui-react-taro/dist/es/packages/loading';
export { default as Segmented } from '@nutui/nutui-react-taro/dist/es/packages/segmented';

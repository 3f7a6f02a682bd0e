// Build-time constants that Taro's webpack config defines.
(globalThis as { WD_API_BASE?: string }).WD_API_BASE = 'http://bff.test';

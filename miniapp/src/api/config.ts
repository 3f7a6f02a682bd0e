/** The BFF's base URL for this build ('' in H5: the BFF serves the app itself). */
export const apiBase: string = typeof WD_API_BASE === 'string' ? WD_API_BASE : '';

/** Default time to wait for an ordinary API answer (a hung request fails with its own message). */
export const DEFAULT_TIMEOUT_MS = 10_000;

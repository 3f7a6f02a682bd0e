import { pages } from '../routes';

// iSolarCloud's authorization page in the browser (H5): the whole page goes there and comes back to
// the connect page with `?Ticket=…&code=…`, which finishes the connection with the session.

/** The connect page of this H5 build, where iSolarCloud sends the user back. */
export function authorizeReturnUrl(): string | undefined {
  return `${window.location.origin}/${pages.plantConnect}`;
}

/** Opens iSolarCloud's authorization page in place of the app. */
export function openAuthorize(url: string): void {
  window.location.assign(url);
}

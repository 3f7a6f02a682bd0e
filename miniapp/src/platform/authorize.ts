import { go } from '../routes';

// iSolarCloud's authorization page in the mini-program: a web view (pkg-plants/authorize), which comes
// back to the BFF's own callback page (the default Redirect_Url); the connect page rereads the
// connection when it shows again.

/** Where iSolarCloud should send the user back: the BFF's callback (its default), so none is given. */
export function authorizeReturnUrl(): string | undefined {
  return undefined;
}

/** Opens iSolarCloud's authorization page. */
export function openAuthorize(url: string): void {
  go('plantAuthorize', { url });
}

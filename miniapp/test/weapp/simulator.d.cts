/** A page instance as the host keeps it. */
export interface HostPage {
  route: string;
  data: Record<string, unknown>;
}
/** A rendered node: a tag with children, or text. */
export type RenderedNode =
  string | { tag: string; attr?: Record<string, unknown>; children?: RenderedNode[] };
export interface Host {
  open(route: string, query?: Record<string, string>): Promise<HostPage>;
  render(page: HostPage): RenderedNode;
  storage: Map<string, unknown>;
}
/** Starts a headless host for a weapp build directory with extra `wx` API stubs. */
export function createHost(dist: string, wxApi?: Record<string, unknown>): Host;
/** Waits for the page's promises and timers. */
export function settle(ms?: number): Promise<void>;
/** All text of a rendered tree. */
export function textOf(node: RenderedNode | null | undefined): string;

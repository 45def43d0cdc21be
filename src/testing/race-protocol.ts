/** Messages from the parent of a process race to each child. */
export type ParentMessage =
  | { readonly type: 'go'; readonly round: number }
  | { readonly type: 'continue'; readonly checkpoint: string }
  | { readonly type: 'done' };

/** Messages from a child of a process race to its parent. */
export type ChildMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'checkpoint'; readonly checkpoint: string }
  | { readonly type: 'result'; readonly outcome: { readonly result?: unknown; readonly error?: string } };

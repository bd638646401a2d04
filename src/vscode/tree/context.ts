import * as vscode from 'vscode';
import type { Page } from '../../core/model';
import type { ConnectionInfo } from '../connectionStore';
import type { Identity, Provider } from '../../core/provider';
import { filteredPages } from './pagedNodes';

/** What every node below a connection needs: its connection, the connection's provider, and who the key acts as. */
export interface NodeContext {
  readonly connection: ConnectionInfo;
  readonly provider: Provider;
  /** Admin actions show only when the key may do them (ElevenLabs: a workspace_admin seat). */
  readonly identity?: Identity;
  /** Text the connection's tree is narrowed to (Filter…), as typed. */
  readonly filter?: string;
}

/** What an empty branch says: under a filter, that nothing matched (not that there is nothing). */
export function emptyText(ctx: NodeContext, text: string): string {
  return ctx.filter ? vscode.l10n.t('No match for "{0}".', ctx.filter) : text;
}

/** Whether an item's name or email holds the filter text. */
export function matchesFilter(ctx: NodeContext, ...texts: (string | undefined)[]): boolean {
  const needle = ctx.filter?.toLowerCase();
  return !needle || texts.some((t) => t?.toLowerCase().includes(needle));
}

/**
 * A list's pages under Filter…: the platform's search where it has one (`search`), else each page
 * narrowed to the items whose texts hold the filter as it loads; without a filter, the list itself.
 */
export function filteredList<T>(
  ctx: NodeContext,
  all: (token?: string) => Promise<Page<T>>,
  search: ((text: string, token?: string) => Promise<Page<T>>) | undefined,
  texts: (item: T) => (string | undefined)[],
): (token?: string) => Promise<Page<T>> {
  const text = ctx.filter;
  if (!text) return all;
  return search ? (token) => search(text, token) : filteredPages(all, (item) => matchesFilter(ctx, ...texts(item)));
}

/** The platform's word for one group, lower case ("group", "team"). */
export const groupWord = (p: Provider): string => p.groups?.word ?? 'group';

/** Whether members, groups and service accounts can be given access to resources from the tree. */
export const canShareResources = (p: Provider): boolean => !!p.sharing?.share;

export const canAdmin = (ctx: NodeContext): boolean => ctx.identity?.isAdmin ?? true;

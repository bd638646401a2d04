/** The shareable resource types with a list endpoint, and how each one is listed. */
import type { HttpClient } from '../../core/http/client';
import type { Page, Resource, ResourceType } from '../../core/model';
import * as api from './client';

const PAGE_SIZE = 100;

interface ListDescriptor {
  readonly type: ResourceType;
  readonly list: (
    http: HttpClient,
    token: string | undefined,
    signal?: AbortSignal,
    search?: string,
  ) => Promise<Page<Resource>>;
}

type Fetch<P> = (
  http: HttpClient,
  token: string | undefined,
  pageSize: number,
  signal?: AbortSignal,
  search?: string,
) => Promise<P>;
type Item = Omit<Resource, 'type'>;

/** A type listed in token pages: `pick` reads the page's items, "more" flag and next token. */
function paged<P, T>(
  type: ResourceType,
  fetch: Fetch<P>,
  pick: (page: P) => { items: T[]; more: boolean; next?: string | null },
  map: (item: T) => Item,
): ListDescriptor {
  return {
    type,
    list: async (http, token, signal, search) => {
      const { items, more, next } = pick(
        await fetch(http, token, PAGE_SIZE, signal, type.searchable ? search : undefined),
      );
      return { items: items.map((i) => ({ type: type.id, ...map(i) })), next: more && next ? next : undefined };
    },
  };
}

/** A type listed whole, in one response. */
function whole<T>(
  type: ResourceType,
  fetch: (http: HttpClient, signal?: AbortSignal) => Promise<T[]>,
  map: (item: T) => Item,
): ListDescriptor {
  return {
    type,
    list: async (http, _token, signal) => ({
      items: (await fetch(http, signal)).map((i) => ({ type: type.id, ...map(i) })),
    }),
  };
}

/** The shareable types with a list endpoint, each with its own pagination. */
export const RESOURCE_LISTS: readonly ListDescriptor[] = [
  paged(
    { id: 'voice', label: 'Voices', one: 'Voice', icon: 'unmute', searchable: true },
    api.listVoices,
    (p) => ({ items: p.voices, more: p.has_more, next: p.next_page_token }),
    (v) => ({ id: v.voice_id, name: v.name, myRole: v.permission_on_resource ?? undefined }),
  ),
  paged(
    { id: 'convai_agents', label: 'Agents', one: 'Agent', icon: 'hubot', searchable: true },
    api.listAgents,
    (p) => ({ items: p.agents, more: p.has_more, next: p.next_cursor }),
    (a) => ({ id: a.agent_id, name: a.name, myRole: a.access_info.role }),
  ),
  paged(
    {
      id: 'pronunciation_dictionary',
      label: 'Pronunciation dictionaries',
      one: 'Pronunciation dictionary',
      icon: 'book',
    },
    api.listDictionaries,
    (p) => ({ items: p.pronunciation_dictionaries, more: p.has_more, next: p.next_cursor }),
    (d) => ({ id: d.id, name: d.name, myRole: d.permission_on_resource ?? undefined }),
  ),
  paged(
    { id: 'dubbing', label: 'Dubbing', one: 'Dub', icon: 'globe' },
    api.listDubs,
    (p) => ({ items: p.dubs, more: p.has_more, next: p.next_cursor }),
    (d) => ({ id: d.dubbing_id, name: d.name }),
  ),
  // The spec has both `project` and `studio_projects`; the resources endpoint is called with `project`.
  whole(
    { id: 'project', label: 'Studio projects', one: 'Studio project', icon: 'book' },
    async (http, signal) => (await api.listStudioProjects(http, signal)).projects,
    (p) => ({ id: p.project_id, name: p.name, myRole: p.access_level }),
  ),
  paged(
    {
      id: 'convai_knowledge_base_documents',
      label: 'Knowledge base',
      one: 'Knowledge base document (Agents)',
      icon: 'notebook',
      searchable: true,
    },
    api.listKnowledgeBase,
    (p) => ({ items: p.documents, more: p.has_more, next: p.next_cursor }),
    (d) => ({ id: d.id, name: d.name, myRole: d.access_info?.role }),
  ),
  paged(
    { id: 'convai_tools', label: 'Tools', one: 'Tool (Agents)', icon: 'tools', searchable: true },
    api.listTools,
    (p) => ({ items: p.tools, more: p.has_more, next: p.next_cursor }),
    (t) => ({ id: t.id, name: t.tool_config.name, myRole: t.access_info?.role }),
  ),
  whole(
    { id: 'convai_phone_numbers', label: 'Phone numbers', one: 'Phone number (Agents)', icon: 'device-mobile' },
    api.listPhoneNumbers,
    (n) => ({
      id: n.phone_number_id,
      name: `${n.label} (${n.phone_number})`,
    }),
  ),
  whole(
    { id: 'convai_mcp_servers', label: 'MCP servers', one: 'MCP server (Agents)', icon: 'server' },
    async (http, signal) => (await api.listMcpServers(http, signal)).mcp_servers,
    (m) => ({ id: m.id, name: m.config.name, myRole: m.access_info?.role }),
  ),
  // Secrets pages have no has_more: the last page has no next_cursor.
  paged(
    { id: 'convai_secrets', label: 'Secrets', one: 'Secret (Agents)', icon: 'lock', searchable: true },
    api.listSecrets,
    (p) => ({ items: p.secrets, more: true, next: p.next_cursor }),
    (x) => ({ id: x.secret_id, name: x.name }),
  ),
];

/** The listed types themselves, in that order. */
export const LISTED_TYPES = RESOURCE_LISTS.map((d) => d.type);

import * as z from 'zod';

/** Wire models of the ElevenLabs workspace API (Aug 2026 spec): only the fields the extension reads. */

export const SeatType = z.enum(['workspace_admin', 'workspace_member', 'workspace_lite_member']);
export type SeatType = z.infer<typeof SeatType>;
export const SEAT_TYPES = SeatType.options;

export const ShareRole = z.enum(['admin', 'editor', 'commenter', 'viewer']);
export type ShareRole = z.infer<typeof ShareRole>;

/** `GET /v1/user` (UserResponseModel). */
export const User = z.object({
  user_id: z.string(),
  first_name: z.string().nullish(),
  seat_type: SeatType,
  subscription: z.object({ tier: z.string() }),
});
export type User = z.infer<typeof User>;

/** `{status: "ok"}` of the management writes. */
export const Status = z.object({ status: z.string() });

/** Share and unshare answer an untyped body. */
export const Untyped = z.unknown();

/** `GET /v1/workspace/members`: a top-level array, locked members included. */
export const WorkspaceMember = z.object({
  user_id: z.string(),
  email: z.string(),
  first_name: z.string().nullable(),
  seat_type: SeatType.nullable(),
  is_owner: z.boolean(),
  is_locked: z.boolean(),
});
export type WorkspaceMember = z.infer<typeof WorkspaceMember>;
export const WorkspaceMembers = z.array(WorkspaceMember);

/** `GET /v1/workspace/groups`: a map of id → group. */
export const WorkspaceGroup = z.object({
  id: z.string(),
  name: z.string(),
  members: z.array(z.string()),
  is_scim_synced: z.boolean().optional(),
});
export type WorkspaceGroup = z.infer<typeof WorkspaceGroup>;
export const WorkspaceGroups = z.record(z.string(), WorkspaceGroup);

/** `GET /v1/workspace/groups/search?name=`. */
export const GroupsByName = z.array(
  z.object({ id: z.string(), name: z.string(), members_emails: z.array(z.string()) }),
);

export const ApiKey = z.object({
  name: z.string(),
  hint: z.string(),
  key_id: z.string(),
  service_account_user_id: z.string(),
  is_disabled: z.boolean().optional(),
});
export type ApiKey = z.infer<typeof ApiKey>;

/** `GET /v1/service-accounts`: note the hyphenated keys. */
export const ServiceAccounts = z.object({
  'service-accounts': z.array(
    z.object({ service_account_user_id: z.string(), name: z.string(), 'api-keys': z.array(ApiKey) }),
  ),
});
export const ApiKeys = z.object({ 'api-keys': z.array(ApiKey) });

/** `GET /v1/workspace/resources/{id}` (ResourceMetadataResponseModel). */
export const ResourceMetadata = z.object({
  resource_id: z.string(),
  resource_name: z.string().nullable(),
  resource_type: z.string(),
  creator_user_id: z.string().nullable(),
  anonymous_access_level_override: ShareRole.nullable(),
  /** Preset roles and custom `role_…` ids → principal ids (a direct user share uses the user id). */
  role_to_group_ids: z.record(z.string(), z.array(z.string())),
  /**
   * Who could be given access. Not read: the share picker lists principals from the member, group
   * and service-account lists, and checking each option of each of 20,000 resources costs the index.
   */
  share_options: z.array(z.unknown()),
});
export type ResourceMetadata = z.infer<typeof ResourceMetadata>;

/** Whom a share or unshare is addressed to: exactly one of these. */
export type ShareTarget = { user_email: string } | { group_id: string } | { workspace_api_key_id: string };

export const VoicesPage = z.object({
  voices: z.array(z.object({ voice_id: z.string(), name: z.string(), permission_on_resource: z.string().nullish() })),
  has_more: z.boolean(),
  next_page_token: z.string().nullish(),
});
export const DictionariesPage = z.object({
  pronunciation_dictionaries: z.array(
    z.object({ id: z.string(), name: z.string(), permission_on_resource: ShareRole.nullable() }),
  ),
  has_more: z.boolean(),
  next_cursor: z.string().nullish(),
});
export const DubbingPage = z.object({
  dubs: z.array(z.object({ dubbing_id: z.string(), name: z.string() })),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});
export const StudioProjects = z.object({
  projects: z.array(z.object({ project_id: z.string(), name: z.string(), access_level: z.string() })),
});
const AccessInfo = z.object({ role: ShareRole });
export const AgentsPage = z.object({
  agents: z.array(z.object({ agent_id: z.string(), name: z.string(), access_info: AccessInfo })),
  has_more: z.boolean(),
  next_cursor: z.string().nullish(),
});

/** Items on the newer convai lists carry the caller's role in `access_info`. */
const WithAccess = { access_info: AccessInfo.optional() };
export const KnowledgeBasePage = z.object({
  // A oneOf of url | file | text | folder documents; all have id and name.
  documents: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), ...WithAccess })),
  has_more: z.boolean(),
  next_cursor: z.string().nullish(),
});
export const ToolsPage = z.object({
  tools: z.array(z.object({ id: z.string(), tool_config: z.object({ name: z.string() }), ...WithAccess })),
  has_more: z.boolean(),
  next_cursor: z.string().nullish(),
});
/** A top-level array, unpaginated (Twilio, Exotel or SIP trunk numbers). */
export const PhoneNumbers = z.array(
  z.object({ phone_number_id: z.string(), label: z.string(), phone_number: z.string() }),
);
/** `access_info` may be null here (the spec: anyOf ResourceAccessInfo | null). */
export const McpServers = z.object({
  mcp_servers: z.array(
    z.object({ id: z.string(), config: z.object({ name: z.string() }), access_info: AccessInfo.nullish() }),
  ),
});
/** Cursor pages with no `has_more`: the last page has no next_cursor. */
export const SecretsPage = z.object({
  secrets: z.array(z.object({ secret_id: z.string(), name: z.string() })),
  next_cursor: z.string().nullish(),
});

/**
 * `POST /v1/workspace/analytics/query/usage-by-product-over-time` (WorkspaceAnalyticsQueryResponseModel):
 * a table. Cells are strings, numbers, booleans or null; DateTime cells are ISO strings (or epoch
 * ms, taken too). The columns are found by name, never by position.
 */
export const AnalyticsTable = z.object({
  columns: z.array(z.string()),
  column_types: z.array(z.string()),
  column_units: z.array(z.string().nullable()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
});
export type AnalyticsTable = z.infer<typeof AnalyticsTable>;

/** The query's body, as far as the extension sends it. */
export interface UsageQuery {
  readonly start_time: number;
  readonly end_time: number;
  readonly interval_seconds: number;
  readonly group_by: readonly 'user_id'[];
  readonly time_zone: string;
}

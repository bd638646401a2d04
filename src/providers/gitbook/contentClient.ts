/** One function per GitBook endpoint of content: spaces, collections and sites, and who holds a role on them. */
import type { HttpClient } from '../../core/http/client';
import { PAGE } from './client';
import {
  Collection,
  EffectivePermission,
  list,
  MemberRole,
  NoBody,
  Site,
  Space,
  TeamPermission,
  UserPermission,
} from './schemas';

const enc = encodeURIComponent;
export type ContentKind = 'space' | 'collection' | 'site';

const contentBase = (org: string, kind: ContentKind, id: string) =>
  kind === 'space'
    ? `/spaces/${enc(id)}`
    : kind === 'collection'
      ? `/collections/${enc(id)}`
      : `/orgs/${enc(org)}/sites/${enc(id)}`;

export const listSpaces = (http: HttpClient, org: string, page?: string, signal?: AbortSignal) =>
  http.request({
    method: 'GET',
    path: `/orgs/${enc(org)}/spaces`,
    query: { page, limit: PAGE },
    schema: list(Space),
    signal,
  });
export const listCollections = (http: HttpClient, org: string, page?: string, signal?: AbortSignal) =>
  http.request({
    method: 'GET',
    path: `/orgs/${enc(org)}/collections`,
    query: { page, limit: PAGE },
    schema: list(Collection),
    signal,
  });
export const listSites = (http: HttpClient, org: string, page?: string, signal?: AbortSignal) =>
  http.request({
    method: 'GET',
    path: `/orgs/${enc(org)}/sites`,
    query: { page, limit: PAGE },
    schema: list(Site),
    signal,
  });

export const listUserPermissions = (
  http: HttpClient,
  org: string,
  kind: ContentKind,
  id: string,
  page?: string,
  signal?: AbortSignal,
) =>
  http.request({
    method: 'GET',
    path: `${contentBase(org, kind, id)}/permissions/users`,
    query: { page, limit: PAGE },
    schema: list(UserPermission),
    signal,
  });
export const listTeamPermissions = (
  http: HttpClient,
  org: string,
  kind: ContentKind,
  id: string,
  page?: string,
  signal?: AbortSignal,
) =>
  http.request({
    method: 'GET',
    path: `${contentBase(org, kind, id)}/permissions/teams`,
    query: { page, limit: PAGE },
    schema: list(TeamPermission),
    signal,
  });

/** Grants `role` to users or teams (by id). Granting the same again leaves the same state. */
export const grant = (
  http: HttpClient,
  org: string,
  kind: ContentKind,
  id: string,
  body: { role: MemberRole; users?: string[]; teams?: string[] },
  signal?: AbortSignal,
) =>
  http.send({
    method: 'POST',
    expect: [204],
    path: `${contentBase(org, kind, id)}/permissions`,
    body,
    schema: NoBody,
    signal,
    idempotent: true,
  });

export const changePermission = (
  http: HttpClient,
  org: string,
  kind: ContentKind,
  id: string,
  who: 'users' | 'teams',
  principalId: string,
  role: MemberRole,
  signal?: AbortSignal,
) =>
  http.send({
    method: 'PATCH',
    expect: [204],
    path: `${contentBase(org, kind, id)}/permissions/${who}/${enc(principalId)}`,
    body: { role },
    schema: NoBody,
    signal,
    idempotent: true,
  });

export const revokePermission = (
  http: HttpClient,
  org: string,
  kind: ContentKind,
  id: string,
  who: 'users' | 'teams',
  principalId: string,
  signal?: AbortSignal,
) =>
  http.send({
    method: 'DELETE',
    expect: [204, 205],
    path: `${contentBase(org, kind, id)}/permissions/${who}/${enc(principalId)}`,
    schema: NoBody,
    signal,
  });

/** Effective access: every user who can reach the content, whatever the source. */
export const listEffectivePermissions = (
  http: HttpClient,
  org: string,
  kind: ContentKind,
  id: string,
  page?: string,
  signal?: AbortSignal,
) =>
  http.request({
    method: 'GET',
    path: `${contentBase(org, kind, id)}/permissions/aggregate`,
    query: { page, limit: PAGE },
    schema: list(EffectivePermission),
    signal,
  });

/**
 * `findings --sarif FILE`: the findings as a SARIF 2.1.0 log, each at its row of the roster (the
 * file the organization keeps in the repository), so code scanning lists who should not be here and
 * closes an alert once its person is gone. A finding with no roster row (an account the roster does
 * not know) is placed at the roster's first line. The log names people: it is written 0600.
 */
import { createHash } from 'node:crypto';
import type { FindingKind } from '../core/roster/findings';
import { artifactOf, driverOf, locationOf, SARIF_SCHEMA, SARIF_VERSION } from './sarif';
import type { Gathered } from './findings';
import type { ToolInfo } from './version';

interface FindingRule {
  readonly id: FindingKind;
  readonly name: string;
  readonly short: string;
  readonly help: string;
  readonly level: 'warning' | 'note';
}

export const FINDING_RULES: readonly FindingRule[] = [
  {
    id: 'left',
    name: 'LeftStillHasAccess',
    short: 'The roster says this person has left, and they still hold access.',
    help: 'Offboard them: in VS Code, Workspace Access: Offboard Person… previews every connection and removes them as one job with a record.',
    level: 'warning',
  },
  {
    id: 'unknown',
    name: 'NotOnRoster',
    short: 'An account that matches no roster row, by email or alias.',
    help: 'Add the person (or the alias) to the roster if they belong; else offboard them.',
    level: 'warning',
  },
  {
    id: 'external',
    name: 'External',
    short: "An account outside the organization's email domains.",
    help: 'Check that the guest still needs access; remove them when the work is done.',
    level: 'warning',
  },
  {
    id: 'inactive',
    name: 'InactiveSeat',
    short: 'A seat with no activity for the number of days set.',
    help: 'Reclaim the seat: lock it, give a cheaper seat type, or remove the member.',
    level: 'warning',
  },
  {
    id: 'stale-invitation',
    name: 'StaleInvitation',
    short: 'An invitation pending longer than the number of days set.',
    help: 'Revoke it, or send it again if the person still needs access.',
    level: 'warning',
  },
  {
    id: 'expiring',
    name: 'AccessEndingSoon',
    short: "Access whose end date (the access file's until:) is within 14 days.",
    help: 'Extend the date in the access file if the access is still needed; apply removes it once the date has passed.',
    level: 'warning',
  },
  {
    id: 'admin',
    name: 'OwnerOrAdmin',
    short: 'An owner or admin: the short list an auditor asks for first.',
    help: 'Keep the list short: give people the least role their work needs.',
    level: 'note',
  },
];

export function findingsSarif(g: Gathered, exitCode: number, tool: ToolInfo, cwd?: string): object {
  const where = g.rosterFile ? artifactOf(g.rosterFile, cwd) : undefined;
  const location = where && locationOf(where);
  const index = new Map(FINDING_RULES.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            ...driverOf(tool),
            rules: FINDING_RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.short },
              help: { text: r.help, markdown: r.help },
              defaultConfiguration: { level: r.level },
            })),
          },
        },
        automationDetails: { id: `workspace-access/findings/${where?.uri ?? ''}/` },
        ...(where?.base ? { originalUriBaseIds: { '%SRCROOT%': { uri: where.base } } } : {}),
        invocations: [{ executionSuccessful: exitCode !== 1, exitCode }],
        ...(location ? { artifacts: [{ location, mimeType: 'text/csv' }] } : {}),
        results: g.findings.map((f) => ({
          ruleId: f.kind,
          ruleIndex: index.get(f.kind),
          level: f.severity === 'info' ? 'note' : 'warning',
          message: { text: `${g.labels.get(f.connectionId) ?? f.connectionId}: ${f.email}: ${f.evidence}.` },
          ...(location
            ? {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { ...location, index: 0 },
                      region: { startLine: f.rosterLine ?? 1 },
                    },
                  },
                ],
              }
            : {}),
          // Code scanning tells one alert from another by these: the same person, kind and connection stay one
          // alert. Hashed: the fingerprint is kept by the scanning service after the alert closes.
          partialFingerprints: {
            'workspaceAccessFinding/v1': createHash('sha256')
              .update(`${f.kind}|${f.connectionId}|${f.email.toLowerCase()}`)
              .digest('hex'),
          },
        })),
      },
    ],
  };
}

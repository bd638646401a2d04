// What the findings command's tests share: a roster of the emulator's demo people, the ids of the
// sandbox's connections, a guest at another domain, and a run of the command line that remembers
// everything it printed so a test can check that no key was.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCli, useCliSandbox, type Run } from './cliSandbox';

/** The demo seed's people (test/emulator/seed.ts): member i of every platform is FIRST[i] Lovelace. */
export const person = (first: string) => `${first.toLowerCase()}.lovelace@example.com`;
export const GUEST = 'guest@partner.io';

// Line 1 names the columns (loosely, as an HR export does); Ada in another case; Alan terminated;
// Barbara's end date has passed; Tim only through an alias; Donald, Ken, Margaret, Dennis and
// Radia are left out (unknown). "Badge Number" is a column the roster does not read.
export const ROSTER = [
  'Work Email,Full Name,Employment Status,Termination Date,Alternate Emails,Badge Number',
  'Ada.Lovelace@EXAMPLE.com,Ada Lovelace,Active,,,1',
  'grace.lovelace@example.com,Grace Lovelace,active,,,2',
  'alan.lovelace@example.com,Alan Lovelace,Terminated,,,3',
  'barbara.lovelace@example.com,Barbara Lovelace,active,2020-01-31,,4',
  'edsger.lovelace@example.com,Edsger Lovelace,,,,5',
  'frances.lovelace@example.com,Frances Lovelace,On Leave,,,6',
  't.lovelace@example.com,Tim Lovelace,active,,tim.lovelace@example.com,7',
].join('\n');
export const LINE = { ada: 2, grace: 3, alan: 4, barbara: 5, edsger: 6, frances: 7, tim: 8 } as const;
export const UNKNOWN = ['donald', 'ken', 'margaret', 'dennis', 'radia'].map(person);

export interface Doc {
  schemaVersion: number;
  command: string;
  exitCode: number;
  summary: string;
  roster?: { file: string; ignoredColumns: string[]; problems: { line: number; message: string }[] };
  connections: { id: string; label: string; notes: { kind: string; message: string }[] }[];
  findings: {
    kind: string;
    severity: string;
    connection: string;
    email: string;
    evidence: string;
    rosterLine?: number;
    lastActive?: string;
    actions: string[];
  }[];
}

export const EL = 'elevenlabs:ElevenLabs';
export const GB = 'gitbook:org_sandbox';
export const CA = 'confident:Sandbox Evals';

/** The suite's sandbox, and the helpers its tests share. */
export function useFindingsSandbox() {
  const sandbox = useCliSandbox();
  const runs: Run[] = [];
  const cli = async (args: readonly string[], env?: NodeJS.ProcessEnv) => {
    const r = env ? await startCli(args, sandbox.dir, env).done : await sandbox.cli(args);
    runs.push(r);
    return r;
  };
  const write = (name: string, text: string | Buffer) => fs.writeFileSync(path.join(sandbox.dir, name), text);
  /** A guest at another domain joins the Confident AI organization as a plain member. */
  function addGuest() {
    const state = sandbox.emulator.state('confident');
    state.users.push({ id: 'cau_guest', email: GUEST, name: 'Guest Partner' });
    state.members.set('cau_guest', state.orgRoles.member.id);
  }
  /** No key (of any platform) is ever printed, whatever happened. */
  function noKeyPrinted() {
    const keys = (['elevenlabs', 'gitbook', 'confident'] as const).flatMap((p) =>
      Object.values(sandbox.emulator.platform(p).keys),
    );
    for (const r of runs.splice(0))
      for (const k of [...keys, 'gb-refused-key-0000'])
        assert.ok(!r.stdout.includes(k) && !r.stderr.includes(k), `a key was printed: ${k}`);
  }
  return { sandbox, cli, write, addGuest, noKeyPrinted };
}

export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

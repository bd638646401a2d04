import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkInviteRows, parseInviteCsv, parsePastedEmails } from '../../src/core/invites';

const roles = [{ id: 'workspace_member', label: 'Member' }, { id: 'owner', label: 'Owner', invitable: false }];
const groups = [{ id: 'grp_1', name: 'Sales', memberEmails: [] }];

describe('invitation lists', () => {
  it('reads a CSV with a header: quoted cells, a BOM, blank lines, line numbers of the file', () => {
    const rows = parseInviteCsv('\uFEFFEmail,Role,Teams\n"a@example.com",Member,"Sales;grp_1"\n\n b@example.com , ,\n');
    assert.deepEqual(rows, [
      { line: 2, email: 'a@example.com', role: 'Member', groups: ['Sales', 'grp_1'] },
      { line: 4, email: 'b@example.com', role: undefined, groups: [] },
    ]);
  });

  it('reads a CSV without a header as emails in the first column', () => {
    assert.deepEqual(parseInviteCsv('a@example.com\nb@example.com,ignored').map((r) => `${r.line}:${r.email}`), ['1:a@example.com', '2:b@example.com']);
  });

  it('says where a file is not CSV', () => {
    assert.throws(() => parseInviteCsv('email\n"open@example.com\n'), /not valid CSV \(line \d\)/);
  });

  it('reads a pasted list, keeping the line of each entry', () => {
    assert.deepEqual(parsePastedEmails('a@example.com, <b@example.com>\nc@example.com').map((r) => `${r.line}:${r.email}`), ['1:a@example.com', '1:b@example.com', '2:c@example.com']);
  });

  it('gives every bad row its reason and keeps the good ones with their role and groups', () => {
    const rows = parseInviteCsv(['email,role,groups', 'ok@example.com,member,sales', 'bad@', 'OK@example.com,,', 'in@example.com,,', 'x@example.com,Wizard,', 'y@example.com,Owner,', 'z@example.com,,Nope;Sales', ',Member,'].join('\n'));
    const { valid, rejected } = checkInviteRows(rows, { members: new Set(['in@example.com']), roles, groups, groupWord: 'group' });
    assert.deepEqual(valid, [{ email: 'ok@example.com', line: 2, seat: 'workspace_member', groupIds: ['grp_1'] }]);
    assert.deepEqual(rejected.map((r) => `${r.line}: ${r.reason}`), [
      '3: "bad@" is not a valid email address',
      '4: duplicate of line 2',
      '5: already a member',
      '6: unknown role "Wizard"; use one of: Member, Owner',
      '7: the role "Owner" cannot be given by an invitation',
      '8: unknown group: "Nope"',
      '9: no email in this row',
    ]);
  });

  it('refuses groups where invitations cannot add to one, naming the platform word', () => {
    const { rejected } = checkInviteRows([{ line: 1, email: 'a@example.com', groups: ['Writers'] }], { members: new Set(), roles: [], groupWord: 'team' });
    assert.equal(rejected[0].reason, 'invitations here cannot add people to a team; add them once they have joined');
  });
});

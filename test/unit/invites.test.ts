import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkInviteRows, parseInviteCsv, parsePastedEmails } from '../../src/core/inviteRows';

const roles = [
  { id: 'workspace_member', label: 'Member' },
  { id: 'owner', label: 'Owner', invitable: false },
];
const groups = [{ id: 'grp_1', name: 'Sales', memberEmails: [] }];

describe('invitation lists', () => {
  it('reads a CSV with a header: quoted cells, a BOM, blank lines, line numbers of the file', async () => {
    const rows = await parseInviteCsv(
      '\uFEFFEmail,Role,Teams\n"a@example.com",Member,"Sales;grp_1"\n\n b@example.com , ,\n',
    );
    assert.deepEqual(rows, [
      { line: 2, email: 'a@example.com', role: 'Member', groups: ['Sales', 'grp_1'] },
      { line: 4, email: 'b@example.com', role: undefined, groups: [] },
    ]);
  });

  it('reads a CSV without a header as emails in the first column', async () => {
    assert.deepEqual(
      (await parseInviteCsv('a@example.com\nb@example.com,ignored')).map((r) => `${r.line}:${r.email}`),
      ['1:a@example.com', '2:b@example.com'],
    );
  });

  it('says where a file is not CSV', async () => {
    await assert.rejects(parseInviteCsv('email\n"open@example.com\n'), /not valid CSV \(line \d\)/);
  });

  it('numbers a record by the line it starts on, also after quoted line breaks (it was one too high after each)', async () => {
    const rows = await parseInviteCsv(
      'email,groups\n"a@example.com","Sales;\nSupport"\nb@example.com,\n\n"c@example.com","x\n\ny"\nd@example.com,',
    );
    assert.deepEqual(
      rows.map((r) => `${r.line}:${r.email}`),
      ['2:a@example.com', '4:b@example.com', '6:c@example.com', '9:d@example.com'],
    );
  });

  it('numbers records right whatever the line endings: CRLF with quoted CRLF (each one added a line), CR only, mixed', async () => {
    const lines = async (text: string) => (await parseInviteCsv(text)).map((r) => `${r.line}:${r.email}`);
    const crlf =
      'email,groups\r\n"a@example.com","Sales;\r\nSupport"\r\nb@example.com,\r\n\r\n"c@example.com","x\r\n\r\ny"\r\nd@example.com,';
    const expected = ['2:a@example.com', '4:b@example.com', '6:c@example.com', '9:d@example.com'];
    assert.deepEqual(await lines(crlf), expected);
    assert.deepEqual(await lines(crlf.replace(/\r\n/g, '\r')), expected, 'CR only');
    assert.deepEqual(await lines(crlf.replace(/\r\n/g, '\n')), expected, 'LF');
    // Rows ended by CRLF, quoted breaks of either kind, and rows ended by LF or CR after them.
    const mixed =
      'email,groups\r\n"a@example.com","x\ny"\r\n"b@example.com","p\r\nq\rr"\nc@example.com,\r\rd@example.com';
    assert.deepEqual(await lines(mixed), ['2:a@example.com', '4:b@example.com', '7:c@example.com', '9:d@example.com']);
    // With a BOM and blank lines before the header, past a 64 KB slice of the file.
    const long = `\uFEFF\r\n\r\nemail,groups\r\n${'"p@example.com","\r\n"\r\n'.repeat(5_000)}"z@example.com",x`;
    const rows = await parseInviteCsv(long);
    assert.equal(rows.length, 5_001);
    assert.deepEqual([rows[0].line, rows[1].line, rows[5_000].line], [4, 6, 4 + 2 * 5_000]);
    await assert.rejects(
      parseInviteCsv('email\r\n"a@example.com","x\r\ny"\r\n"open@example.com\r\nmore\r\n'),
      /^Error: The file is not valid CSV \(line 4\): Quote Not Closed: the parsing is finished with an opening quote$/,
    );
  });

  it('refuses a file over the size cap with a clear error, before parsing it', async () => {
    await assert.rejects(
      parseInviteCsv('a@example.com\n'.repeat(800_000)),
      /^Error: The file is 10\.7 MB; an import reads files up to 10 MB\. Split it into smaller files\.$/,
    );
  });

  it('parses 300,000 rows without blocking: the event loop turns while it reads', async () => {
    const text = ['email', ...Array.from({ length: 300_000 }, (_, i) => `p${i}@example.com`)].join('\n');
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    try {
      const rows = await parseInviteCsv(text);
      assert.equal(rows.length, 300_000);
      assert.equal(rows[299_999].line, 300_001);
    } finally {
      clearInterval(ticker);
    }
    assert.ok(turns >= 10, `the loop turned ${turns} times during the parse`);
  });

  it('rejects emails longer than 254 characters, or with more than 64 before the @', () => {
    const long = `${'a'.repeat(60)}@${'b'.repeat(190)}.example.com`;
    const local = `${'a'.repeat(65)}@example.com`;
    const { valid, rejected } = checkInviteRows(
      [
        { line: 1, email: long, groups: [] },
        { line: 2, email: local, groups: [] },
        { line: 3, email: `${'a'.repeat(64)}@example.com`, groups: [] },
      ],
      { members: new Set(), roles: [], groupWord: 'group' },
    );
    assert.deepEqual(
      rejected.map((r) => r.reason.replace(/"[^"]*"/, '"…"')),
      [
        '"…" is 263 characters long; an email address has at most 254',
        '"…" has 65 characters before the @; at most 64 are allowed',
      ],
    );
    assert.equal(valid.length, 1);
  });

  it('reads a pasted list, numbering its entries (a list has entries, not lines)', () => {
    assert.deepEqual(
      parsePastedEmails('a@example.com, <b@example.com>\nc@example.com').map((r) => `${r.line}:${r.email}`),
      ['1:a@example.com', '2:b@example.com', '3:c@example.com'],
    );
  });

  it('gives every bad row its reason and keeps the good ones with their role and groups', async () => {
    const rows = await parseInviteCsv(
      [
        'email,role,groups',
        'ok@example.com,member,sales',
        'bad@',
        'OK@example.com,,',
        'in@example.com,,',
        'x@example.com,Wizard,',
        'y@example.com,Owner,',
        'z@example.com,,Nope;Sales',
        ',Member,',
      ].join('\n'),
    );
    const { valid, rejected } = checkInviteRows(rows, {
      members: new Set(['in@example.com']),
      roles,
      groups,
      groupWord: 'group',
    });
    assert.deepEqual(valid, [{ email: 'ok@example.com', line: 2, seat: 'workspace_member', groupIds: ['grp_1'] }]);
    assert.deepEqual(
      rejected.map((r) => `${r.line}: ${r.reason}`),
      [
        '3: "bad@" is not a valid email address',
        '4: duplicate of line 2',
        '5: already a member',
        '6: unknown role "Wizard"; use one of: Member, Owner',
        '7: the role "Owner" cannot be given by an invitation',
        '8: unknown group: "Nope"',
        '9: no email in this row',
      ],
    );
  });

  it('refuses groups where invitations cannot add to one, naming the platform word', () => {
    const { rejected } = checkInviteRows([{ line: 1, email: 'a@example.com', groups: ['Writers'] }], {
      members: new Set(),
      roles: [],
      groupWord: 'team',
    });
    assert.equal(rejected[0].reason, 'invitations here cannot add people to a team; add them once they have joined');
  });
});

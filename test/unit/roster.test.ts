import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { parseCsvRecords } from '../../src/core/inviteRows';
import { COLUMN_NAMES, headerKey, mapColumns, statusOf, STATUS_WORDS } from '../../src/core/roster/columns';
import { MAX_ROSTER_BYTES, MAX_ROSTER_ROWS, parseRoster } from '../../src/core/roster/parse';
import { hasLeft, isExternal, parseDomains, Roster, RosterError } from '../../src/core/roster/roster';
import type { RosterPerson } from '../../src/core/roster/roster';

/** The problems as `line: message`, the easiest form to compare. */
const problemsOf = async (text: string) => (await parseRoster(text)).problems.map((p) => `${p.line}: ${p.message}`);
const refused = async (text: string, message: RegExp, line?: number) =>
  assert.rejects(parseRoster(text), (err: unknown) => {
    assert.ok(err instanceof RosterError, String(err));
    assert.match(err.message, message);
    assert.equal(err.line, line);
    return true;
  });

describe('roster: reading the file', () => {
  it('reads an HR export: loose header names, a BOM, CRLF, a quoted line break, aliases by ; and |, unknown columns reported', async () => {
    const text =
      '\uFEFFEmployee ID,Email Address [Required],Full Name,Employment Status,Termination Date,Alternate Emails,Manager Email,Dept,Location\r\n' +
      '1,Ann@Example.com,"Ann\r\nLee",Active,,"ann.lee@example.com; al@example.com|AL@example.com",boss@example.com,Sales,Paris\r\n' +
      '\r\n' +
      '2,bob@example.com,Bob Roe,Terminated,2024-03-01T17:00:00Z,,,,\r\n' +
      '3,<cy@example.com>,,on_leave,2030-01-31,smtp:cy.old@example.com,,,\r\n';
    const { roster, problems, ignoredColumns } = await parseRoster(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(ignoredColumns, ['Employee ID', 'Location']);
    assert.deepEqual(roster.people, [
      {
        email: 'Ann@Example.com',
        name: 'Ann\r\nLee',
        status: 'active',
        statusText: 'Active',
        aliases: ['ann.lee@example.com', 'al@example.com'],
        manager: 'boss@example.com',
        department: 'Sales',
        line: 2,
      },
      {
        email: 'bob@example.com',
        name: 'Bob Roe',
        status: 'left',
        statusText: 'Terminated',
        endDate: '2024-03-01',
        aliases: [],
        line: 5,
      },
      {
        email: 'cy@example.com',
        status: 'active',
        statusText: 'on_leave',
        endDate: '2030-01-31',
        aliases: ['cy.old@example.com'],
        line: 6,
      },
    ]);
  });

  it('matches header names by letters and digits only, any case, with camelCase and bracketed notes', () => {
    const cases: [string, string][] = [
      ['Email Address', 'email'],
      ['work_email', 'email'],
      ['primary email', 'email'],
      ['E-Mail', 'email'],
      ['userPrincipalName', 'email'],
      ['Email Address [Required]', 'email'],
      ['Full Name', 'name'],
      ['displayName', 'name'],
      ['First Name [Required]', 'firstName'],
      ['Employment Status', 'status'],
      ['Status (read only)', 'status'],
      ['Termination Date', 'endDate'],
      ['end_date', 'endDate'],
      ['LAST DAY', 'endDate'],
      ['Alternate Emails', 'aliases'],
      ['aliases', 'aliases'],
      ['proxyAddresses', 'aliases'],
      ['Manager Email', 'manager'],
      ['Reports-To', 'manager'],
      ['Dept', 'department'],
    ];
    for (const [header, field] of cases)
      assert.deepEqual(mapColumns([header]).at, { [field]: 0 }, `${header} (${headerKey(header)})`);
    // Words that often mean something else in an export are not read as roster columns.
    assert.deepEqual(mapColumns(['State', 'Username', 'Organization']), {
      at: {},
      ignored: ['State', 'Username', 'Organization'],
    });
  });

  it('reads the preferred of two columns that mean the same, and reports the other as ignored', async () => {
    const { roster, ignoredColumns } = await parseRoster(
      'userPrincipalName,mail,Given Name,Surname\nupn@example.com,m@example.com,Ann,Lee\n',
    );
    assert.equal(roster.people[0].email, 'm@example.com');
    assert.equal(roster.people[0].name, 'Ann Lee', 'first and last name joined when there is no full name');
    assert.deepEqual(ignoredColumns, ['userPrincipalName']);
    // A full name is read as written; first and last names then go unread.
    const both = await parseRoster('email,first name,last name,name\na@example.com,A,B,Full Name\n');
    assert.equal(both.roster.people[0].name, 'Full Name');
    assert.deepEqual(both.ignoredColumns, ['first name', 'last name']);
  });

  it('maps every status word it knows, in any case and with _ or - for spaces; an empty status is active', async () => {
    for (const [status, words] of Object.entries(STATUS_WORDS))
      for (const w of words) {
        assert.equal(statusOf(w), status, w);
        assert.equal(statusOf(` ${w.toUpperCase().replace(/ /g, '_')} `), status, w);
      }
    assert.equal(statusOf('On-Leave'), 'active');
    assert.equal(statusOf('garden leave'), undefined);
    const { roster } = await parseRoster('email,status\na@example.com,\nb@example.com,SUSPENDED\n');
    assert.deepEqual(
      roster.people.map((p) => [p.email, p.status, p.statusText]),
      [
        ['a@example.com', 'active', undefined],
        ['b@example.com', 'left', 'SUSPENDED'],
      ],
    );
  });

  it('skips a row with a bad email, an unknown status or a date that is not a date, naming its line; all-empty rows pass in silence', async () => {
    const text = [
      'email,status,end date',
      'ok@example.com,active,2024-02-29',
      'not-an-email,active,',
      ',active,',
      'x@example.com,contractor,',
      'y@example.com,left,03/01/2024',
      'z@example.com,left,2023-02-29',
      ',,',
      'w@example.com,left,2023-02-28 09:30',
    ].join('\n');
    assert.deepEqual(await problemsOf(text), [
      '3: row skipped: "not-an-email" is not a valid email address',
      '4: row skipped: no email in this row',
      '5: row skipped: unknown status "contractor"; use a word like active, on leave, left, terminated, inactive or suspended, or leave it empty for active',
      '6: row skipped: end date "03/01/2024" is not a date; write it as YYYY-MM-DD',
      '7: row skipped: end date "2023-02-29" is not a date; write it as YYYY-MM-DD',
    ]);
    const { roster } = await parseRoster(text);
    assert.deepEqual(
      roster.people.map((p) => `${p.line}:${p.email}:${p.endDate}`),
      ['2:ok@example.com:2024-02-29', '9:w@example.com:2023-02-28'],
    );
  });

  it('skips the later row of an email listed twice (any case), naming both lines; a row saying active beats an earlier one saying left', async () => {
    const text = [
      'email,status',
      'a@example.com,active',
      'A@Example.com,active',
      'rehired@example.com,terminated',
      'rehired@example.com,active',
      'gone@example.com,left',
      'gone@example.com,left',
    ].join('\n');
    assert.deepEqual(await problemsOf(text), [
      '3: row skipped: "A@Example.com" is also on line 2',
      '4: row skipped: "rehired@example.com" is also on line 5, which says active and is kept',
      '7: row skipped: "gone@example.com" is also on line 6',
    ]);
    const { roster } = await parseRoster(text);
    assert.equal(roster.find('rehired@example.com')?.line, 5);
    assert.equal(roster.find('rehired@example.com')?.status, 'active');
  });

  it("drops an alias that is another row's email or that an earlier row lists too, and an alias that is not an email; the row stays", async () => {
    const text = [
      'email,aliases',
      'a@example.com,shared@example.com;b@example.com;a@example.com;bad alias',
      'b@example.com,shared@example.com|b2@example.com',
    ].join('\n');
    assert.deepEqual(await problemsOf(text), [
      '2: alias ignored: "bad" is not a valid email address',
      '2: alias ignored: "alias" is not a valid email address',
      '2: alias "b@example.com" ignored: it is the email of line 3',
      '3: alias "shared@example.com" ignored: line 2 lists it too',
    ]);
    const { roster, problems } = await parseRoster(text);
    assert.ok(problems.every((p) => !p.skipped));
    assert.deepEqual(
      roster.people.map((p) => p.aliases),
      [['shared@example.com'], ['b2@example.com']],
    );
    assert.equal(roster.find('b@example.com')?.line, 3);
    assert.equal(roster.find('shared@example.com')?.line, 2);
  });
});

describe('roster: files refused whole', () => {
  it('refuses a file that is not CSV, naming the line', async () => {
    await refused(
      'email\r\na@example.com\r\n"open@example.com\r\nmore\r\n',
      /^The roster is not valid CSV \(line 3\): Quote Not Closed/,
      3,
    );
  });

  it('refuses an empty file, a header with no rows, and rows that are all empty', async () => {
    await refused('', /^The roster is empty: it has no header and no rows\.$/);
    await refused('\uFEFF\n \r\n', /^The roster is empty/);
    await refused('\n\nEmail,Name\n', /^The roster lists no one: line 3 names the columns and no row follows\.$/, 3);
    await refused(
      'email,name\n,\n , \n',
      /^The roster lists no one: line 1 names the columns and every row after it is empty\.$/,
      1,
    );
  });

  it('refuses a file with no email column, listing the headers it saw and the names it accepts', async () => {
    await refused(
      'Employee ID,Username,Status\n1,ann,active\n',
      new RegExp(
        `^The roster has no email column \\(line 1\\): its columns are "Employee ID", "Username", "Status"\\. Name the email column one of: ${COLUMN_NAMES.email.join(', ')}\\.$`,
      ),
      1,
    );
    await refused(
      '\nann@example.com,Ann\nbob@example.com,Bob\n',
      /^Line 2 of the roster holds an email address, not column names\. Add a first line naming the columns, like: email,name,status,end date$/,
      2,
    );
  });

  it('refuses a file where no row can be used (a wrong column read as emails), naming the first bad line', async () => {
    await refused(
      'name,mail\nAnn,ann\nBob,bob\n',
      /^No row of the roster can be used: each of its 2 rows has a problem \(line 2: "ann" is not a valid email address\)\.$/,
      2,
    );
  });

  it(`reads a file of exactly ${MAX_ROSTER_BYTES} bytes (32 MB) and refuses one byte more, before parsing`, async () => {
    assert.equal(MAX_ROSTER_BYTES, 32 * 1024 * 1024);
    const head = 'email\na@example.com\n';
    const exact = head + '\n'.repeat(MAX_ROSTER_BYTES - head.length);
    assert.equal(Buffer.byteLength(exact), MAX_ROSTER_BYTES);
    assert.equal((await parseRoster(exact)).roster.size, 1);
    await refused(`${exact} `, /^The roster is 33,554,433 bytes; a roster may be up to 33,554,432 bytes\.$/);
    // Counted in bytes, not characters: é is two.
    await refused(`é${exact.slice(1)}`, /^The roster is 33,554,433 bytes;/);
    await refused(exact.repeat(2), /^The roster is 64 MB; a roster may be up to 32 MB\.$/);
  });

  it(`reads exactly ${MAX_ROSTER_ROWS} people with the event loop turning, and refuses one more, naming its line`, async () => {
    assert.equal(MAX_ROSTER_ROWS, 100_000);
    const rows = Array.from({ length: MAX_ROSTER_ROWS }, (_, i) => `p${i}@example.com`);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    try {
      const { roster } = await parseRoster(['email', ...rows].join('\n'));
      assert.equal(roster.size, MAX_ROSTER_ROWS);
      assert.equal(roster.find(`p${MAX_ROSTER_ROWS - 1}@example.com`)?.line, MAX_ROSTER_ROWS + 1);
    } finally {
      clearInterval(ticker);
    }
    assert.ok(turns >= 5, `the loop turned ${turns} times during the parse`);
    // Blank lines before the one too many are counted in its line; a broken end after it is never read.
    await refused(
      ['email', ...rows, '', 'last@example.com', '"open'].join('\n'),
      /^The roster has more than 100,000 people \(line 100003 is one too many\); a roster holds up to 100,000\.$/,
      100_003,
    );
  });

  it("the shared CSV reader gives each record its line as csv-parse's own record info would, and reads again with it when out of step", async () => {
    const long = Array.from({ length: 3_000 }, (_, i) => `p${i}@example.com,"Name\r\n${i}",x`).join('\n');
    const texts = [
      '\ufeffemail,name\r\na@example.com,"two\r\nlines"\r\n\r\n  b@example.com  ,x\rc@example.com\n',
      'email\n"quoted, comma"\n\n\nlast@example.com',
      `email,name,team\n${long}\n`,
    ];
    const shown = (records: { line: number; record: string[] }[]) =>
      records.map((r) => `${r.line}:${r.record.join('|')}`);
    for (const text of texts) {
      const info = shown(await parseCsvRecords(text, { withInfo: true }));
      assert.deepEqual(shown(await parseCsvRecords(text)), info);
    }
    assert.equal(shown(await parseCsvRecords(texts[2])).at(-1), `6000:p2999@example.com|Name\r\n2999|x`);
    // Records that reach the reader late (the parser has read on): its position is not theirs, so it reads again.
    const csv = createRequire(__filename)('csv-parse') as { parse: (o: { info?: boolean }) => NodeJS.EventEmitter };
    const original = csv.parse;
    let late = 0;
    csv.parse = (o) => {
      const parser = original(o);
      if (!o.info) {
        const on = parser.on.bind(parser);
        parser.on = ((event: string, fn: (r: unknown) => void) =>
          on(
            event,
            event === 'data' ? (r: unknown) => void setImmediate(() => (late++, fn(r))) : fn,
          )) as typeof parser.on;
      }
      return parser;
    };
    try {
      assert.deepEqual(
        shown(await parseCsvRecords(texts[2])),
        shown(await parseCsvRecords(texts[2], { withInfo: true })),
      );
      assert.ok(late > 0, 'the records came late');
    } finally {
      csv.parse = original;
    }
  });

  it('the shared CSV reader stops one record past maxRecords, so the rest of a long file is never held', async () => {
    const records = await parseCsvRecords('email\na@example.com\n\nb@example.com\n"open', { maxRecords: 2 });
    assert.deepEqual(
      records.map((r) => `${r.line}:${r.record[0]}`),
      ['1:email', '2:a@example.com', '4:b@example.com'],
    );
    await assert.rejects(parseCsvRecords('email\na@example.com\n"open', { maxRecords: 2 }), /not valid CSV \(line 3\)/);
  });
});

const person = (over: Partial<RosterPerson>): RosterPerson => ({
  email: 'p@example.com',
  status: 'active',
  aliases: [],
  line: 2,
  ...over,
});

describe('roster: lookups', () => {
  it('finds a person by email or alias in any case, with surrounding spaces, and nobody for an unknown address', () => {
    const ann = person({ email: 'Ann@Example.com', aliases: ['ann.lee@example.com'], line: 2 });
    const roster = new Roster([ann, person({ email: 'bob@example.com', line: 3 })]);
    assert.equal(roster.find('ann@example.com'), ann);
    assert.equal(roster.find(' ANN.LEE@EXAMPLE.COM '), ann);
    assert.equal(roster.find('bob@example.com')?.line, 3);
    assert.equal(roster.find('carol@example.com'), undefined);
    assert.equal(roster.size, 2);
  });

  it('has left by status, or by an end date of today or earlier; a later end date is still here', () => {
    const today = '2025-06-15';
    assert.equal(hasLeft(person({ status: 'left' }), today), true);
    assert.equal(hasLeft(person({ status: 'left', endDate: '2099-01-01' }), today), true);
    assert.equal(hasLeft(person({ endDate: '2025-06-14' }), today), true);
    assert.equal(hasLeft(person({ endDate: '2025-06-15' }), today), true);
    assert.equal(hasLeft(person({ endDate: '2025-06-16' }), today), false);
    assert.equal(hasLeft(person({}), today), false);
  });

  it('is external unless the domain or a parent domain is the organization’s, compared by whole labels in any case', () => {
    const own = parseDomains(['example.com', 'example.co.uk']);
    assert.equal(isExternal('a@example.com', own), false);
    assert.equal(isExternal('A@EXAMPLE.CO.UK', own), false);
    assert.equal(isExternal('a@eng.example.com', own), false, 'subdomains are the organization’s own');
    assert.equal(isExternal('a@x.eng.example.com.', own), false);
    assert.equal(isExternal('a@notexample.com', own), true);
    assert.equal(isExternal('a@example.com.evil.io', own), true);
    assert.equal(isExternal('a@co.uk', own), true);
    assert.equal(isExternal('a@gmail.com', own), true);
    assert.equal(isExternal('no-at-sign', own), true);
    assert.equal(isExternal('a@gmail.com', parseDomains([])), false, 'with no domains set, nobody is external');
  });

  it('reads a domain list: @ and *. and a trailing dot dropped, any case; bad entries all named with what to write', () => {
    assert.deepEqual(
      [...parseDomains([' @Example.com ', '*.example.co.uk.', 'xn--bcher-kva.de', 'example.com'])],
      ['example.com', 'example.co.uk', 'xn--bcher-kva.de'],
    );
    const bad = (entry: string, message: string) =>
      assert.throws(
        () => parseDomains(['example.com', entry]),
        (err: unknown) =>
          err instanceof RosterError &&
          err.message === `The organization's email domains have a bad entry: ${message}.`,
        entry,
      );
    bad('example', '"example" has no dot; write the whole domain, like example.com');
    bad(' ', '" " is empty');
    bad('https://example.com', '"https://example.com" is a web address; write the domain alone, like example.com');
    bad('ann@example.com', '"ann@example.com" is an email address; write only the part after the @');
    bad(
      'exa_mple.com',
      '"exa_mple.com" is not a domain: "exa_mple" may hold only letters, digits and inner hyphens (an international domain in its xn-- form)',
    );
    bad(
      '-a.com',
      '"-a.com" is not a domain: "-a" may hold only letters, digits and inner hyphens (an international domain in its xn-- form)',
    );
    bad('a..com', '"a..com" has an empty part between dots');
    bad('10.0.0.1', '"10.0.0.1" is an IP address; write the organization\'s email domain');
    assert.throws(
      () => parseDomains(['example', 'b@c.com']),
      /^RosterError: The organization's email domains have bad entries: "example" has no dot; write the whole domain, like example\.com; "b@c\.com" is an email address; write only the part after the @\.$/,
    );
  });

  it('matches 15,000 emails against a 6,000-row roster: primaries in any case, aliases, strangers, leavers and externals all right', async () => {
    const rows = Array.from(
      { length: 6_000 },
      (_, i) =>
        `p${i}@example.com,Person ${i},${i % 10 === 0 ? 'terminated' : 'active'},${i % 7 === 0 ? '2025-01-01' : ''},p${i}.alt@example.com`,
    );
    const { roster, problems } = await parseRoster(['email,name,status,end date,aliases', ...rows].join('\n'));
    assert.deepEqual(problems, []);
    const own = parseDomains(['example.com']);
    const emails = [
      ...Array.from({ length: 6_000 }, (_, i) => `P${i}@EXAMPLE.COM`),
      ...Array.from({ length: 3_000 }, (_, i) => `p${i * 2}.alt@example.com`),
      ...Array.from({ length: 3_000 }, (_, i) => `stranger${i}@example.com`),
      ...Array.from({ length: 3_000 }, (_, i) => `guest${i}@partner.io`),
    ];
    assert.equal(emails.length, 15_000);
    let found = 0;
    let left = 0;
    let external = 0;
    let wrongLine = 0;
    for (const email of emails) {
      const p = roster.find(email);
      if (isExternal(email, own)) external++;
      if (!p) continue;
      found++;
      if (hasLeft(p, '2025-06-15')) left++;
      const i = Number(/^p(\d+)/i.exec(email)?.[1]);
      if (p.line !== i + 2) wrongLine++;
    }
    assert.equal(found, 9_000);
    assert.equal(wrongLine, 0);
    assert.equal(external, 3_000);
    // Left by status (i % 10 === 0) or end date (i % 7 === 0): 6,000 primaries and the 3,000 even aliases.
    const leaver = (i: number) => i % 10 === 0 || i % 7 === 0;
    const expected =
      Array.from({ length: 6_000 }, (_, i) => i).filter(leaver).length +
      Array.from({ length: 3_000 }, (_, i) => i * 2).filter(leaver).length;
    assert.equal(left, expected);
  });
});

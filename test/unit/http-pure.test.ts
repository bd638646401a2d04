import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizeErrorBody, httpErrorMessage } from '../../src/core/http/errors';
import { redactHeaders, redactText } from '../../src/core/http/redact';
import { PLATFORMS } from '../../src/providers';
import {
  backoffDelay,
  isIdempotentMethod,
  parseRetryAfter,
  retryDelay,
  DEFAULT_RETRY,
} from '../../src/core/http/retry';
import { resolveProxy } from '../../src/core/http/transport';
import { checkBaseUrl, isLoopbackHost } from '../../src/core/http/url';

describe('Retry-After and backoff', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3_000);
    assert.equal(parseRetryAfter('0.5', now), 500);
    assert.equal(parseRetryAfter('Sun, 22 Nov 2026 10:00:07 GMT', now), 7_000);
    assert.equal(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now), 0, 'a date in the past means now');
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const opts = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, opts, () => 1)),
      [100, 200, 400, 800, 1_000, 1_000],
    );
    assert.equal(
      backoffDelay(3, opts, () => 0),
      0,
    );
    assert.equal(retryDelay(0, 120_000, DEFAULT_RETRY), DEFAULT_RETRY.maxDelayMs, 'Retry-After is capped too');
  });

  it('knows which methods are idempotent', () => {
    assert.deepEqual(['GET', 'PUT', 'DELETE', 'POST', 'PATCH'].map(isIdempotentMethod), [
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('error bodies of the three platforms', () => {
  it('reads each envelope', () => {
    assert.deepEqual(summarizeErrorBody({ detail: { status: 'invalid_api_key', message: 'Invalid API key' } }), {
      message: 'Invalid API key',
      code: 'invalid_api_key',
      details: [],
    });
    assert.deepEqual(summarizeErrorBody({ detail: 'Not Found' }), { message: 'Not Found', details: [] });
    assert.deepEqual(summarizeErrorBody({ error: 'permission_denied', message: 'No access' }), {
      message: 'No access',
      code: 'permission_denied',
      details: [],
    });
    assert.deepEqual(summarizeErrorBody({ error: { code: 404, message: 'Space not found' } }), {
      message: 'Space not found',
      code: '404',
      details: [],
    });
    assert.deepEqual(summarizeErrorBody({ success: false, error: 'Project not found', deprecated: false }), {
      message: 'Project not found',
      details: [],
    });
    const v = summarizeErrorBody({
      detail: [{ loc: ['body', 'emails', 2], msg: 'value is not a valid email address', type: 'value_error' }],
    });
    assert.equal(v.message, 'emails.2: value is not a valid email address');
    assert.equal(v.details.length, 1);
  });

  it('writes a message that names platform and status', () => {
    assert.equal(
      httpErrorMessage(PLATFORMS.confident, 403, { message: 'Forbidden for this key', details: [] }),
      'Confident AI: Forbidden for this key (403 the API key is not allowed to do this).',
    );
    assert.equal(httpErrorMessage(PLATFORMS.gitbook, 503, { details: [] }), 'GitBook: service unavailable (503).');
  });
});

describe('redaction', () => {
  it('hides auth headers', () => {
    assert.deepEqual(
      redactHeaders({
        'xi-api-key': 'abc',
        authorization: 'Bearer x',
        confident_api_key: 'k',
        accept: 'application/json',
      }),
      {
        'xi-api-key': '[redacted]',
        authorization: '[redacted]',
        confident_api_key: '[redacted]',
        accept: 'application/json',
      },
    );
  });

  it('hides known secrets and credential-looking tokens in text', () => {
    assert.equal(redactText('key my-secret-key was refused', ['my-secret-key']), 'key [redacted] was refused');
    assert.equal(redactText('Authorization: Bearer abcdef123456'), 'Authorization: [redacted]');
    assert.equal(redactText('sent Bearer abcdef123456 twice'), 'sent Bearer [redacted] twice');
    assert.equal(redactText('{"xi-api-key":"sk_0123456789abcdef0123"}'), '{"xi-api-key":"[redacted]"}');
    assert.equal(redactText('token confident_us_org_abc0123456789abcdef here'), 'token [redacted] here');
    assert.equal(redactText('nothing to hide'), 'nothing to hide');
  });

  it('also covers access_token=, key= and user:password@ in URLs', () => {
    assert.equal(
      redactText('GET https://x.example/cb?access_token=abc123def&x=1'),
      'GET https://x.example/cb?access_token=[redacted]&x=1',
    );
    assert.equal(redactText('https://x.example/?key=s3cr3tvalue'), 'https://x.example/?key=[redacted]');
    assert.equal(
      redactText('proxy http://alice:hunter22@proxy.example:8080 refused'),
      'proxy http://[redacted]@proxy.example:8080 refused',
    );
    assert.equal(
      redactText('a monkey=banana is no key'),
      'a monkey=banana is no key',
      'a word that ends in "key" is not a key',
    );
  });
});

describe('base URLs', () => {
  it('accepts https anywhere and http on loopback only', () => {
    assert.equal(checkBaseUrl('https://api.elevenlabs.io/'), 'https://api.elevenlabs.io');
    assert.equal(checkBaseUrl('https://api.gitbook.com/v1/'), 'https://api.gitbook.com/v1');
    assert.equal(checkBaseUrl('http://127.0.0.1:3939/elevenlabs'), 'http://127.0.0.1:3939/elevenlabs');
    assert.equal(checkBaseUrl('http://[::1]:80'), 'http://[::1]');
    assert.equal(checkBaseUrl('http://localhost:1'), 'http://localhost:1');
    assert.throws(() => checkBaseUrl('http://api.elevenlabs.io'), /must use https/);
    assert.throws(() => checkBaseUrl('http://10.0.0.1'), /must use https/);
    assert.throws(() => checkBaseUrl('ftp://x.example'), /must use https/);
    assert.throws(() => checkBaseUrl('https://user:pw@x.example'), /user name or password/);
    assert.throws(() => checkBaseUrl('api.elevenlabs.io'), /is not a URL/);
    assert.ok(isLoopbackHost('127.1.2.3') && !isLoopbackHost('128.0.0.1') && !isLoopbackHost('localhost.evil.com'));
  });

  it('takes plain http for literal loopback only, never a name under .localhost (it goes to DNS)', () => {
    assert.throws(() => checkBaseUrl('http://api.localhost:3939'), /must use https/);
    assert.throws(() => checkBaseUrl('http://evil.example.localhost'), /must use https/);
    assert.ok(!isLoopbackHost('127.0.0.300'));
    assert.ok(isLoopbackHost('127.255.255.254') && isLoopbackHost('[::1]') && isLoopbackHost('LOCALHOST'));
  });

  it('refuses `localhost.` (the fully qualified name goes to the resolver too)', () => {
    for (const raw of ['http://localhost.:3939', 'http://LOCALHOST./', 'http://localhost..'])
      assert.throws(() => checkBaseUrl(raw), /must use https .*plain http is allowed only for loopback addresses/, raw);
    assert.ok(!isLoopbackHost('localhost.'));
    assert.equal(
      checkBaseUrl('https://localhost.:3939'),
      'https://localhost.:3939',
      'https is checked by its certificate',
    );
  });
});

describe('proxy resolution', () => {
  it('prefers the VS Code setting, then the environment, and merges no-proxy lists', () => {
    assert.deepEqual(resolveProxy({ connectTimeoutMs: 1, env: {} }), { httpProxy: '', httpsProxy: '', noProxy: '' });
    assert.deepEqual(
      resolveProxy({ connectTimeoutMs: 1, env: { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'a.com,b.com' } }),
      { httpProxy: '', httpsProxy: 'http://p:1', noProxy: 'a.com,b.com' },
    );
    assert.deepEqual(
      resolveProxy({
        connectTimeoutMs: 1,
        proxy: { proxy: 'http://vs:2', noProxy: ['x.io'] },
        env: { HTTPS_PROXY: 'http://p:1', no_proxy: 'y.io' },
      }),
      { httpProxy: 'http://vs:2', httpsProxy: 'http://vs:2', noProxy: 'x.io,y.io' },
    );
  });
});

/**
 * Base URLs decide where API keys are sent, so they are held to one rule everywhere:
 * https, or plain http only to a loopback address (the local emulator).
 */
export class BaseUrlError extends Error {
  override readonly name = 'BaseUrlError';
}

/**
 * Literal loopback only: `localhost`, an address in 127.0.0.0/8, or `::1`. A name under `.localhost`
 * is not taken, nor `localhost.` (the fully qualified name): they go to the resolver, which may
 * answer with any address.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && v4.slice(1).every((octet) => Number(octet) <= 255);
}

/** Returns the normalized base URL (no trailing slash), or throws a BaseUrlError saying what to fix. */
export function checkBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new BaseUrlError(`"${raw}" is not a URL. Use a full address such as https://api.example.com.`);
  }
  if (url.username || url.password) {
    throw new BaseUrlError(`The base URL must not contain a user name or password (${url.host}).`);
  }
  if (url.search || url.hash) {
    throw new BaseUrlError(`The base URL must not have a query or fragment: ${url.origin}${url.pathname}`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new BaseUrlError(
      `The base URL must use https (got ${url.origin}); plain http is allowed only for loopback addresses.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BaseUrlError(`The base URL must use https (got ${url.protocol}).`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Keeps credentials out of everything a person or a log can read. */
const SENSITIVE_HEADERS =
  /^(authorization|proxy-authorization|xi-api-key|confident_api_key|cookie|set-cookie|x-api-key)$/i;
export const REDACTED = '[redacted]';

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = SENSITIVE_HEADERS.test(name) ? REDACTED : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Patterns that look like credentials wherever they appear in text. */
const INLINE_PATTERNS: RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
  /\b(xi-api-key|confident_api_key|authorization|api[_-]?key|access[_-]?token|refresh[_-]?token|token|secret|password|key)(["']?\s*[:=]\s*["']?)(?:(?:Bearer|Basic)\s+)?[^\s"',;}&[]{4,}/gi,
  /\b(sk|xi|gb_api|confident)_[A-Za-z0-9_]{16,}\b/g,
  // user:password@ in a URL
  /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi,
];

/** Replaces every known secret value and every credential-looking token in `text`. */
export function redactText(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(INLINE_PATTERNS[1], (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  out = out.replace(INLINE_PATTERNS[0], (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(INLINE_PATTERNS[2], REDACTED);
  out = out.replace(INLINE_PATTERNS[3], (_m, scheme: string) => `${scheme}${REDACTED}@`);
  return out;
}

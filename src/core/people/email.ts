/** How a person is matched: a leaf module, so what needs only this (the review bundle) needs nothing else. */

/** Emails compare without case: the one rule for matching a person. */
export const sameEmail = (a: string | undefined, b: string | undefined): boolean =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

export const looksLikeEmail = (text: string): boolean => /^[^\s@]+@[^\s@]+$/.test(text.trim());

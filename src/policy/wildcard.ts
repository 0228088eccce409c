// IAM wildcard matching (`*` any run of characters, `?` one character) without backtracking: the
// pattern is cut at its stars and each piece is found leftmost in turn, so the cost is bounded by
// pattern length × value length whatever the pattern holds (a regular expression built from
// "kms:****…X" backtracks exponentially). Shared by the sandbox and the extension; no imports.

export interface WildcardOptions {
  /** Actions and most condition operators' `IgnoreCase` forms compare case-insensitively. */
  readonly ignoreCase?: boolean;
}

/** True when `value` matches the IAM wildcard `pattern` as a whole. */
export function wildcardMatch(pattern: string, value: string, options: WildcardOptions = {}): boolean {
  if (options.ignoreCase) {
    pattern = pattern.toLowerCase();
    value = value.toLowerCase();
  }
  if (!pattern.includes('*')) return pattern.length === value.length && pieceAt(pattern, value, 0);
  const pieces = pattern.split('*');
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (first.length + last.length > value.length) return false;
  if (!pieceAt(first, value, 0) || !pieceAt(last, value, value.length - last.length)) return false;
  let from = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i];
    if (piece.length === 0) continue;
    const at = findPiece(piece, value, from, end);
    if (at < 0) return false;
    from = at + piece.length;
  }
  return true;
}

/** True when the pattern has a wildcard character. */
export const hasWildcard = (pattern: string): boolean => pattern.includes('*') || pattern.includes('?');

/** `piece` (which may hold `?`, no `*`) matches `value` at `at`. */
function pieceAt(piece: string, value: string, at: number): boolean {
  if (at < 0 || at + piece.length > value.length) return false;
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== value.charCodeAt(at + i)) return false;
  }
  return true;
}

/** Leftmost position ≥ from where `piece` matches and ends by `end`, or -1. */
function findPiece(piece: string, value: string, from: number, end: number): number {
  if (!piece.includes('?')) {
    const at = value.indexOf(piece, from);
    return at >= 0 && at + piece.length <= end ? at : -1;
  }
  for (let at = from; at + piece.length <= end; at++) if (pieceAt(piece, value, at)) return at;
  return -1;
}

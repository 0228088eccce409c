// Where a key policy statement is in the document's text: the offsets of the Nth element of the top-level
// "Statement" (an object or an array of them), found by one linear scan over the JSON. Pure.

export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** The text range of statement `index` (0-based), or undefined when the text has no such statement. */
export function statementRange(text: string, index: number): TextRange | undefined {
  const ranges = statementRanges(text);
  return ranges?.[index];
}

/** The ranges of every statement, in order, or undefined when the text is not a JSON object with "Statement". */
export function statementRanges(text: string): TextRange[] | undefined {
  let depth = 0;
  let i = 0;
  let lastString: string | undefined;
  let statementAt: number | undefined;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      lastString = text.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === ':' && depth === 1 && lastString === 'Statement') {
      statementAt = i + 1;
      break;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (!/\s|,|:/.test(c)) lastString = undefined;
    i++;
  }
  if (statementAt === undefined) return undefined;
  let at = skipSpace(text, statementAt);
  if (text[at] === '{') {
    const end = valueEnd(text, at);
    return end < 0 ? undefined : [{ start: at, end }];
  }
  if (text[at] !== '[') return undefined;
  const out: TextRange[] = [];
  at = skipSpace(text, at + 1);
  while (at < text.length && text[at] !== ']') {
    const end = valueEnd(text, at);
    if (end < 0) return undefined;
    out.push({ start: at, end });
    at = skipSpace(text, end);
    if (text[at] === ',') at = skipSpace(text, at + 1);
  }
  return out;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

/** The index of the closing quote of the string opening at `i`, or -1. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j;
  }
  return -1;
}

/** The offset just after the JSON value starting at `i`, or -1. */
function valueEnd(text: string, i: number): number {
  if (text[i] === '"') {
    const e = stringEnd(text, i);
    return e < 0 ? -1 : e + 1;
  }
  if (text[i] !== '{' && text[i] !== '[') {
    let j = i;
    while (j < text.length && !/[\s,\]}]/.test(text[j])) j++;
    return j;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"') {
      j = stringEnd(text, j);
      if (j < 0) return -1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

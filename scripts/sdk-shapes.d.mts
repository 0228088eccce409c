import type { MemberShape } from '../src/sandbox/validate';

export function inputShapes(): Record<string, Record<string, MemberShape>>;
export function sdkVersion(): string;

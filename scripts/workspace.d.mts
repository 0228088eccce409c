// Types for workspace.mjs (imported by the TypeScript UI tests in test/e2e).
export declare const SAMPLE_TEXT: string;
export declare function createSampleWorkspace(dir: string): string;

// The one definition of the messages between the walkthrough page and the extension host, and the
// validators for everything that comes from the page. A message that fails validation is ignored
// (the caller logs the reason, never the content). Shared by both sides: no vscode, no SDK.
import { LIMITS, STEP_IDS, type StepId, isStepId } from './catalog';

// ---- values shown on the page ------------------------------------------------------------------

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonPath = (string | number)[];

/** A value hidden in a request or response; the page asks the host for it by id when the user clicks Reveal. */
export interface MaskedField {
  path: JsonPath;
  secretId: string;
  label: string;
}

export interface ApiCallRecord {
  operation: string;
  request: JsonValue;
  response?: JsonValue;
  error?: { code: string; message: string };
  masked: MaskedField[];
}

export interface SummaryItem {
  label: string;
  value: string;
  /** Show as a preformatted block (JSON documents). */
  code?: boolean;
}

export interface StepErrorView {
  code: string;
  summary: string;
  detail?: string;
}

export type StepStatus = 'pending' | 'running' | 'done' | 'failed';

export interface StepView {
  status: StepStatus;
  calls: ApiCallRecord[];
  summary: SummaryItem[];
  error?: StepErrorView;
  updatedAt?: string;
}

/** The key the scenario works on (created by step 1). */
export interface ScenarioKey {
  keyId: string;
  keyArn: string;
  aliasName?: string;
  accountId: string;
  partition: string;
  region: string;
}

export type DeletionStatus = 'none' | 'running' | 'scheduled' | 'cancelled' | 'failed';

export interface DeletionView {
  status: DeletionStatus;
  deletionDate?: string;
  calls: ApiCallRecord[];
  summary: SummaryItem[];
  error?: StepErrorView;
}

// ---- inputs ------------------------------------------------------------------------------------

export interface StepInputs {
  createKey: { description: string; alias: string };
  enableKey: Record<string, never>;
  encryptDecrypt: { message: string };
  grantsPolicy: { grantee: string; addStatement: boolean; statement: string };
  rotation: { rotationPeriodInDays: number };
  tagsDeletion: { tagKey: string; tagValue: string };
  keyUsage: Record<string, never>;
}

export interface ViewState {
  /** The connection the extension uses now. */
  connectionLabel: string;
  /** The connection the saved progress was made on, when it differs from the current one. */
  progressConnectionLabel?: string;
  busy: boolean;
  /** Why the last action could not start (no connection, no credentials), in plain words. */
  notice?: string;
  key?: ScenarioKey;
  defaults: StepInputs;
  steps: Record<StepId, StepView>;
  deletion: DeletionView;
}

// ---- messages ----------------------------------------------------------------------------------

export type RunMessage = { [K in StepId]: { type: 'run'; step: K; inputs: StepInputs[K] } }[StepId];

export type FromWebview =
  | { type: 'ready' }
  | RunMessage
  | { type: 'runAll'; inputs: StepInputs }
  | { type: 'scheduleDeletion'; pendingWindowInDays: number }
  | { type: 'cancelDeletion' }
  | { type: 'reveal'; secretId: string }
  | { type: 'startOver' }
  /** Open the scenario's key in the Key Usage view. */
  | { type: 'showKeyUsage' }
  /** The page saw its own Content Security Policy block something: logged, so it never goes unnoticed. */
  | { type: 'cspViolation'; directive: string };

export type ToWebview =
  { type: 'state'; state: ViewState } | { type: 'revealed'; secretId: string; value: string | null };

// ---- validation --------------------------------------------------------------------------------

type Field =
  | { kind: 'string'; max: number }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'bool' }
  /** Present; its content is checked by the caller against its own schema. */
  | { kind: 'nested' };

type Schema = Record<string, Field>;

/** Shape of each step's inputs: every field required, nothing else allowed. */
export const INPUT_SCHEMAS: { [K in StepId]: { [F in keyof StepInputs[K]]-?: Field } } = {
  createKey: {
    description: { kind: 'string', max: LIMITS.descriptionChars },
    alias: { kind: 'string', max: LIMITS.aliasChars },
  },
  enableKey: {},
  // A UTF-16 code unit is at least one UTF-8 byte, so the byte limit bounds the length too.
  encryptDecrypt: { message: { kind: 'string', max: LIMITS.messageBytes } },
  grantsPolicy: {
    grantee: { kind: 'string', max: LIMITS.granteeChars },
    addStatement: { kind: 'bool' },
    statement: { kind: 'string', max: LIMITS.statementChars },
  },
  rotation: { rotationPeriodInDays: { kind: 'int', min: LIMITS.rotationDays.min, max: LIMITS.rotationDays.max } },
  tagsDeletion: {
    tagKey: { kind: 'string', max: LIMITS.tagKeyChars },
    tagValue: { kind: 'string', max: LIMITS.tagValueChars },
  },
  keyUsage: {},
};

const SECRET_ID = /^[A-Za-z0-9-]{1,64}$/;
const DIRECTIVE = /^[a-z-]{1,64}$/;

export type Validation<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A plain data object (what structured clone delivers), not an array, not a class instance. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Exactly the schema's own keys (so "__proto__", "constructor" and any extra field are refused), each of the right type. */
function checkRecord(value: unknown, schema: Schema, where: string): string | undefined {
  if (!isPlainObject(value)) return `${where}: not an object`;
  const keys = Reflect.ownKeys(value);
  const expected = Object.keys(schema);
  for (const key of keys) {
    if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(schema, key))
      return `${where}: unexpected field`;
  }
  for (const name of expected) {
    if (!Object.prototype.hasOwnProperty.call(value, name)) return `${where}: missing field "${name}"`;
    const problem = checkField(value[name], schema[name]);
    if (problem) return `${where}.${name}: ${problem}`;
  }
  return undefined;
}

function checkField(value: unknown, field: Field): string | undefined {
  switch (field.kind) {
    case 'string':
      if (typeof value !== 'string') return 'not a string';
      return value.length > field.max ? `longer than ${field.max} characters` : undefined;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'not an integer';
      return value < field.min || value > field.max ? `outside ${field.min}-${field.max}` : undefined;
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'not a boolean';
    case 'nested':
      return undefined;
  }
}

const TYPE: Field = { kind: 'string', max: 32 };
const NESTED: Field = { kind: 'nested' };

/** Validates a message from the page. Anything that is not exactly one of FromWebview is refused with a reason (no content). */
export function validateFromWebview(message: unknown): Validation<FromWebview> {
  if (!isPlainObject(message) || typeof message.type !== 'string') return { ok: false, reason: 'not a message object' };
  const type = message.type;
  let problem: string | undefined;
  switch (type) {
    case 'ready':
    case 'cancelDeletion':
    case 'startOver':
    case 'showKeyUsage':
      problem = checkRecord(message, { type: TYPE }, type);
      break;
    case 'reveal':
      problem = checkRecord(message, { type: TYPE, secretId: { kind: 'string', max: 64 } }, type);
      if (!problem && !SECRET_ID.test(message.secretId as string)) problem = 'reveal.secretId: malformed';
      break;
    case 'cspViolation':
      problem = checkRecord(message, { type: TYPE, directive: { kind: 'string', max: 64 } }, type);
      if (!problem && !DIRECTIVE.test(message.directive as string)) problem = 'cspViolation.directive: malformed';
      break;
    case 'scheduleDeletion':
      problem = checkRecord(
        message,
        { type: TYPE, pendingWindowInDays: { kind: 'int', ...LIMITS.pendingWindowDays } },
        type,
      );
      break;
    case 'run': {
      problem = checkRecord(message, { type: TYPE, step: { kind: 'string', max: 32 }, inputs: NESTED }, type);
      if (!problem && !isStepId(message.step)) problem = 'run.step: unknown step';
      if (!problem) problem = checkRecord(message.inputs, INPUT_SCHEMAS[message.step as StepId], `run.inputs`);
      break;
    }
    case 'runAll': {
      problem = checkRecord(message, { type: TYPE, inputs: NESTED }, type);
      if (!problem) problem = validateAllInputs(message.inputs);
      break;
    }
    default:
      return { ok: false, reason: 'unknown message type' };
  }
  return problem ? { ok: false, reason: problem } : { ok: true, value: message as unknown as FromWebview };
}

/** All six steps' inputs, each exactly to its schema. */
export function validateAllInputs(value: unknown): string | undefined {
  const stepSchema: Schema = Object.fromEntries(STEP_IDS.map((id) => [id, NESTED]));
  const problem = checkRecord(value, stepSchema, 'inputs');
  if (problem) return problem;
  for (const id of STEP_IDS) {
    const inner = checkRecord((value as Record<string, unknown>)[id], INPUT_SCHEMAS[id], `inputs.${id}`);
    if (inner) return inner;
  }
  return undefined;
}

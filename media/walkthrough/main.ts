// The getting-started page: plain DOM, no framework. The structure is built once from the step
// catalog; each state message from the extension host updates statuses, results and buttons in
// place, so focus and typed text survive. Drafts (what the user typed) live in the webview state;
// revealed secrets only in this page's memory. Every message sent matches src/walkthrough/messages.ts.
import { LIMITS, STEPS, STEP_IDS, type StepId, type StepInfo } from '../../src/walkthrough/catalog';
import { checkStepInputs } from '../../src/walkthrough/inputs';
import type {
  ApiCallRecord,
  FromWebview,
  JsonPath,
  JsonValue,
  StepInputs,
  StepView,
  SummaryItem,
  ToWebview,
  ViewState,
} from '../../src/walkthrough/messages';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type Drafts = { [K in StepId]?: Partial<Record<keyof StepInputs[K], string | boolean>> };
interface PageState {
  drafts: Drafts;
  view?: ViewState;
  pendingWindowInDays?: string;
}

const vscode = acquireVsCodeApi();
document.addEventListener('securitypolicyviolation', (e) =>
  vscode.postMessage({ type: 'cspViolation', directive: e.effectiveDirective }),
);
const saved = (vscode.getState() ?? {}) as Partial<PageState>;
const page: PageState = {
  drafts: saved.drafts ?? {},
  view: saved.view,
  pendingWindowInDays: saved.pendingWindowInDays,
};
const revealed = new Map<string, string | null>();
let view: ViewState | undefined;

function save(): void {
  vscode.setState(page);
}

// ---- small DOM helpers -------------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

// ---- inputs ------------------------------------------------------------------------------------

interface FieldDef {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'number' | 'checkbox';
  hint?: string;
  max?: number;
  min?: number;
}

const FIELDS: { [K in StepId]: FieldDef[] } = {
  createKey: [
    { name: 'description', label: 'Description', kind: 'text', max: LIMITS.descriptionChars },
    {
      name: 'alias',
      label: 'Alias',
      kind: 'text',
      max: LIMITS.aliasChars,
      hint: 'Starts with alias/, e.g. alias/my-first-key.',
    },
  ],
  enableKey: [],
  encryptDecrypt: [
    {
      name: 'message',
      label: 'Message to encrypt',
      kind: 'textarea',
      max: LIMITS.messageBytes,
      hint: '1 to 4096 bytes.',
    },
  ],
  grantsPolicy: [
    {
      name: 'grantee',
      label: 'Grantee principal (IAM role or user ARN)',
      kind: 'text',
      max: LIMITS.granteeChars,
      hint: 'Empty: a role named KmsGettingStartedRole in the key’s account. On AWS the principal must exist. The grant allows Encrypt, Decrypt and DescribeKey.',
    },
    { name: 'addStatement', label: 'Add this statement to the key policy when putting it back', kind: 'checkbox' },
    { name: 'statement', label: 'Policy statement (JSON)', kind: 'textarea', max: LIMITS.statementChars },
  ],
  rotation: [
    {
      name: 'rotationPeriodInDays',
      label: 'Rotation period (days)',
      kind: 'number',
      ...LIMITS.rotationDays,
      hint: '90 to 2560 days.',
    },
  ],
  tagsDeletion: [
    { name: 'tagKey', label: 'Tag key', kind: 'text', max: LIMITS.tagKeyChars },
    { name: 'tagValue', label: 'Tag value', kind: 'text', max: LIMITS.tagValueChars },
  ],
  keyUsage: [],
};

function fieldId(step: StepId, name: string): string {
  return `in-${step}-${name}`;
}

function buildField(step: StepId, f: FieldDef): HTMLElement {
  const id = fieldId(step, f.name);
  const hintId = `${id}-hint`;
  let control: HTMLInputElement | HTMLTextAreaElement;
  if (f.kind === 'textarea') {
    control = el('textarea', {
      id,
      rows: f.name === 'statement' ? '9' : '3',
      maxlength: String(f.max),
      spellcheck: 'false',
    });
  } else {
    control = el('input', {
      id,
      type: f.kind === 'number' ? 'number' : f.kind === 'checkbox' ? 'checkbox' : 'text',
      spellcheck: 'false',
    });
    if (f.max !== undefined && f.kind === 'text') control.maxLength = f.max;
    if (f.kind === 'number') {
      control.min = String(f.min);
      control.max = String(f.max);
      control.step = '1';
      control.inputMode = 'numeric';
    }
  }
  if (f.hint) control.setAttribute('aria-describedby', hintId);
  control.addEventListener(f.kind === 'checkbox' ? 'change' : 'input', () => {
    const drafts = (page.drafts[step] ??= {}) as Record<string, string | boolean>;
    drafts[f.name] =
      control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : control.value;
    save();
  });
  const label = el('label', { for: id }, f.label);
  const wrap = el('div', { class: f.kind === 'checkbox' ? 'field checkbox' : 'field' });
  if (f.kind === 'checkbox') wrap.append(control, label);
  else wrap.append(label, control);
  if (f.hint) wrap.append(el('p', { id: hintId, class: 'hint' }, f.hint));
  return wrap;
}

/** The step's inputs: the user's drafts over the defaults, with numbers parsed. */
function inputsFor<K extends StepId>(step: K): StepInputs[K] | string {
  const defaults = view?.defaults[step] as Record<string, string | number | boolean> | undefined;
  const drafts = (page.drafts[step] ?? {}) as Record<string, string | boolean>;
  const out: Record<string, string | number | boolean> = {};
  for (const f of FIELDS[step]) {
    const raw = drafts[f.name] ?? defaults?.[f.name] ?? '';
    if (f.kind === 'number') {
      const n = Number(raw);
      if (String(raw).trim() === '' || !Number.isInteger(n) || n < (f.min ?? 0) || n > (f.max ?? Infinity))
        return `${f.label}: enter a whole number from ${f.min} to ${f.max}.`;
      out[f.name] = n;
    } else if (f.kind === 'checkbox') {
      out[f.name] = raw === true;
    } else {
      out[f.name] = String(raw);
    }
  }
  const inputs = out as unknown as StepInputs[K];
  return checkStepInputs(step, inputs) ?? inputs;
}

function allInputs(): StepInputs | string {
  const out: Partial<StepInputs> = {};
  for (const id of STEP_IDS) {
    if (view?.steps[id].status === 'done') {
      (out as Record<string, unknown>)[id] = view.defaults[id];
      continue;
    }
    const inputs = inputsFor(id);
    if (typeof inputs === 'string') return `Step ${STEP_IDS.indexOf(id) + 1}: ${inputs}`;
    (out as Record<string, unknown>)[id] = inputs;
  }
  return out as StepInputs;
}

function fillInputs(): void {
  if (!view) return;
  for (const step of STEP_IDS) {
    const defaults = view.defaults[step] as Record<string, string | number | boolean>;
    const drafts = (page.drafts[step] ?? {}) as Record<string, string | boolean>;
    for (const f of FIELDS[step]) {
      const control = byId<HTMLInputElement | HTMLTextAreaElement>(fieldId(step, f.name));
      if (document.activeElement === control) continue;
      const value = drafts[f.name] ?? defaults[f.name];
      if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = value === true;
      else if (control.value !== String(value ?? '')) control.value = String(value ?? '');
    }
  }
}

// ---- building the page -------------------------------------------------------------------------

function buildStep(info: StepInfo, index: number): HTMLElement {
  const id = info.id;
  const headingId = `h-${id}`;
  const form = el('form', { class: 'inputs', 'aria-label': `Inputs for step ${index + 1}` });
  for (const f of FIELDS[id]) form.append(buildField(id, f));
  const run = el('button', { type: 'submit', id: `run-${id}`, class: 'primary' }, 'Run');
  form.append(
    el('div', { class: 'actions' }, run, el('p', { id: `input-error-${id}`, class: 'input-error', role: 'alert' })),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    runStep(id);
  });
  const links = el('p', { class: 'docs' }, 'Learn more: ');
  info.docs.forEach((d, i) => {
    if (i > 0) links.append(' · ');
    links.append(el('a', { href: d.url }, d.label));
  });
  const section = el(
    'section',
    { class: 'step', id: `step-${id}`, 'aria-labelledby': headingId },
    el(
      'h2',
      { id: headingId, tabindex: '-1' },
      el('span', { class: 'num' }, `${index + 1}.`),
      ` ${info.title} `,
      el('span', { id: `status-${id}`, class: 'status pending' }, 'Pending'),
    ),
    el('p', { class: 'explain' }, info.explanation),
    links,
    form,
    el('div', { id: `result-${id}`, class: 'result' }),
  );
  if (id === 'tagsDeletion') section.append(buildDeletion());
  if (id === 'keyUsage') {
    const open = el('button', { type: 'button', id: 'show-key-usage' }, 'Open in the Key Usage view');
    open.addEventListener('click', () => vscode.postMessage({ type: 'showKeyUsage' }));
    section.append(el('div', { class: 'actions' }, open));
  }
  return section;
}

function buildDeletion(): HTMLElement {
  const daysId = 'in-deletion-days';
  const days = el('input', {
    id: daysId,
    type: 'number',
    min: String(LIMITS.pendingWindowDays.min),
    max: String(LIMITS.pendingWindowDays.max),
    step: '1',
    inputmode: 'numeric',
    'aria-describedby': 'deletion-warning',
  });
  days.value = page.pendingWindowInDays ?? String(LIMITS.pendingWindowDays.min);
  days.addEventListener('input', () => {
    page.pendingWindowInDays = days.value;
    save();
  });
  const schedule = el('button', { type: 'button', id: 'schedule-deletion', class: 'danger' }, 'Schedule deletion…');
  const cancel = el('button', { type: 'button', id: 'cancel-deletion' }, 'Cancel deletion');
  schedule.addEventListener('click', () => {
    const n = Number(days.value);
    const { min, max } = LIMITS.pendingWindowDays;
    if (!Number.isInteger(n) || n < min || n > max) {
      byId('deletion-input-error').textContent = `Enter a waiting period from ${min} to ${max} days.`;
      return;
    }
    byId('deletion-input-error').textContent = '';
    vscode.postMessage({ type: 'scheduleDeletion', pendingWindowInDays: n });
  });
  cancel.addEventListener('click', () => vscode.postMessage({ type: 'cancelDeletion' }));
  return el(
    'div',
    { class: 'deletion', role: 'group', 'aria-labelledby': 'deletion-heading' },
    el(
      'h3',
      { id: 'deletion-heading', tabindex: '-1' },
      'Schedule the key’s deletion (optional) ',
      el('span', { id: 'status-deletion', class: 'status pending' }, 'Not scheduled'),
    ),
    el(
      'p',
      { id: 'deletion-warning', class: 'warning' },
      el('strong', {}, 'Warning: '),
      'after the waiting period KMS deletes the key and its key material for good. Anything encrypted under it can never be decrypted again. Until then the key is unusable (PendingDeletion), and you can cancel. You will be asked to confirm.',
    ),
    el('div', { class: 'field' }, el('label', { for: daysId }, 'Waiting period (days, 7 to 30)'), days),
    el(
      'div',
      { class: 'actions' },
      schedule,
      cancel,
      el('p', { id: 'deletion-input-error', class: 'input-error', role: 'alert' }),
    ),
    el('div', { id: 'result-deletion', class: 'result' }),
  );
}

function build(): void {
  const runAll = el('button', { type: 'button', id: 'run-all', class: 'primary' }, 'Run all remaining');
  const startOver = el('button', { type: 'button', id: 'start-over' }, 'Start over');
  runAll.addEventListener('click', () => {
    const inputs = allInputs();
    byId('toolbar-error').textContent = typeof inputs === 'string' ? inputs : '';
    if (typeof inputs !== 'string') vscode.postMessage({ type: 'runAll', inputs });
  });
  startOver.addEventListener('click', () => {
    page.drafts = {};
    page.pendingWindowInDays = undefined;
    revealed.clear();
    save();
    vscode.postMessage({ type: 'startOver' });
  });
  const app = byId('app');
  app.append(
    el(
      'header',
      {},
      el('h1', { id: 'title', tabindex: '-1' }, 'Getting started with AWS KMS'),
      el(
        'p',
        { class: 'intro' },
        'Run the AWS KMS getting-started scenario step by step against your current connection. Each step shows the API calls it made and what KMS answered; the KMS Explorer sidebar updates as you go.',
      ),
      el('p', { id: 'connection', class: 'connection' }),
      el('p', { id: 'progress-connection', class: 'warning', hidden: '' }),
      el('p', { id: 'notice', class: 'error', role: 'alert', hidden: '' }),
      el(
        'div',
        { class: 'toolbar' },
        runAll,
        startOver,
        el('p', { id: 'toolbar-error', class: 'input-error', role: 'alert' }),
      ),
    ),
    el('ol', { class: 'steps' }, ...STEPS.map((s, i) => el('li', {}, buildStep(s, i)))),
    el('div', { id: 'announcer', class: 'visually-hidden', 'aria-live': 'polite', role: 'status' }),
  );
}

function runStep(step: StepId): void {
  const inputs = inputsFor(step);
  byId(`input-error-${step}`).textContent = typeof inputs === 'string' ? inputs : '';
  if (typeof inputs !== 'string') vscode.postMessage({ type: 'run', step, inputs } as FromWebview);
}

// ---- showing the state -------------------------------------------------------------------------

const STATUS_TEXT: Record<StepView['status'], string> = {
  pending: 'Pending',
  running: 'Running…',
  done: 'Done',
  failed: 'Failed',
};

function render(state: ViewState): void {
  const focused = document.activeElement;
  const previous = view;
  view = state;
  page.view = state;
  save();
  byId('connection').textContent =
    `Connection: ${state.connectionLabel}${state.key ? ` · key ${state.key.aliasName ?? state.key.keyId}` : ''}`;
  const other = byId('progress-connection');
  other.hidden = !state.progressConnectionLabel;
  other.textContent = state.progressConnectionLabel
    ? `This progress was made on "${state.progressConnectionLabel}"; the steps now run on "${state.connectionLabel}". Choose Start over to begin again here.`
    : '';
  const notice = byId('notice');
  notice.hidden = !state.notice;
  notice.textContent = state.notice ?? '';
  fillInputs();
  const remaining = STEP_IDS.some((id) => state.steps[id].status !== 'done');
  byId<HTMLButtonElement>('run-all').disabled = state.busy || !remaining;
  byId<HTMLButtonElement>('start-over').disabled = state.busy;
  for (const id of STEP_IDS) {
    const s = state.steps[id];
    const status = byId(`status-${id}`);
    status.className = `status ${s.status}`;
    status.textContent = STATUS_TEXT[s.status];
    const run = byId<HTMLButtonElement>(`run-${id}`);
    const needsKey = id !== 'createKey' && !state.key;
    run.disabled = state.busy || needsKey || (id === 'createKey' && s.status === 'done');
    run.textContent = s.status === 'done' ? (id === 'createKey' ? 'Done' : 'Run again') : 'Run';
    run.title = needsKey
      ? 'Run step 1 first'
      : id === 'createKey' && s.status === 'done'
        ? 'Start over to create another key'
        : '';
    if (!previous || previous.steps[id] !== s) renderResult(byId(`result-${id}`), s);
    if (previous && previous.steps[id].status !== s.status && s.status !== 'running')
      announce(
        `Step ${STEP_IDS.indexOf(id) + 1} ${STATUS_TEXT[s.status].toLowerCase()}${s.error ? `: ${s.error.summary}` : ''}`,
      );
  }
  renderDeletion(state);
  keepFocus(focused);
}

/** A focused button that just became disabled (Run while busy, step 1 done) hands focus to its step's heading, not to nowhere. */
function keepFocus(focused: Element | null): void {
  if (!(focused instanceof HTMLButtonElement) || !focused.disabled) return;
  const heading = focused.closest('section, .deletion')?.querySelector<HTMLElement>('h2, h3') ?? byId('title');
  heading.focus();
}

function renderDeletion(state: ViewState): void {
  const d = state.deletion;
  const status = byId('status-deletion');
  const text = {
    none: 'Not scheduled',
    running: 'Running…',
    scheduled: `Scheduled${d.deletionDate ? ` for ${d.deletionDate}` : ''}`,
    cancelled: 'Cancelled',
    failed: 'Failed',
  }[d.status];
  status.className = `status ${d.status === 'scheduled' ? 'failed' : d.status === 'cancelled' ? 'done' : d.status === 'running' ? 'running' : 'pending'}`;
  status.textContent = text;
  byId<HTMLButtonElement>('schedule-deletion').disabled = state.busy || !state.key || d.status === 'scheduled';
  byId<HTMLButtonElement>('cancel-deletion').disabled = state.busy || !state.key || d.status !== 'scheduled';
  renderResult(byId('result-deletion'), {
    status: d.status === 'failed' ? 'failed' : 'done',
    calls: d.calls,
    summary: d.summary,
    error: d.error,
  });
}

function announce(text: string): void {
  byId('announcer').textContent = text;
}

function renderResult(container: HTMLElement, s: Pick<StepView, 'status' | 'calls' | 'summary' | 'error'>): void {
  container.replaceChildren();
  if (s.error) {
    container.append(
      el(
        'div',
        { class: 'error', role: 'alert' },
        el('strong', {}, `${s.error.code}: `),
        s.error.summary,
        ...(s.error.detail ? [el('br'), el('span', { class: 'detail' }, s.error.detail)] : []),
      ),
    );
  }
  if (s.summary.length > 0) container.append(renderSummary(s.summary));
  if (s.calls.length > 0) {
    const details = el(
      'details',
      { class: 'calls' },
      el('summary', {}, `API calls (${s.calls.length}): ${s.calls.map((c) => c.operation).join(', ')}`),
    );
    for (const call of s.calls) details.append(renderCall(call));
    container.append(details);
  }
}

function renderSummary(items: SummaryItem[]): HTMLElement {
  const dl = el('dl', { class: 'summary' });
  for (const item of items) {
    dl.append(
      el('dt', {}, item.label),
      el('dd', {}, item.code ? el('pre', { tabindex: '0' }, item.value) : el('span', { class: 'value' }, item.value)),
    );
  }
  return dl;
}

function renderCall(call: ApiCallRecord): HTMLElement {
  const box = el(
    'div',
    { class: 'call' },
    el('h4', {}, call.operation, call.error ? el('span', { class: 'status failed' }, call.error.code) : ''),
  );
  const request = el('pre', { tabindex: '0', 'aria-label': `${call.operation} request` });
  const response = el('pre', { tabindex: '0', 'aria-label': `${call.operation} response` });
  const draw = () => {
    request.textContent = JSON.stringify(withRevealed(call.request, call, 'request'), null, 2);
    response.textContent = call.error
      ? `${call.error.code}: ${call.error.message}`
      : JSON.stringify(withRevealed(call.response ?? null, call, 'response'), null, 2);
  };
  draw();
  box.append(el('p', { class: 'label' }, 'Request'), request, revealButtons(call, 'request', draw));
  box.append(
    el('p', { class: 'label' }, call.error ? 'Error' : 'Response'),
    response,
    revealButtons(call, 'response', draw),
  );
  return box;
}

/** One Reveal/Hide toggle per masked value of the request or the response. */
function revealButtons(call: ApiCallRecord, root: 'request' | 'response', draw: () => void): HTMLElement {
  const box = el('div', { class: 'reveals' });
  for (const m of call.masked.filter((f) => f.path[0] === root)) {
    // The label says what a click does ("Reveal …" / "Hide …"), so no aria-pressed on top.
    const button = el('button', { type: 'button', class: 'reveal' });
    const setText = () => (button.textContent = revealed.has(m.secretId) ? `Hide ${m.label}` : `Reveal ${m.label}`);
    setText();
    button.addEventListener('click', () => {
      if (revealed.has(m.secretId)) {
        revealed.delete(m.secretId);
        setText();
        draw();
      } else {
        waiting.set(m.secretId, () => {
          setText();
          draw();
        });
        vscode.postMessage({ type: 'reveal', secretId: m.secretId });
      }
    });
    box.append(button);
  }
  return box;
}

const waiting = new Map<string, () => void>();

/** The JSON with revealed values put back at their paths (a copy; the record stays masked). */
function withRevealed(json: JsonValue, call: ApiCallRecord, root: 'request' | 'response'): JsonValue {
  const fields = call.masked.filter((m) => m.path[0] === root && revealed.has(m.secretId));
  if (fields.length === 0) return json;
  const copy = structuredClone(json);
  for (const m of fields)
    setAt(
      copy,
      m.path.slice(1),
      revealed.get(m.secretId) ?? '(no longer available: values are kept only while the page is open)',
    );
  return copy;
}

function setAt(target: JsonValue, path: JsonPath, value: string): void {
  let node: JsonValue = target;
  for (let i = 0; i < path.length - 1; i++) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<string, JsonValue>)[path[i] as string];
  }
  const last = path[path.length - 1];
  if (typeof node === 'object' && node !== null && last !== '__proto__')
    (node as Record<string, JsonValue>)[last as string] = value;
}

// ---- messages from the host --------------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  if (message.type === 'state') render(message.state);
  else if (message.type === 'revealed') {
    revealed.set(message.secretId, message.value);
    waiting.get(message.secretId)?.();
    waiting.delete(message.secretId);
  }
});

build();
if (page.view) render(page.view);
vscode.postMessage({ type: 'ready' });

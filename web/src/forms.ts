// Forms for the writes: built from a list of fields named as the API names them, checked in the
// page with the API's own rules (required, dates, lengths) before anything is sent, and showing
// each problem beside the field it names, whether the page or the API's `userErrors` found it
// (`input.sources[1]` marks the sources field).
import type { UserError } from './api';
import { h } from './dom';

export interface FieldSpec {
  /** The input field as the API names it (`statedAt`, `sources`). */
  name: string;
  label: string;
  kind?: 'text' | 'textarea' | 'select' | 'ids' | 'date' | 'url';
  options?: [string, string][];
  required?: boolean;
  value?: string;
  hint?: string;
  /** Id of a datalist of suggestions. */
  list?: string;
  maxLength?: number;
  /** A date field that also takes `unknown`. */
  unknown?: boolean;
}

/** A problem to show: the field (`input.` prefix and index allowed) and the sentence. */
export type Problem = Pick<UserError, 'field' | 'message'>;

/** The API's partial dates: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. */
const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

/** The field a problem names: `input.sources[1]` → `sources`. */
export function fieldName(field: string): string {
  return field.replace(/^input\./, '').split(/[.[]/)[0];
}

/** Ids typed into one box, separated by commas or spaces. */
export const idList = (v: string): string[] => v.split(/[\s,]+/).filter(Boolean);

function control(f: FieldSpec, id: string): HTMLElement {
  const common = {
    id,
    name: f.name,
    required: f.required ?? false,
    'aria-describedby': f.hint ? `${id}-hint` : null,
  };
  if (f.kind === 'textarea')
    return h('textarea', { ...common, rows: 3, maxlength: f.maxLength ?? null }, f.value ?? '');
  if (f.kind === 'select')
    return h(
      'select',
      common,
      (f.options ?? []).map(([value, label]) =>
        h('option', { value, selected: value === f.value }, label),
      ),
    );
  return h('input', {
    ...common,
    type: f.kind === 'url' ? 'url' : 'text',
    value: f.value ?? '',
    list: f.list ?? null,
    maxlength: f.maxLength ?? null,
    autocomplete: 'off',
    placeholder:
      f.kind === 'date'
        ? f.unknown
          ? 'YYYY-MM-DD, YYYY-MM, YYYY or unknown'
          : 'YYYY-MM-DD, YYYY-MM or YYYY'
        : f.kind === 'ids'
          ? 'ids, separated by commas'
          : null,
  });
}

/** The values of a form's fields by name (trimmed; empty fields left out). */
export function valuesOf(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new FormData(form)) if (String(v).trim()) out[k] = String(v).trim();
  return out;
}

/** The checks the API makes on these fields, made in the page first: the same sentences. */
export function check(fields: FieldSpec[], values: Record<string, string>): Problem[] {
  const out: Problem[] = [];
  for (const f of fields) {
    const v = values[f.name];
    if (!v) {
      if (f.required) out.push({ field: f.name, message: `${f.name}: is required` });
      continue;
    }
    if (f.kind === 'date' && !(PARTIAL_DATE.test(v) || (f.unknown && v === 'unknown')))
      out.push({
        field: f.name,
        message: `${f.name}: must be a date as YYYY-MM-DD, YYYY-MM or YYYY${f.unknown ? ' (or unknown)' : ''}`,
      });
    if (f.kind === 'url' && !/^https?:\/\/\S+$/.test(v))
      out.push({ field: f.name, message: `${f.name}: must be an http or https address` });
    if (f.maxLength && v.length > f.maxLength)
      out.push({ field: f.name, message: `${f.name}: at most ${f.maxLength} characters` });
    if (f.kind === 'ids' && f.required && !idList(v).length)
      out.push({ field: f.name, message: `${f.name}: at least one id` });
  }
  return out;
}

/** Removes the problems shown in a form. */
export function clearErrors(form: HTMLFormElement): void {
  form.querySelectorAll('.field-error, .form-error').forEach((el) => el.remove());
  form.querySelectorAll('[aria-invalid]').forEach((el) => {
    el.removeAttribute('aria-invalid');
    const described = (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((x) => x && !x.endsWith('-error'))
      .join(' ');
    if (described) el.setAttribute('aria-describedby', described);
    else el.removeAttribute('aria-describedby');
  });
}

/**
 * Shows each problem beside the field it names (the control marked invalid and described by the
 * message), or at the top of the form when it names no field there; focuses the first.
 */
export function showErrors(form: HTMLFormElement, problems: Problem[]): void {
  let first: HTMLElement | null = null;
  for (const p of problems) {
    const name = fieldName(p.field);
    const el = form.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`);
    if (!el) {
      form.prepend(
        h('p', { class: 'form-error', role: 'alert', 'data-error': p.field }, p.message),
      );
      continue;
    }
    const id = `${el.id}-error`;
    el.setAttribute('aria-invalid', 'true');
    el.setAttribute(
      'aria-describedby',
      [el.getAttribute('aria-describedby'), id].filter(Boolean).join(' '),
    );
    const msg = h(
      'p',
      { class: 'field-error', id, 'data-error': p.field, 'data-field': name },
      p.message,
    );
    (el.closest('.field') ?? el).append(msg);
    first ??= el;
  }
  first?.focus();
}

let formSeq = 0;

/**
 * A form: its fields with labels and hints, and a submit button. `submit` receives the values
 * once the page's checks pass and answers the API's userErrors (empty or null: written).
 */
export function buildForm(opts: {
  id: string;
  fields: FieldSpec[];
  submitLabel: string;
  submit: (values: Record<string, string>) => Promise<Problem[] | null | undefined>;
}): HTMLFormElement {
  const n = ++formSeq;
  const form = h('form', { id: opts.id, class: 'write-form write', novalidate: true });
  form.append(
    ...opts.fields.map((f) => {
      const id = `${opts.id}-${f.name}-${n}`;
      return h(
        'div',
        { class: 'field' },
        h(
          'label',
          { for: id },
          f.label,
          f.required ? h('span', { class: 'req' }, ' (required)') : '',
        ),
        control(f, id),
        f.hint ? h('p', { class: 'hint', id: `${id}-hint` }, f.hint) : '',
      );
    }),
    h(
      'p',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary' }, opts.submitLabel),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      clearErrors(form);
      const values = valuesOf(form);
      const local = check(opts.fields, values);
      if (local.length) return showErrors(form, local);
      form.setAttribute('aria-busy', 'true');
      const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
      button.disabled = true;
      try {
        const problems = await opts.submit(values);
        if (problems?.length) showErrors(form, problems);
      } catch (err) {
        showErrors(form, [{ field: '', message: (err as Error).message }]);
      } finally {
        button.disabled = false;
        form.setAttribute('aria-busy', 'false');
      }
    })();
  });
  return form;
}

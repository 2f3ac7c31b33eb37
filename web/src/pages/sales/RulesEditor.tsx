import type { Condition, Issue, Language, Rule, RuleDocument } from './types.ts';

type Edit = (change: (doc: RuleDocument) => void) => void;

const listOps = new Set(['in', 'not_in']);
const valuelessOps = new Set(['exists', 'not_exists']);

/** The rules, in order: the first whose conditions all hold decides whether an order is sent, and as what. */
export function RulesEditor({
  draft,
  language,
  edit,
  issuesFor,
}: {
  draft: RuleDocument;
  language: Language;
  edit: Edit;
  issuesFor: (path: string) => Issue[];
}) {
  return (
    <>
      <ol className="rules">
        {draft.rules.map((rule, r) => (
          <RuleCard
            key={r}
            index={r}
            rule={rule}
            last={r === draft.rules.length - 1}
            mappingKeys={draft.mapping.map((m) => m.key)}
            language={language}
            edit={edit}
            issues={issuesFor(`rules[${r}]`)}
          />
        ))}
      </ol>
      <div className="form-actions">
        <button
          type="button"
          className="secondary"
          onClick={() =>
            edit((d) => {
              d.rules.push({
                id: `rule-${Date.now().toString(36)}`,
                name: `New rule ${d.rules.length + 1}`,
                enabled: true,
                when: [{ field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' }],
                send: true,
                status: d.mapping[0]?.key ?? 'SAVED',
              });
            })
          }
        >
          Add a rule
        </button>
      </div>
    </>
  );
}

function RuleCard({
  index: r,
  rule,
  last,
  mappingKeys,
  language,
  edit,
  issues,
}: {
  index: number;
  rule: Rule;
  last: boolean;
  mappingKeys: string[];
  language: Language;
  edit: Edit;
  issues: Issue[];
}) {
  const label = `Rule ${r + 1}`;
  const set = (change: (rule: Rule) => void): void => edit((d) => change(d.rules[r] as Rule));
  return (
    <li className="rule" aria-label={label}>
      <div className="rule-head">
        <input
          aria-label={`${label} name`}
          className="rule-name"
          value={rule.name}
          onChange={(e) =>
            set((x) => {
              x.name = e.target.value;
            })
          }
        />
        <label className="inline">
          <input
            type="checkbox"
            aria-label={`${label} enabled`}
            checked={rule.enabled}
            onChange={(e) =>
              set((x) => {
                x.enabled = e.target.checked;
              })
            }
          />{' '}
          enabled
        </label>
        <span className="rule-tools">
          <button
            type="button"
            className="small secondary"
            aria-label={`Move ${label} up`}
            disabled={r === 0}
            onClick={() => edit((d) => void d.rules.splice(r - 1, 0, ...d.rules.splice(r, 1)))}
          >
            ↑
          </button>
          <button
            type="button"
            className="small secondary"
            aria-label={`Move ${label} down`}
            disabled={last}
            onClick={() => edit((d) => void d.rules.splice(r + 1, 0, ...d.rules.splice(r, 1)))}
          >
            ↓
          </button>
          <button
            type="button"
            className="small danger-outline"
            aria-label={`Delete ${label}`}
            onClick={() => edit((d) => void d.rules.splice(r, 1))}
          >
            Delete
          </button>
        </span>
      </div>
      <div className="conditions">
        <span className="muted">when</span>
        {rule.when.length === 0 && <span className="muted">every order</span>}
        {rule.when.map((c, ci) => (
          <ConditionEditor
            key={ci}
            label={`${label} condition ${ci + 1}`}
            condition={c}
            language={language}
            set={(change) => set((x) => change(x.when[ci] as Condition))}
            remove={() => set((x) => void x.when.splice(ci, 1))}
          />
        ))}
        <button
          type="button"
          className="small secondary"
          aria-label={`Add a condition to ${label}`}
          onClick={() => set((x) => void x.when.push({ field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' }))}
        >
          + condition
        </button>
      </div>
      <div className="action">
        <span className="muted">then</span>
        <select
          aria-label={`${label} action`}
          value={rule.send ? (rule.status ?? '') : '__none'}
          onChange={(e) =>
            set((x) => {
              if (e.target.value === '__none') {
                x.send = false;
                delete x.status;
              } else {
                x.send = true;
                x.status = e.target.value;
              }
            })
          }
        >
          {mappingKeys.map((k) => (
            <option key={k} value={k}>
              send as {k}
            </option>
          ))}
          {rule.send && rule.status && !mappingKeys.includes(rule.status) && (
            <option value={rule.status}>send as {rule.status}</option>
          )}
          <option value="__none">do not send</option>
        </select>
      </div>
      {issues.map((issue, i) => (
        <p key={i} className="error" role="alert">
          {issue.message}
        </p>
      ))}
    </li>
  );
}

function ConditionEditor({
  label: cl,
  condition: c,
  language,
  set,
  remove,
}: {
  label: string;
  condition: Condition;
  language: Language;
  set: (change: (c: Condition) => void) => void;
  remove: () => void;
}) {
  const field = language.fields.find((f) => f.name === c.field);
  return (
    <span className="condition">
      <select
        aria-label={`${cl} field`}
        value={c.field}
        onChange={(e) =>
          set((cond) => {
            cond.field = e.target.value;
            delete cond.value;
          })
        }
      >
        {!field && <option value={c.field}>{c.field}</option>}
        {language.fields.map((f) => (
          <option key={f.name} value={f.name}>
            {f.name}
          </option>
        ))}
      </select>
      <select
        aria-label={`${cl} operator`}
        value={c.op}
        onChange={(e) =>
          set((cond) => {
            // The options are the operators the server listed.
            cond.op = e.target.value as typeof cond.op;
            if (valuelessOps.has(cond.op)) delete cond.value;
          })
        }
      >
        {language.operators.map((op) => (
          <option key={op} value={op}>
            {op.replace('_', ' ')}
          </option>
        ))}
      </select>
      {!valuelessOps.has(c.op) && <ConditionValue label={cl} condition={c} field={field} set={set} />}
      <button type="button" className="small secondary" aria-label={`Remove ${cl}`} onClick={remove}>
        ×
      </button>
    </span>
  );
}

function ConditionValue({
  label: cl,
  condition: c,
  field,
  set,
}: {
  label: string;
  condition: Condition;
  field: Language['fields'][number] | undefined;
  set: (change: (c: Condition) => void) => void;
}) {
  if (field?.values && !listOps.has(c.op))
    return (
      <select
        aria-label={`${cl} value`}
        value={String(c.value ?? '')}
        onChange={(e) =>
          set((cond) => {
            cond.value = e.target.value;
          })
        }
      >
        <option value="">—</option>
        {field.values.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    );
  return (
    <input
      aria-label={`${cl} value`}
      placeholder={listOps.has(c.op) ? 'a, b, c' : 'value'}
      value={Array.isArray(c.value) ? c.value.join(', ') : String(c.value ?? '')}
      onChange={(e) =>
        set((cond) => {
          const text = e.target.value;
          cond.value = listOps.has(cond.op)
            ? text
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : field?.kind === 'number' && text !== '' && !Number.isNaN(Number(text))
              ? Number(text)
              : text;
        })
      }
    />
  );
}

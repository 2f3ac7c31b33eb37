import type { Issue, Language, MappingEntry, RuleDocument } from './types.ts';

type Edit = (change: (doc: RuleDocument) => void) => void;

/**
 * The status mapping: each key a rule can send as, the X-Series status it becomes, how the POS shows it, and
 * whether it is paid. A table on wide screens, a card per status in a narrow space.
 */
export function MappingTable({
  draft,
  language,
  edit,
  issues,
}: {
  draft: RuleDocument;
  language: Language;
  edit: Edit;
  issues: Issue[];
}) {
  return (
    <>
      <div className="table-wrap">
        <table className="sales-table mapping-table" aria-label="Status mapping">
          <thead>
            <tr>
              <th scope="col">Sent as</th>
              <th scope="col">X-Series status</th>
              <th scope="col">State + attributes</th>
              <th scope="col">Shown as</th>
              <th scope="col">Paid</th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.mapping.map((entry, i) => (
              <MappingRow key={i} index={i} entry={entry} language={language} edit={edit} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="form-actions">
        <button
          type="button"
          className="secondary"
          onClick={() =>
            edit((d) => {
              d.mapping.push({ key: 'LAYBY', xStatus: 'LAYBY', label: 'Layby', paid: false, description: '' });
            })
          }
        >
          Add a status
        </button>
      </div>
      {issues.map((issue, i) => (
        <p key={i} className="error">
          {issue.message}
        </p>
      ))}
    </>
  );
}

function MappingRow({
  index: i,
  entry,
  language,
  edit,
}: {
  index: number;
  entry: MappingEntry;
  language: Language;
  edit: Edit;
}) {
  const x = language.xSeriesStatuses.find((s) => s.status === entry.xStatus);
  const set = (change: (e: MappingEntry) => void): void => edit((d) => change(d.mapping[i] as MappingEntry));
  return (
    <tr>
      <td className="cell-key">
        <input
          aria-label={`Mapping ${i + 1} key`}
          className="key"
          value={entry.key}
          onChange={(e) =>
            set((m) => {
              m.key = e.target.value.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
            })
          }
        />
      </td>
      <td className="cell-status">
        <select
          aria-label={`Mapping ${entry.key} X-Series status`}
          value={entry.xStatus}
          onChange={(e) =>
            set((m) => {
              // The options are the statuses the server listed.
              m.xStatus = e.target.value as typeof m.xStatus;
            })
          }
        >
          {language.xSeriesStatuses.map((s) => (
            <option key={s.status} value={s.status}>
              {s.status}
            </option>
          ))}
        </select>
      </td>
      <td className="cell-state">
        <code>{x ? `${x.state}${x.attributes.length ? ` + ${x.attributes.join(', ')}` : ''}` : '?'}</code>
      </td>
      <td className="cell-label">
        <input
          aria-label={`Mapping ${entry.key} label`}
          value={entry.label}
          onChange={(e) =>
            set((m) => {
              m.label = e.target.value;
            })
          }
        />
      </td>
      <td className="cell-paid">
        <label className="inline">
          <input
            type="checkbox"
            aria-label={`Mapping ${entry.key} paid`}
            checked={entry.paid}
            onChange={(e) =>
              set((m) => {
                m.paid = e.target.checked;
              })
            }
          />
          <span className="paid-word" aria-hidden="true">
            Paid
          </span>
        </label>
      </td>
      <td className="cell-remove">
        <button
          type="button"
          className="small danger-outline"
          aria-label={`Remove mapping ${entry.key}`}
          onClick={() =>
            edit((d) => {
              d.mapping.splice(i, 1);
            })
          }
        >
          ×
        </button>
      </td>
    </tr>
  );
}

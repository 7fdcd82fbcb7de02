import { MailOutput } from '../saga-api/saga.types';
import { escapeHtml } from '../shared/escape-html';

export interface AlertFacts {
  violationId: string;
  alert: 'opened' | 'resolved';
  /** e.g. "credit-limit" */
  invariant: string;
  /** e.g. "customer Ada <ada@example.com> (c-1)" */
  subjectOf: string;
  /** What the rule says, in words. */
  rule: string;
  /** Labelled figures: limit, actual value, tolerance... */
  figures: [string, string | number][];
  /** Orders (or other items) involved, one line each. */
  involved: string[];
  /** What Backstop did about it. */
  action: string;
  /** When the event that detected or resolved it was recorded. */
  at: Date | string;
}

/** Subject, plain text and HTML of an alert; pure, so sagas can build it. User data is escaped in HTML. */
export function alertMail(facts: AlertFacts): MailOutput {
  const verb = facts.alert === 'opened' ? 'opened' : 'resolved';
  const subject = `[Backstop] Violation ${verb}: ${facts.invariant} for ${facts.subjectOf}`.replace(/[\r\n]+/g, ' ');
  const at = typeof facts.at === 'string' ? facts.at : facts.at.toISOString();
  const lines = [
    `Rule: ${facts.invariant}: ${facts.rule}`,
    `Concerns: ${facts.subjectOf}`,
    ...facts.figures.map(([label, value]) => `${label}: ${value}`),
    `${facts.alert === 'opened' ? 'Detected' : 'Resolved'} at: ${at}`,
    `Violation id: ${facts.violationId}`,
    '',
    facts.involved.length ? 'Involved:' : 'Involved: none',
    ...facts.involved.map((item) => `  - ${item}`),
    '',
    `Action: ${facts.action}`,
  ];
  const html = [
    `<h2>Violation ${verb}: ${escapeHtml(facts.invariant)}</h2>`,
    `<p>${escapeHtml(facts.rule)}</p>`,
    '<table>',
    `<tr><th align="left">Concerns</th><td>${escapeHtml(facts.subjectOf)}</td></tr>`,
    ...facts.figures.map(
      ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(String(value))}</td></tr>`,
    ),
    `<tr><th align="left">${facts.alert === 'opened' ? 'Detected' : 'Resolved'} at</th><td>${escapeHtml(at)}</td></tr>`,
    `<tr><th align="left">Violation id</th><td>${escapeHtml(facts.violationId)}</td></tr>`,
    '</table>',
    facts.involved.length ? `<ul>${facts.involved.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>` : '',
    `<p><strong>Action:</strong> ${escapeHtml(facts.action)}</p>`,
  ].join('\n');
  return { kind: 'mail', violationId: facts.violationId, alert: facts.alert, subject, text: lines.join('\n'), html };
}

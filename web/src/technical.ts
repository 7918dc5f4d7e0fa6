import { gql } from './api';
import { byId, clip, fmtDate, h } from './dom';

/**
 * The technical half of the case: the incident's technical profile (techniques by ATT&CK
 * tactic, malware, tools, infrastructure, observables, each with who says it was observed and
 * when) and an overlap panel for two chosen actors or incidents (shared artifacts and the
 * explanation whose points sum to the score). Both follow the as-of slider.
 */

interface Claimed {
  artifact: { id: string; name: string; attackId?: string | null; unverified?: boolean };
  claims: { statedAt: string | null; claimant: { name: string } }[];
}
interface Profile {
  tactics: { tactic: string; techniques: Claimed[] }[];
  malware: Claimed[];
  tools: Claimed[];
  infrastructure: Claimed[];
  observables: Claimed[];
}
interface Term {
  artifact: { id: string; name: string; __typename: string };
  points: number;
  weight: number;
  actorCount: number;
  reason: string;
}

const EDGE = `artifact { __typename id name unverified ... on AttackPattern { attackId } }
  claims { statedAt claimant { name } }`;
const PROFILE_QUERY = `query TechnicalProfile($id: ID!, $asOf: LocalDate) {
  incident(id: $id) {
    technicalProfile(asOf: $asOf) {
      tactics { tactic techniques { ${EDGE} } }
      malware { ${EDGE} } tools { ${EDGE} } infrastructure { ${EDGE} } observables { ${EDGE} }
    }
    candidates(asOf: $asOf, first: 3) { rank score actor { id name } }
  }
}`;
const OVERLAP_QUERY = `query Overlap($a: ID!, $b: ID!, $asOf: LocalDate) {
  overlap(a: $a, b: $b, asOf: $asOf) {
    score
    byKind { kind count }
    explanation { artifact { __typename id name } points weight actorCount reason }
  }
}`;

const words = (t: string) => t.replace(/-/g, ' ');

function item(c: Claimed): HTMLElement {
  const who = c.claims
    .map((x) => `${x.claimant.name}${x.statedAt ? `, ${fmtDate(x.statedAt)}` : ''}`)
    .join('; ');
  return h(
    'li',
    { 'data-artifact': c.artifact.id, title: who },
    c.artifact.attackId ? h('code', {}, c.artifact.attackId) : '',
    c.artifact.attackId ? ' ' : '',
    clip(c.artifact.name, 48),
    c.artifact.unverified ? h('span', { class: 'muted' }, ' (unverified)') : '',
    h('span', { class: 'muted' }, ` · ${who}`),
  );
}

function group(title: string, list: Claimed[]): HTMLElement[] {
  if (!list.length) return [];
  return [
    h('h4', {}, `${title} (${list.length})`),
    h('ul', { class: 'tech-list' }, ...list.map(item)),
  ];
}

let incidentId = '';
let asOfNow: string | null = null;

/** Draws the incident's technical profile and its technical candidates as of `asOf`. */
export async function showProfile(asOf: string | null): Promise<void> {
  asOfNow = asOf;
  const box = byId('tech-profile');
  box.setAttribute('aria-busy', 'true');
  try {
    const data = await gql<{
      incident: {
        technicalProfile: Profile;
        candidates: { rank: number; score: number; actor: { id: string; name: string } }[];
      } | null;
    }>(PROFILE_QUERY, { id: incidentId, asOf });
    const p = data.incident?.technicalProfile;
    if (!p) {
      box.replaceChildren(h('p', { class: 'muted' }, 'No technical profile for this incident.'));
      return;
    }
    const tactics = p.tactics.flatMap((t) => group(`Technique: ${words(t.tactic)}`, t.techniques));
    const cands = data.incident!.candidates;
    box.replaceChildren(
      ...(tactics.length || p.malware.length || p.tools.length
        ? [
            ...tactics,
            ...group('Malware', p.malware),
            ...group('Tools', p.tools),
            ...group('Infrastructure', p.infrastructure),
            ...group('Observables', p.observables),
          ]
        : [h('p', { class: 'muted' }, 'Nothing technical on record on this day.')]),
      h('h4', {}, 'Technical candidates (artifacts only, no attribution claims)'),
      cands.length
        ? h(
            'ol',
            { id: 'tech-candidates' },
            ...cands.map((c) => h('li', {}, `${c.actor.name} (${c.score.toFixed(2)})`)),
          )
        : h(
            'p',
            { class: 'muted', id: 'tech-candidates' },
            'No known actor shares its artifacts on this day.',
          ),
    );
  } catch (err) {
    box.replaceChildren(
      h('p', {}, `Could not load the technical profile: ${(err as Error).message}`),
    );
  } finally {
    if (asOfNow === asOf) {
      box.dataset.asof = asOf ?? 'today';
      box.setAttribute('aria-busy', 'false');
    }
  }
}

async function showOverlap(a: string, b: string): Promise<void> {
  const box = byId('overlap-result');
  try {
    const { overlap } = await gql<{
      overlap: { score: number; byKind: { kind: string; count: number }[]; explanation: Term[] };
    }>(OVERLAP_QUERY, { a, b, asOf: asOfNow });
    const bar = (x: number) => {
      const el = h('span', { class: 'bar' });
      el.style.width = `${Math.round(x * 200)}px`;
      return el;
    };
    box.dataset.score = overlap.score.toFixed(6);
    box.replaceChildren(
      h(
        'p',
        {},
        h('strong', {}, `Overlap ${overlap.score.toFixed(3)}`),
        ` · ${overlap.byKind.map((k) => `${k.count} ${k.kind}`).join(', ') || 'nothing shared'}`,
      ),
      h(
        'table',
        { class: 'overlap-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Shared artifact'),
            h('th', {}, 'Actors using it'),
            h('th', {}, 'Weight'),
            h('th', {}, 'Points'),
          ),
        ),
        h(
          'tbody',
          {},
          ...overlap.explanation.map((t) =>
            h(
              'tr',
              { title: t.reason, 'data-points': String(t.points) },
              h('td', {}, `${t.artifact.name} (${t.artifact.__typename})`),
              h('td', {}, String(t.actorCount)),
              h('td', {}, t.weight.toFixed(2)),
              h('td', {}, bar(t.points), ` ${t.points.toFixed(3)}`),
            ),
          ),
        ),
      ),
    );
  } catch (err) {
    box.replaceChildren(h('p', { class: 'error', 'data-error': '' }, (err as Error).message));
  }
}

/** Mounts the technical section for `incident`. */
export function initTechnical(incident: string): void {
  incidentId = incident;
  byId('overlap-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void showOverlap(
      (byId('overlap-a') as HTMLInputElement).value.trim(),
      (byId('overlap-b') as HTMLInputElement).value.trim(),
    );
  });
  (byId('overlap-a') as HTMLInputElement).value = incident;
}

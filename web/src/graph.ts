import cytoscape from 'cytoscape';
import type { Core, EventObject } from 'cytoscape';
import { gql } from './api';
import { byId, clip, fmtDate, h, words } from './dom';

/** Colours by kind: actors by their ActorKind, other entities by their type. */
const COLOURS: Record<string, string> = {
  STATE: '#c0392b',
  AGENCY: '#8e44ad',
  UNIT: '#a93226',
  GROUP: '#d35400',
  COMPANY: '#2471a3',
  MEDIA: '#5d6d7e',
  PERSON: '#b7950b',
  PERSONA: '#17202a',
  Incident: '#117a65',
  Hypothesis: '#1f618d',
  Event: '#7d6608',
  Evidence: '#6c3483',
  Claim: '#839192',
  Source: '#a04000',
  Alias: '#909497',
  Malware: '#922b21',
  Tool: '#b9770e',
  Infrastructure: '#1e8449',
  AttackPattern: '#5b2c6f',
  Indicator: '#616a6b',
  Vulnerability: '#cb4335',
  Observable: '#2e4053',
  Location: '#2874a6',
};

/** A shape per artifact kind (docs/data-model.md, "Artifacts"). */
export const ARTIFACT_SHAPES: Record<string, string> = {
  Malware: 'hexagon',
  Tool: 'pentagon',
  Infrastructure: 'barrel',
  AttackPattern: 'tag',
  Indicator: 'vee',
  Vulnerability: 'star',
  Observable: 'octagon',
};

interface NodeInfo {
  id: string;
  label: string;
  kind: string;
  type: string;
}

interface StepInfo {
  relationship: string;
  description: string;
  from: { id: string };
  to: { id: string };
  claims: {
    id: string;
    text: string;
    textKind: string;
    statedAt: string | null;
    statedAtPrecision: string;
    claimant: { name: string };
  }[];
  sources: { id: string; title: string; url: string | null; publisher: string }[];
}

interface PathInfo {
  length: number;
  nodes: RawNode[];
  steps: StepInfo[];
}

interface RawNode {
  __typename: string;
  id: string;
  name?: string;
  kind?: string;
  tag?: string;
  statement?: string;
  title?: string;
  text?: string;
}

const NODE_LABEL = `__typename id
  ... on Actor { name kind }
  ... on Incident { name }
  ... on Hypothesis { tag statement }
  ... on Event { title }
  ... on Evidence { title }
  ... on Source { title }
  ... on Claim { text }
  ... on Alias { name }
  ... on Artifact { name }`;

const HOOD_QUERY = `query Hood($id: ID!, $first: Int) {
  node(id: $id) {
    ${NODE_LABEL}
    ... on Actor {
      aliases { name refersTo { id name kind } }
      affiliations { role organisation { id name kind } }
      members(first: 100) { nodes { role member { id name kind } } }
      incidents { id name }
      claims(first: $first) { edges { node { stance hypothesis { id tag statement } } } }
    }
    ... on Incident {
      hypotheses { id tag statement suspects { id name kind } }
      related { relation incident { id name } }
    }
    ... on Hypothesis {
      incident { id name }
      suspects { id name kind }
      supporters { actor { id name kind } }
      opponents { actor { id name kind } }
    }
    ... on Event { incident { id name } participants { roles actor { id name kind } } }
    ... on Claim { claimant { id name kind } hypothesis { id tag statement } }
    ... on Alias { actors { id name kind } }
    ... on Incident { artifacts { relation artifact { __typename id name } } }
    ... on Actor {
      artifacts { relation artifact { __typename id name } }
      locations { relation direction node { __typename id ... on Location { name } } }
    }
    ... on Location { links { relation direction node { __typename id ... on Artifact { name } ... on Actor { name kind } ... on Location { name } } } }
    ... on Artifact {
      usedBy { actor { id name kind } }
      seenIn { incident { id name } }
      links { relation direction node { __typename id ... on Artifact { name } ... on Actor { name kind } ... on Location { name } } }
    }
  }
}`;

const LINKS_QUERY = `query Links($from: ID!, $to: ID!, $maxHops: Int) {
  suspectLinks(from: $from, to: $to, maxHops: $maxHops) {
    length
    nodes { ${NODE_LABEL} }
    steps {
      relationship description
      from { id } to { id }
      claims { id text textKind statedAt statedAtPrecision claimant { name } }
      sources { id title url publisher }
    }
  }
}`;

let cy: Core;
const expanded = new Set<string>();
let paths: PathInfo[] = [];
/**
 * Bumped by every `center`: an answer that arrives after the graph was cleared for another entity
 * belongs to a graph that is gone and is dropped (on a slow server the page's first centring could
 * otherwise land after, and wipe, one the analyst asked for meanwhile).
 */
let generation = 0;
let onKnown: (id: string, label: string) => void = () => undefined;

function info(n: RawNode): NodeInfo {
  const t = n.__typename;
  const label =
    t === 'Hypothesis'
      ? `${n.tag}: ${clip(n.statement ?? '', 38)}`
      : clip(n.name ?? n.title ?? n.text ?? n.id, 40);
  return { id: n.id, label, kind: t === 'Actor' ? (n.kind ?? 'GROUP') : t, type: t };
}

function artifact(a: { __typename: string; id: string; name: string }): NodeInfo {
  return { id: a.id, label: clip(a.name, 40), kind: a.__typename, type: a.__typename };
}
const VERB: Record<string, string> = {
  USES: 'uses',
  COMMUNICATES_WITH: 'contacts',
  INDICATES: 'indicates',
  VARIANT_OF: 'variant of',
  DROPS: 'drops',
  RESOLVES_TO: 'resolves to',
  TARGETS: 'targets',
  LOCATED_AT: 'located at',
  OBSERVED_IN: 'seen in',
};
/** Adds the technical links of an expanded node (any kind that has them). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function addTechnical(id: string, n: any): void {
  for (const e of n.artifacts ?? []) {
    addNode(artifact(e.artifact), id);
    if (n.__typename === 'Incident') addEdge(e.artifact.id, id, VERB.OBSERVED_IN);
    else addEdge(id, e.artifact.id, VERB[e.relation] ?? e.relation);
  }
  for (const e of n.usedBy ?? []) {
    addNode(actor(e.actor), id);
    addEdge(e.actor.id, id, VERB.USES);
  }
  for (const e of n.seenIn ?? []) {
    addNode(incident(e.incident), id);
    addEdge(id, e.incident.id, VERB.OBSERVED_IN);
  }
  for (const e of [...(n.links ?? []), ...(n.locations ?? [])]) {
    const other = e.node;
    addNode(other.__typename === 'Actor' ? actor(other) : artifact(other), id);
    const [a, b] = e.direction === 'OUTGOING' ? [id, other.id] : [other.id, id];
    addEdge(a, b, VERB[e.relation] ?? e.relation);
  }
}

function actor(a: { id: string; name: string; kind: string }): NodeInfo {
  return { id: a.id, label: clip(a.name, 40), kind: a.kind, type: 'Actor' };
}
function hyp(x: { id: string; tag: string; statement: string }): NodeInfo {
  return {
    id: x.id,
    label: `${x.tag}: ${clip(x.statement, 38)}`,
    kind: 'Hypothesis',
    type: 'Hypothesis',
  };
}
function incident(x: { id: string; name: string }): NodeInfo {
  return { id: x.id, label: clip(x.name, 40), kind: 'Incident', type: 'Incident' };
}

function addNode(n: NodeInfo, near?: string): void {
  onKnown(n.id, n.label);
  if (cy.getElementById(n.id).nonempty()) return;
  const at = near ? cy.getElementById(near) : null;
  const pos = at?.nonempty() ? at.position() : { x: 0, y: 0 };
  cy.add({
    group: 'nodes',
    data: { ...n, colour: COLOURS[n.kind] ?? '#555' },
    position: { x: pos.x + (Math.random() - 0.5) * 80, y: pos.y + (Math.random() - 0.5) * 80 },
  });
}

function addEdge(
  from: string,
  to: string,
  label: string,
  extra: Record<string, unknown> = {},
): string {
  const id = `${from}|${label}|${to}`;
  if (cy.getElementById(id).empty())
    cy.add({ group: 'edges', data: { id, source: from, target: to, label, ...extra } });
  return id;
}

/** Lays the graph out: cose (keeping positions) after an expansion, fresh layouts otherwise. */
function layout(kind: 'expand' | 'hood' | 'paths', root?: string): void {
  const common = { animate: false, fit: true, padding: 30 };
  const options =
    kind === 'paths'
      ? { name: 'breadthfirst', roots: root ? [root] : undefined, spacingFactor: 1.1, ...common }
      : kind === 'hood'
        ? {
            name: 'concentric',
            concentric: (n: cytoscape.NodeSingular) =>
              n.id() === root ? 3 : n.data('type') === 'Actor' ? 1 : 2,
            levelWidth: () => 1,
            minNodeSpacing: 30,
            ...common,
          }
        : {
            name: 'cose',
            randomize: false,
            nodeRepulsion: () => 12000,
            idealEdgeLength: () => 100,
            ...common,
          };
  cy.layout(options as cytoscape.LayoutOptions).run();
}

/** Adds the neighbourhood of one entity (its direct links) to the graph. */
export async function expand(id: string, fresh = false): Promise<void> {
  const asked = generation;
  const data = await gql<{ node: Record<string, unknown> & RawNode }>(HOOD_QUERY, {
    id,
    first: 100,
  });
  if (asked !== generation) return; // the graph was re-centred meanwhile
  const n = data.node as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!n) {
    showDetails(h('p', {}, `Nothing has the id “${id}”.`));
    return;
  }
  expanded.add(id);
  addNode(info(n));
  addTechnical(id, n);
  queueMicrotask(() => {
    byId('graph').dataset.types = [...new Set(cy.nodes().map((x) => x.data('type') as string))]
      .sort()
      .join(' ');
  });
  switch (n.__typename) {
    case 'Actor': {
      for (const a of n.aliases) {
        if (a.refersTo && a.refersTo.id !== id) {
          addNode(actor(a.refersTo), id);
          addEdge(id, a.refersTo.id, 'known as');
        }
      }
      for (const a of n.affiliations) {
        addNode(actor(a.organisation), id);
        addEdge(id, a.organisation.id, a.role ? `part of (${a.role})` : 'part of');
      }
      for (const m of n.members.nodes) {
        addNode(actor(m.member), id);
        addEdge(m.member.id, id, m.role ? `part of (${m.role})` : 'part of');
      }
      for (const i of n.incidents) {
        addNode(incident(i), id);
        addEdge(id, i.id, 'involved in');
      }
      for (const e of n.claims.edges) {
        const c = e.node;
        if (!c.hypothesis || (c.stance !== 'SUPPORTS' && c.stance !== 'DISPUTES')) continue;
        addNode(hyp(c.hypothesis), id);
        addEdge(id, c.hypothesis.id, c.stance === 'SUPPORTS' ? 'supports' : 'disputes', {
          stance: c.stance,
        });
      }
      break;
    }
    case 'Incident':
      for (const x of n.hypotheses) {
        addNode(hyp(x), id);
        addEdge(x.id, id, 'explains');
        for (const s of x.suspects) {
          addNode(actor(s), x.id);
          addEdge(x.id, s.id, 'suspects');
        }
      }
      for (const r of n.related) {
        addNode(incident(r.incident), id);
        addEdge(id, r.incident.id, r.relation);
      }
      break;
    case 'Hypothesis':
      addNode(incident(n.incident), id);
      addEdge(id, n.incident.id, 'explains');
      for (const s of n.suspects) {
        addNode(actor(s), id);
        addEdge(id, s.id, 'suspects');
      }
      for (const p of n.supporters) {
        addNode(actor(p.actor), id);
        addEdge(p.actor.id, id, 'supports', { stance: 'SUPPORTS' });
      }
      for (const p of n.opponents) {
        addNode(actor(p.actor), id);
        addEdge(p.actor.id, id, 'disputes', { stance: 'DISPUTES' });
      }
      break;
    case 'Event':
      addNode(incident(n.incident), id);
      addEdge(id, n.incident.id, 'in');
      for (const p of n.participants) {
        addNode(actor(p.actor), id);
        addEdge(p.actor.id, id, p.roles.join(', ') || 'takes part');
      }
      break;
    case 'Claim':
      addNode(actor(n.claimant), id);
      addEdge(n.claimant.id, id, 'claims');
      if (n.hypothesis) {
        addNode(hyp(n.hypothesis), id);
        addEdge(id, n.hypothesis.id, 'about');
      }
      break;
    case 'Alias':
      for (const a of n.actors) {
        addNode(actor(a), id);
        addEdge(a.id, id, 'known as');
      }
      break;
    default:
      break;
  }
  cy.getElementById(id).addClass('expanded');
  layout(fresh ? 'hood' : 'expand', id);
  if (fresh) byId('graph').dataset.center = id;
}

/** Centres the graph on `id` unless something was centred already (the page's first view). */
export async function centerIfIdle(id: string): Promise<void> {
  if (generation === 0) await center(id);
}

/** Clears the graph and shows the neighbourhood of one entity. */
export async function center(id: string): Promise<void> {
  generation += 1;
  cy.elements().remove();
  expanded.clear();
  paths = [];
  byId('paths').replaceChildren(h('li', { class: 'muted' }, 'Use “Find links” to draw paths.'));
  byId<HTMLInputElement>('center-id').value = id;
  await expand(id, true);
}

function showDetails(...content: Node[]): void {
  byId('details').replaceChildren(...content);
}

function stepView(s: StepInfo): HTMLElement {
  return h(
    'div',
    { class: 'step' },
    h('p', {}, h('strong', {}, words(s.relationship)), ': ', s.description),
    s.claims.length
      ? h(
          'ul',
          { class: 'step-claims' },
          s.claims.map((c) =>
            h(
              'li',
              {},
              h(
                'span',
                { class: 'muted' },
                `${c.claimant.name}, ${fmtDate(c.statedAt, c.statedAtPrecision)}: `,
              ),
              c.textKind === 'QUOTE' ? `“${c.text}”` : c.text,
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No claim behind this step (a structural link).'),
    s.sources.length
      ? h(
          'ul',
          { class: 'sources' },
          s.sources.map((src) =>
            h(
              'li',
              {},
              src.url
                ? h('a', { href: src.url, target: '_blank', rel: 'noopener noreferrer' }, src.title)
                : src.title,
              ` — ${src.publisher}`,
            ),
          ),
        )
      : '',
  );
}

function highlight(i: number): void {
  const p = paths[i];
  cy.elements().removeClass('path-active');
  if (!p) return;
  for (const n of p.nodes) cy.getElementById(n.id).addClass('path-active');
  for (const s of p.steps)
    cy.getElementById(`${s.from.id}|${s.relationship}|${s.to.id}`).addClass('path-active');
  for (const li of Array.from(byId('paths').children))
    li.classList.toggle('active', li.getAttribute('data-index') === String(i));
  showDetails(
    h('p', {}, h('strong', {}, `Path ${i + 1}`), ` (${p.length} step${p.length === 1 ? '' : 's'})`),
    ...p.steps.map(stepView),
  );
}

/** Draws the suspect-link paths between two entities. */
export async function findLinks(from: string, to: string, maxHops: number): Promise<number> {
  const list = byId('paths');
  list.replaceChildren(h('li', { class: 'muted' }, 'Searching…'));
  const data = await gql<{ suspectLinks: PathInfo[] }>(LINKS_QUERY, { from, to, maxHops });
  paths = data.suspectLinks;
  cy.elements().remove();
  expanded.clear();
  if (!paths.length) {
    list.replaceChildren(h('li', {}, `No path of at most ${maxHops} steps from ${from} to ${to}.`));
    const graph = byId('graph');
    graph.dataset.paths = '0';
    return 0;
  }
  for (const p of paths) {
    for (const n of p.nodes) addNode(info(n));
    for (const s of p.steps) addEdge(s.from.id, s.to.id, s.relationship, { step: s, path: true });
  }
  cy.getElementById(from).addClass('endpoint');
  cy.getElementById(to).addClass('endpoint');
  list.replaceChildren(
    ...paths.map((p, i) =>
      h(
        'li',
        { 'data-index': i },
        h(
          'button',
          { type: 'button', class: 'path-button', onclick: () => highlight(i) },
          `${p.length} step${p.length === 1 ? '' : 's'}: `,
          p.nodes.map((n) => info(n).label).join(' → '),
        ),
      ),
    ),
  );
  layout('paths', from);
  highlight(0);
  byId('graph').dataset.paths = String(paths.length);
  return paths.length;
}

function legend(): void {
  byId('legend').replaceChildren(
    ...Object.entries(COLOURS).map(([kind, colour]) => {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = colour;
      return h('li', {}, swatch, kind === kind.toUpperCase() ? words(kind) : kind);
    }),
  );
}

function nodeDetails(id: string): void {
  const n = cy.getElementById(id);
  if (n.empty()) return;
  showDetails(
    h('p', {}, h('strong', {}, n.data('label') as string)),
    h(
      'p',
      { class: 'muted' },
      `${n.data('type')}${n.data('type') === 'Actor' ? ` (${words(n.data('kind'))})` : ''} · `,
      h('code', {}, id),
    ),
    h('p', { class: 'muted' }, expanded.has(id) ? 'Expanded.' : 'Click to expand its links.'),
  );
}

function edgeDetails(e: EventObject): void {
  const step = e.target.data('step') as StepInfo | undefined;
  if (step) showDetails(stepView(step));
  else
    showDetails(
      h(
        'p',
        {},
        `${cy.getElementById(e.target.data('source')).data('label')} `,
        h('strong', {}, e.target.data('label') as string),
        ` ${cy.getElementById(e.target.data('target')).data('label')}`,
      ),
    );
}

/** Sets up cytoscape in #graph, the legend and the two forms. */
export function initGraph(known: (id: string, label: string) => void): Core {
  onKnown = known;
  cy = cytoscape({
    container: byId('graph'),
    minZoom: 0.2,
    maxZoom: 1.6,
    style: [
      {
        selector: 'node',
        style: {
          'background-color': 'data(colour)',
          label: 'data(label)',
          'font-size': 10,
          'text-wrap': 'wrap',
          'text-max-width': '120px',
          'text-valign': 'bottom',
          'text-margin-y': 3,
          color: '#222',
          'text-background-color': '#fff',
          'text-background-opacity': 0.75,
          'text-background-padding': '1px',
          width: 22,
          height: 22,
        },
      },
      { selector: 'node[type = "Hypothesis"]', style: { shape: 'round-rectangle', width: 30 } },
      { selector: 'node[type = "Incident"]', style: { shape: 'diamond', width: 30, height: 30 } },
      ...Object.entries(ARTIFACT_SHAPES).map(([type, shape]) => ({
        selector: `node[type = "${type}"]`,
        style: { shape: shape as cytoscape.Css.NodeShape, width: 24, height: 24 },
      })),
      { selector: 'node.expanded', style: { 'border-width': 3, 'border-color': '#f1c40f' } },
      { selector: 'node.endpoint', style: { width: 32, height: 32, 'font-weight': 'bold' } },
      {
        selector: 'edge',
        style: {
          width: 1.5,
          'line-color': '#aab',
          'target-arrow-color': '#aab',
          'target-arrow-shape': 'triangle',
          'curve-style': 'bezier',
          label: 'data(label)',
          'font-size': 8,
          color: '#555',
          'text-rotation': 'autorotate',
          'text-background-color': '#fff',
          'text-background-opacity': 0.8,
        },
      },
      {
        selector: 'edge[stance = "SUPPORTS"]',
        style: { 'line-color': '#27ae60', 'target-arrow-color': '#27ae60' },
      },
      {
        selector: 'edge[stance = "DISPUTES"]',
        style: { 'line-color': '#c0392b', 'target-arrow-color': '#c0392b', 'line-style': 'dashed' },
      },
      {
        selector: 'edge.path-active',
        style: {
          width: 4,
          'line-color': '#e67e22',
          'target-arrow-color': '#e67e22',
          'z-index': 10,
        },
      },
      { selector: 'node.path-active', style: { 'border-width': 3, 'border-color': '#e67e22' } },
      {
        selector: 'node.kbd-focus',
        style: {
          'overlay-color': '#f39c12',
          'overlay-opacity': 0.35,
          'overlay-padding': 8,
          'font-weight': 'bold',
        },
      },
    ],
  });
  cy.on('tap', 'node', (e) => {
    const id = e.target.id() as string;
    nodeDetails(id);
    if (!expanded.has(id)) void expand(id).catch(showError);
  });
  cy.on('mouseover', 'node', (e) => nodeDetails(e.target.id() as string));
  // A node the graph loses (a new centre, new paths) loses the keyboard focus too.
  cy.on('remove', 'node', (e) => {
    if (e.target.id() === focused) focusNode(null);
  });
  const box = byId('graph');
  box.addEventListener('keydown', onGraphKey);
  box.addEventListener('focus', () => {
    if (!focused && cy.nodes().nonempty()) {
      const roots = cy.nodes('.expanded');
      focusNode((roots.nonempty() ? roots.first() : cy.nodes().first()).id());
    }
  });
  cy.on('tap mouseover', 'edge', edgeDetails);
  legend();

  byId<HTMLFormElement>('center-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const id = byId<HTMLInputElement>('center-id').value.trim();
    if (id) void center(id).catch(showError);
  });
  byId<HTMLFormElement>('links-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const from = byId<HTMLInputElement>('links-from').value.trim();
    const to = byId<HTMLInputElement>('links-to').value.trim();
    const hops = Number(byId<HTMLSelectElement>('links-hops').value);
    if (from && to) void findLinks(from, to, hops).catch(showError);
  });
  (window as unknown as { explorerGraph: Core }).explorerGraph = cy;
  return cy;
}

function showError(err: unknown): void {
  showDetails(h('p', { class: 'error' }, (err as Error).message));
}

// ---------------------------------------------------------------------------------------------
// Keyboard access to the canvas. The graph box takes focus (Tab); the arrow keys move to the
// nearest node in that direction, N / P to the next / previous node linked to the current one,
// Home back to the first node, Enter expands the node, Space (or D) shows its details, Escape
// lets go. The node under focus gets a ring on the canvas; a polite live region reads it out.

let focused: string | null = null;

/** One line for a screen reader: the node, its kind, its links and whether it is expanded. */
function describe(id: string): string {
  const n = cy.getElementById(id);
  const type = n.data('type') as string;
  const kind = type === 'Actor' ? `${words(n.data('kind') as string).toLowerCase()} actor` : type;
  const links = n.connectedEdges().length;
  return `${n.data('label') as string}: ${kind}, ${links} link${links === 1 ? '' : 's'}, ${
    expanded.has(id) ? 'expanded' : 'Enter expands it'
  }.`;
}

/** Puts the keyboard focus on a node (null: none), keeps it in view and reads it out. */
export function focusNode(id: string | null): void {
  cy.nodes('.kbd-focus').removeClass('kbd-focus');
  const graph = byId('graph');
  const n = id ? cy.getElementById(id) : null;
  if (!n || n.empty()) {
    focused = null;
    delete graph.dataset.focused;
    return;
  }
  focused = n.id();
  n.addClass('kbd-focus');
  graph.dataset.focused = focused;
  const box = n.renderedBoundingBox({});
  if (box.x1 < 0 || box.y1 < 0 || box.x2 > cy.width() || box.y2 > cy.height()) cy.center(n);
  byId('graph-announce').textContent = describe(focused);
}

/** The nearest node from `from` in a direction (within a cone of about 60° either side). */
function nearest(
  from: cytoscape.NodeSingular,
  dir: 'left' | 'right' | 'up' | 'down',
): cytoscape.NodeSingular | null {
  const p = from.position();
  let best: cytoscape.NodeSingular | null = null;
  let bestScore = Infinity;
  cy.nodes().forEach((n) => {
    if (n.same(from)) return;
    const q = n.position();
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const along = dir === 'right' ? dx : dir === 'left' ? -dx : dir === 'down' ? dy : -dy;
    const across = dir === 'left' || dir === 'right' ? Math.abs(dy) : Math.abs(dx);
    if (along <= 0 || across > along * 1.8) return;
    const score = along + 2 * across;
    if (score < bestScore) {
      bestScore = score;
      best = n;
    }
  });
  return best;
}

/** The nodes linked to `id`, in label order. */
function neighbours(id: string): string[] {
  return cy
    .getElementById(id)
    .neighborhood('node')
    .map((n) => ({ id: n.id(), label: String(n.data('label')) }))
    .sort((a, b) => a.label.localeCompare(b.label))
    .map((n) => n.id);
}

/** N / P walk the links of one node (the anchor) until another key moves on. */
let walk: { anchor: string; index: number; at: string } | null = null;

function announce(text: string): void {
  byId('graph-announce').textContent = text;
}

function onGraphKey(e: KeyboardEvent): void {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const nodes = cy.nodes();
  if (!nodes.length) return;
  const roots = nodes.filter('.expanded');
  const first = () => (roots.nonempty() ? roots.first() : nodes.first()).id();
  const current = focused && cy.getElementById(focused).nonempty() ? focused : null;
  const dirs: Record<string, 'left' | 'right' | 'up' | 'down'> = {
    ArrowLeft: 'left',
    ArrowRight: 'right',
    ArrowUp: 'up',
    ArrowDown: 'down',
  };
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (key === 'n' || key === 'p') {
    if (!current) focusNode(first());
    else {
      const walking = walk && walk.at === current ? walk : null;
      const anchor = walking ? walking.anchor : current;
      const list = neighbours(anchor);
      if (!list.length) announce(`No links yet. ${describe(current)}`);
      else {
        const back = key === 'p';
        const from = walking ? walking.index : back ? 0 : -1;
        const index = (from + (back ? -1 : 1) + list.length) % list.length;
        focusNode(list[index]);
        walk = { anchor, index, at: list[index] };
      }
    }
    e.preventDefault();
    return;
  }
  walk = null;
  if (key in dirs) {
    if (!current) focusNode(first());
    else {
      const next = nearest(cy.getElementById(current), dirs[key]);
      if (next) focusNode(next.id());
      else announce(`Nothing further ${dirs[key]}. ${describe(current)}`);
    }
  } else if (key === 'Home') focusNode(first());
  else if (key === 'Enter') {
    if (!current) focusNode(first());
    else if (expanded.has(current)) announce(`Already expanded. ${describe(current)}`);
    else
      void expand(current)
        .then(() => focusNode(current))
        .catch(showError);
  } else if (key === ' ' || key === 'd') {
    if (!current) focusNode(first());
    else nodeDetails(current);
  } else if (key === 'Escape') focusNode(null);
  else return;
  e.preventDefault();
}

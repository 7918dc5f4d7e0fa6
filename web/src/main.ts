import './style.css';
import { achUnavailable, initAch, initAchKeys, scheduleAch } from './ach';
import {
  currentAsOf,
  goToDate,
  knownActors,
  loadCase,
  refresh,
  setOnAsOf,
  setOnKnownChange,
  setOnTimeline,
} from './case';
import { loadChart, markChartAsOf, setChartEvents, setOnPick } from './chart';
import { setShowInGraph, showAllClaims } from './claims';
import { byId, h } from './dom';
import { center, centerIfIdle, initGraph } from './graph';
import { initJudgment, scheduleJudgment } from './judgment';
import { completeOidcCallback, initSession, onViewerChange, restoreSession } from './session';
import { initSearch } from './search';
import { currentExclude, initWhatIf } from './whatif';
import { renderWriteBar, setAfterWrite } from './write';
import { initTechnical, showProfile } from './technical';

// Back from the organisation's sign-in page: finish it first (the address becomes the page left).
await completeOidcCallback().catch(() => undefined); // the reason is shown in the status line

const params = new URLSearchParams(window.location.search);
const incidentId = params.get('incident') ?? 'sony-pictures-2014';

const known = new Map<string, string>();
let knownTimer: number | undefined;
function remember(id: string, label: string): void {
  if (known.has(id)) return;
  known.set(id, label);
  window.clearTimeout(knownTimer);
  knownTimer = window.setTimeout(() => {
    byId('known-ids').replaceChildren(
      ...[...known]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([value, text]) => h('option', { value }, text)),
    );
  }, 50);
}
setOnKnownChange(() => knownActors.forEach((name, id) => remember(id, name)));

function showInGraph(id: string): void {
  void center(id);
  byId('explorer').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

initWhatIf(() => {
  void refresh();
  void loadChart(incidentId, currentExclude());
});
if (currentExclude()) byId<HTMLDetailsElement>('whatif').open = true;
initAch(incidentId);
initAchKeys();
setOnAsOf((asOf) => {
  scheduleAch(asOf);
  void showProfile(asOf);
});
initJudgment(incidentId);
setOnAsOf((asOf) => scheduleJudgment(asOf));
setOnAsOf(markChartAsOf);
setOnTimeline(setChartEvents);
setOnPick(goToDate);
initTechnical(incidentId);
initGraph(remember);
setShowInGraph(showInGraph);
initSearch((type, id) => {
  if (type === 'Incident') window.location.href = `/?incident=${encodeURIComponent(id)}`;
  else if (type === 'Actor') void showAllClaims(id);
  else showInGraph(id);
});

// A write redraws what it can change: the board, the matrix and the chart (no reload).
setAfterWrite(() => {
  void refresh();
  scheduleAch(currentAsOf, 0);
  scheduleJudgment(currentAsOf);
  void loadChart(incidentId, currentExclude());
});
initSession();
let started = false;
onViewerChange(() => {
  renderWriteBar();
  if (started) void refresh(); // the board draws (or drops) its write controls
});

void (async () => {
  try {
    await restoreSession();
    started = true;
    const inc = await loadCase(incidentId, params.get('asOf'));
    if (inc) {
      void loadChart(inc.id, currentExclude());
      // An entity the analyst centred while the case loaded keeps the graph.
      await centerIfIdle(inc.id);
      void showProfile(params.get('asOf'));
    } else achUnavailable('No such incident.');
  } catch (err) {
    byId('status').textContent = `Could not load the case: ${(err as Error).message}`;
    achUnavailable('The case could not be loaded.');
  } finally {
    document.body.dataset.loaded = 'true'; // the first view is drawn (or failed): tests wait on it
  }
})();

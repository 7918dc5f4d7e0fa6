// Keyboard access to the graph canvas: Tab into it, move between nodes (arrow keys, N / P along
// the links of one node), expand one with Enter, open its details with Space; a live region reads
// the node out, and the focus never leaves the canvas.
import { useBrowser } from './harness';
import { openCase } from './pages';

const b = useBrowser();
const SONY = 'sony-pictures-2014';

test('the graph canvas works from the keyboard: move between nodes, expand, open details', async () => {
  await openCase(b);
  await b.until('!!window.explorerGraph && window.explorerGraph.nodes().length > 3', 60_000);
  const graph = b.page.locator('#graph');
  const focused = () => graph.getAttribute('data-focused');
  const announced = () => b.page.locator('#graph-announce').textContent();

  // Tab lands on the canvas (after the forms above it); the centre, the incident, takes focus.
  await b.page.locator('#links-hops').focus();
  await b.page.keyboard.press('Tab'); // the "Find links" button
  await b.page.keyboard.press('Tab');
  await expect(b.page.evaluate('document.activeElement.id')).resolves.toBe('graph');
  await expect(focused()).resolves.toBe(SONY);
  await expect(announced()).resolves.toMatch(/^Sony Pictures.*: Incident, \d+ links, expanded\.$/);

  // N and P walk the incident's links.
  const neighbours = (await b.page.evaluate(
    `explorerGraph.getElementById('${SONY}').neighborhood('node').map((n) => n.id())`,
  )) as string[];
  await b.page.keyboard.press('n');
  const first = (await focused())!;
  expect(neighbours).toContain(first);
  await b.page.keyboard.press('n');
  const second = (await focused())!;
  expect(neighbours).toContain(second);
  expect(second).not.toBe(first);
  await b.page.keyboard.press('p');
  await expect(focused()).resolves.toBe(first);

  // The arrow keys move to the nearest node that way.
  const seen = new Set<string>([first]);
  for (const key of ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp', 'ArrowRight']) {
    await b.page.keyboard.press(key);
    seen.add((await focused())!);
  }
  expect(seen.size).toBeGreaterThan(1);

  // Home goes back to the incident; N to H1 (not yet expanded); Space opens its details.
  await b.page.keyboard.press('Home');
  await expect(focused()).resolves.toBe(SONY);
  let target = '';
  for (let i = 0; i < neighbours.length && !target; i++) {
    await b.page.keyboard.press('n');
    const id = (await focused())!;
    const open = await b.page.evaluate(
      `explorerGraph.getElementById('${id}').hasClass('expanded')`,
    );
    if (!open && id === 'sony-h1-dprk-state') target = id; // H1: it has supporters to add
  }
  expect(target).not.toBe('');
  await b.page.keyboard.press(' ');
  await expect(b.page.locator('#details code').textContent()).resolves.toBe(target);
  await expect(announced()).resolves.toContain('Enter expands it');

  // Enter expands it: its links (supporters, suspects) join the graph; the focus stays on it.
  const before = (await b.page.evaluate(
    `explorerGraph.getElementById('${target}').connectedEdges().length`,
  )) as number;
  await b.page.keyboard.press('Enter');
  await b.until(`explorerGraph.getElementById('${target}').hasClass('expanded')`, 60_000);
  await b.until(
    `explorerGraph.getElementById('${target}').connectedEdges().length > ${before}`,
    60_000,
  );
  await expect(focused()).resolves.toBe(target);
  await b.until(
    "document.getElementById('graph-announce').textContent.endsWith('expanded.')",
    30_000,
  );
  await expect(b.page.evaluate('document.activeElement.id')).resolves.toBe('graph');
  await b.shot('graph-keyboard');
});

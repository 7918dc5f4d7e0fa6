// Who is signed in. An API key, or an access token from the organisation's OpenID Connect
// provider (oidc.ts), is checked against `viewer`, kept for this tab in sessionStorage (never in
// localStorage, never in the address), and sent with every request; the role decides which
// write controls the page draws.
import { gql, setCredential } from './api';
import { byId, h, words } from './dom';
import { clearErrors, showErrors } from './forms';
import { finishOidcSignIn, isOidcCallback, oidcConfig, startOidcSignIn } from './oidc';

export type ViewerRole = 'ANONYMOUS' | 'READER' | 'ANALYST' | 'ADMIN';
export interface Viewer {
  id: string | null;
  name: string;
  role: ViewerRole;
}

const ANONYMOUS: Viewer = { id: null, name: 'anonymous', role: 'ANONYMOUS' };
const STORE = 'attribution.credential';
const VIEWER = `query Viewer { viewer { id name role } }`;

let viewer: Viewer = ANONYMOUS;
const listeners: ((v: Viewer) => void)[] = [];

/** Called whenever who is signed in changes (the board redraws its write controls). */
export function onViewerChange(fn: (v: Viewer) => void): void {
  listeners.push(fn);
}

export const currentViewer = (): Viewer => viewer;
/** Analysts and admins record claims, sources and ratings, and retract claims. */
export const canWrite = (): boolean => viewer.role === 'ANALYST' || viewer.role === 'ADMIN';
/** Admins also reinstate retracted claims. */
export const isAdmin = (): boolean => viewer.role === 'ADMIN';

function setViewer(v: Viewer): void {
  viewer = v;
  document.body.dataset.role = v.role.toLowerCase();
  renderBadge();
  listeners.forEach((fn) => fn(v));
}

/**
 * Signs in with a credential: asks the API who it belongs to. An unknown or revoked key is
 * refused by the server (UNAUTHENTICATED) and nothing is kept.
 */
export async function signIn(credential: string): Promise<Viewer> {
  setCredential(credential);
  let v: Viewer;
  try {
    v = (await gql<{ viewer: Viewer }>(VIEWER)).viewer;
  } catch (err) {
    setCredential(null);
    throw err;
  }
  sessionStorage.setItem(STORE, credential);
  setViewer(v);
  return v;
}

export function signOut(): void {
  setCredential(null);
  sessionStorage.removeItem(STORE);
  setViewer(ANONYMOUS);
}

/** Restores the tab's sign-in after a reload (a revoked key signs out quietly). */
export async function restoreSession(): Promise<void> {
  const kept = sessionStorage.getItem(STORE);
  if (!kept) return setViewer(ANONYMOUS);
  try {
    await signIn(kept);
  } catch {
    signOut();
  }
}

function renderBadge(): void {
  const box = byId('session');
  if (viewer.role === 'ANONYMOUS') {
    box.replaceChildren(
      h('button', { type: 'button', id: 'signin-open', onclick: openSignIn }, 'Sign in'),
    );
    return;
  }
  box.replaceChildren(
    h(
      'span',
      { id: 'session-who', class: 'session-who' },
      viewer.name,
      h('span', { class: 'muted' }, ` · ${words(viewer.role)}`),
    ),
    h('button', { type: 'button', id: 'signout', onclick: signOut }, 'Sign out'),
  );
}

/** The sign-in dialog: an API key (the server's administrators hand them out). */
function openSignIn(): void {
  const dialog = byId<HTMLDialogElement>('signin-dialog');
  const form = byId<HTMLFormElement>('signin-form');
  const input = byId<HTMLInputElement>('signin-key');
  clearErrors(form);
  input.value = '';
  offerOidc();
  if (!dialog.open) dialog.showModal();
  input.focus();
}

/**
 * On `/signin/callback` (the provider sending the browser back): finishes the OpenID Connect
 * sign-in, signs in with the access token, and puts the page it left back in the address bar, so
 * the explorer starts there without a reload. Elsewhere, does nothing.
 */
export async function completeOidcCallback(): Promise<void> {
  if (!isOidcCallback()) return;
  let returnTo = '/';
  try {
    const done = await finishOidcSignIn();
    if (done.returnTo.startsWith('/') && !done.returnTo.startsWith('//')) returnTo = done.returnTo;
    await signIn(done.accessToken);
  } catch (err) {
    window.history.replaceState(null, '', returnTo);
    byId('status').textContent = `Could not sign in: ${(err as Error).message}`;
    throw err;
  }
  window.history.replaceState(null, '', returnTo);
}

/**
 * Offers the organisation's sign-in in the dialog when the server has one configured (asked
 * when the dialog first opens, not on every page load).
 */
function offerOidc(): void {
  oidcConfig().then(
    (cfg) => {
      byId('signin-oidc').hidden = !cfg.enabled;
    },
    () => {
      byId('signin-oidc').hidden = true; // API keys still work; asked again at the next opening
    },
  );
}

/** Wires the organisation's sign-in button. */
function initOidc(): void {
  const box = byId('signin-oidc');
  const error = byId('signin-oidc-error');
  byId('signin-oidc-start').addEventListener('click', () => {
    error.hidden = true;
    box.setAttribute('aria-busy', 'true');
    startOidcSignIn().catch((err: Error) => {
      box.setAttribute('aria-busy', 'false');
      error.textContent = `Could not start the sign-in: ${err.message}`;
      error.dataset.error = 'oidc';
      error.hidden = false;
    });
  });
}

/** Wires the sign-in form (once, at start). */
export function initSession(): void {
  initOidc();
  const form = byId<HTMLFormElement>('signin-form');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      clearErrors(form);
      const key = byId<HTMLInputElement>('signin-key').value.trim();
      form.setAttribute('aria-busy', 'true');
      try {
        await signIn(key);
        byId<HTMLDialogElement>('signin-dialog').close();
        byId('signout').focus();
      } catch (err) {
        showErrors(form, [{ field: 'key', message: (err as Error).message }]);
      } finally {
        form.setAttribute('aria-busy', 'false');
      }
    })();
  });
  renderBadge();
}

/** The frame of every page: a skip link, the navigation (a landmark, the current page marked), the main region. */
import type { ReactNode } from 'react';
import { Link } from '../router.js';
import type { Session } from '../types.js';

const pages = [
  ['/', 'Overview'],
  ['/backorders', 'Backorders'],
  ['/suppliers', 'Suppliers'],
  ['/runs', 'Allocation runs'],
  ['/simulation', 'Simulation'],
  ['/settings', 'Settings'],
] as const;

export function Layout({ path, children, session, signOut }: { path: string; children: ReactNode; session: Session; signOut: () => void }) {
  const current = (p: string) => (p === '/' ? path === '/' : path.startsWith(p));
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header>
        <span className="brand">Raincheck</span>
        <nav aria-label="Pages">
          {pages.map(([p, label]) => (
            <Link key={p} to={p} aria-current={current(p) ? 'page' : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <span className="account">
          {session.name} ({session.role}){' '}
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

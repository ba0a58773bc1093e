/** Hash routes (`#/backorders?sku=X`): the API owns every real path, so the dashboard's pages live after the `#`. */
import { useEffect, useState, type ReactNode } from 'react';

export interface Route {
  path: string;
  query: URLSearchParams;
}

const read = (): Route => {
  const [path = '/', query = ''] = window.location.hash.replace(/^#/, '').split('?');
  return { path: path || '/', query: new URLSearchParams(query) };
};

export function useRoute(): Route {
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const href = (path: string, query: Record<string, string | undefined> = {}): string => {
  const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')).toString();
  return `#${path}${q ? `?${q}` : ''}`;
};

export function navigate(path: string, query: Record<string, string | undefined> = {}): void {
  window.location.hash = href(path, query);
}

export function Link({ to, query, children, ...rest }: { to: string; query?: Record<string, string | undefined>; children: ReactNode; className?: string; 'aria-current'?: 'page' | undefined }) {
  return (
    <a href={href(to, query)} {...rest}>
      {children}
    </a>
  );
}

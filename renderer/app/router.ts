import { useEffect, useState } from 'react';

export const routes = ['patients', 'prescribe', 'outbox', 'settings'] as const;
export type Route = (typeof routes)[number];

function current(): Route {
  const name = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (routes as readonly string[]).includes(name ?? '') ? (name as Route) : 'patients';
}

/** A tiny hash router: `#/patients`, `#/settings`, … (works under app:// and http://). */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(current);
  useEffect(() => {
    const onChange = () => setRoute(current());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export const hrefOf = (route: Route) => `#/${route}`;

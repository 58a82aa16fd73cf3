import { useEffect, useState } from 'react';

export const routes = ['patients', 'prescribe', 'verify', 'outbox', 'settings'] as const;
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

/** The segments after the route name: `#/patients/12/edit` → ['12', 'edit']. */
function subPath(): string[] {
  return window.location.hash
    .replace(/^#\/?/, '')
    .split(/[?]/)[0]!
    .split('/')
    .slice(1)
    .filter((s) => s !== '');
}

/**
 * Sub-pages of a screen (`#/patients/new`, `#/patients/12`), kept in step with the address bar
 * while it names `route`. When the address moves to another screen, the path stays as it was:
 * this screen is about to go, and must not first render another screen's path as its own (the
 * patient page asking for patient 2 when « Renouveler » goes to `#/prescribe/2`).
 */
export function useSubPath(route: Route): string[] {
  const [path, setPath] = useState<string[]>(() => (current() === route ? subPath() : []));
  useEffect(() => {
    const onChange = () => {
      if (current() === route) setPath(subPath());
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, [route]);
  return path;
}

export const patientHref = (id: number | 'new', edit = false) => `#/patients/${id}${edit ? '/edit' : ''}`;
export const prescriptionHref = (id: number) => `#/prescribe/${id}`;
/** Starts a new draft for the patient, then replaces itself with the draft's address. */
export const newPrescriptionHref = (patientId: number) => `#/prescribe/new/${patientId}`;

/** Goes to an address of the app (the router follows the hash). */
export function go(href: string): void {
  window.location.hash = href;
}

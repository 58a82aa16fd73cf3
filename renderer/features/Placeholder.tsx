import { Screen } from '../components/Screen';

/** A screen whose feature is still to come says so, rather than staying blank. */
export function Placeholder({ title, coming }: { title: string; coming: string }) {
  return (
    <Screen title={title}>
      <p className="placeholder">{coming}</p>
    </Screen>
  );
}

/** The dashboard: one page per hash route, inside the common layout. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Layout } from './components/layout.js';
import { useRoute } from './router.js';
import { Overview } from './pages/overview.js';
import { Worklist } from './pages/worklist.js';
import { OrderPage } from './pages/order.js';
import { BackorderPage } from './pages/backorder.js';
import { Runs } from './pages/runs.js';
import { SkuPage } from './pages/sku.js';
import { Suppliers } from './pages/suppliers.js';
import { Simulation } from './pages/simulation.js';
import { Settings } from './pages/settings.js';
import { SignedIn } from './components/sign-in.js';
import type { Session } from './types.js';
import './styles.css';

function Page({ session, signOut }: { session: Session; signOut: () => void }) {
  const route = useRoute();
  const [, section, id] = route.path.split('/').map(decodeURIComponent);
  const page = (() => {
    if (section === 'backorders' && id) return <BackorderPage id={id} />;
    if (section === 'backorders') return <Worklist route={route} />;
    if (section === 'orders' && id) return <OrderPage id={id} />;
    if (section === 'skus' && id) return <SkuPage id={id} />;
    if (section === 'suppliers') return <Suppliers />;
    if (section === 'runs') return <Runs route={route} />;
    if (section === 'simulation') return <Simulation />;
    if (section === 'settings') return <Settings session={session} />;
    if (!section) return <Overview />;
    return <p role="alert">There is no page at {route.path}. Use the navigation above.</p>;
  })();
  // A new page starts at the top, and its heading is announced.
  return (
    <Layout path={route.path} key={route.path} session={session} signOut={signOut}>
      {page}
    </Layout>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SignedIn>{(session, signOut) => <Page session={session} signOut={signOut} />}</SignedIn>
  </StrictMode>,
);

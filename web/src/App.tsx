import { useEffect, useState } from 'react';
import { api, onSignedOut, type Session } from './api';
import { Link, navigate, useLocation } from './router';
import { SignIn } from './pages/SignIn';
import { Overview } from './pages/Overview';
import { Customers } from './pages/Customers';
import { Customer } from './pages/Customer';
import { Segments } from './pages/Segments';
import { SegmentPage } from './pages/Segment';
import { SegmentBuilder } from './pages/SegmentBuilder';
import { Journeys } from './pages/Journeys';
import { JourneyPage } from './pages/Journey';
import { Messages } from './pages/Messages';
import { Recommendations } from './pages/Recommendations';
import { Offers } from './pages/Offers';
import { OfferPage } from './pages/Offer';
import { OfferForm } from './pages/OfferForm';
import { PlacementPage } from './pages/Placement';
import { ExperimentPage, Experiments } from './pages/Experiments';
import { Templates } from './pages/Templates';
import { TemplateEditor } from './pages/TemplateEditor';
import { Settings } from './pages/Settings';

const NAV = [
  ['/', 'Overview'],
  ['/customers', 'Customers'],
  ['/segments', 'Segments'],
  ['/journeys', 'Journeys'],
  ['/messages', 'Messages'],
  ['/recommendations', 'Recommendations'],
  ['/offers', 'Offers'],
  ['/experiments', 'Experiments'],
  ['/templates', 'Templates'],
  ['/settings', 'Settings'],
] as const;

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    // Without the readable hint cookie there is no session to ask about: asking would
    // answer 401, which the browser logs as an error on every visit.
    if (!document.cookie.split('; ').includes('rapport_signed_in=1')) setSession(null);
    else api<Session>('GET', '/v1/session').then(setSession, () => setSession(null));
    return onSignedOut(() => setSession(null));
  }, []);
  if (session === undefined) return <p aria-busy="true">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={setSession} />;

  const signOut = async () => {
    await api('DELETE', '/v1/session').catch(() => undefined);
    setSession(null);
    navigate('/');
  };
  return (
    <>
      <header className="top">
        <a className="skip" href="#main">
          Skip to content
        </a>
        <strong className="brand">Rapport</strong>
        <Nav />
        <span className="who">
          {session.workspaceId} · {session.scope === 'read' ? 'read only' : 'admin'}
        </span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page session={session} />
      </main>
    </>
  );
}

function Nav() {
  const { path } = useLocation();
  return (
    <nav aria-label="Pages">
      <ul>
        {NAV.map(([href, label]) => {
          const current = href === '/' ? path === '/' : path.startsWith(href);
          return (
            <li key={href}>
              <Link href={href} aria-current={current ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function Page({ session }: { session: Session }) {
  const { path } = useLocation();
  const canChange = session.scope === 'admin';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  useEffect(() => {
    const title = NAV.find(([href]) => href !== '/' && path.startsWith(href))?.[1] ?? 'Overview';
    document.title = `${title} · Rapport`;
  }, [path]);
  switch (parts[0]) {
    case undefined:
      return <Overview />;
    case 'customers':
      if (parts[1] && parts[2]) return <Customer kind={parts[1]} value={parts[2]} />;
      return <Customers />;
    case 'segments':
      if (parts[1] === 'new' && canChange) return <SegmentBuilder />;
      if (parts[1] && parts[2] === 'edit' && canChange) return <SegmentBuilder id={parts[1]} />;
      if (parts[1]) return <SegmentPage id={parts[1]} canChange={canChange} />;
      return <Segments canChange={canChange} />;
    case 'journeys':
      if (parts[1]) return <JourneyPage id={parts[1]} canChange={canChange} />;
      return <Journeys canChange={canChange} />;
    case 'messages':
      return <Messages canChange={canChange} />;
    case 'recommendations':
      return <Recommendations canChange={canChange} />;
    case 'offers':
      if (parts[1] === 'new') return canChange ? <OfferForm /> : <Offers canChange={false} />;
      if (parts[1] && parts[2] === 'edit' && canChange) return <OfferForm id={parts[1]} />;
      if (parts[1]) return <OfferPage id={parts[1]} canChange={canChange} />;
      return <Offers canChange={canChange} />;
    case 'placements':
      if (parts[1]) return <PlacementPage name={parts[1]} />;
      return <Offers canChange={canChange} />;
    case 'experiments':
      if (parts[1]) return <ExperimentPage id={parts[1]} />;
      return <Experiments />;
    case 'templates':
      if (parts[1] === 'new' && canChange) return <TemplateEditor id={null} canChange />;
      if (parts[1]) return <TemplateEditor id={parts[1]} canChange={canChange} />;
      return <Templates canChange={canChange} />;
    case 'settings':
      return <Settings canChange={canChange} />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            No page at {path}. <Link href="/">Go to the overview</Link>.
          </p>
        </section>
      );
  }
}

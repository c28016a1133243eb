/**
 * The page of `revo ui` (docs/ui.md): the runs list at `/`, a run at `/runs/<id>`.
 * Rendered with Preact, so every recorded value reaches the DOM as text: nothing here
 * sets innerHTML.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { navigate } from './api.js';
import { RunPage } from './run-page.js';
import { RunsList } from './runs-list.js';
import './style.css';

function App() {
  const [location, setLocation] = useState(() => ({ path: window.location.pathname, search: window.location.search }));
  useEffect(() => {
    const moved = () => setLocation({ path: window.location.pathname, search: window.location.search });
    addEventListener('popstate', moved);
    return () => removeEventListener('popstate', moved);
  }, []);
  const run = /^\/runs\/([^/]+)$/.exec(location.path);
  return (
    <>
      <header class="top">
        <a class="brand" href="/">Revo</a>
        <nav>
          <a href="/">Runs</a>
        </nav>
      </header>
      {run ? <RunPage key={run[1]} runId={decodeURIComponent(run[1]!)} /> : <RunsList search={location.search} />}
    </>
  );
}

// Links inside the app change the page without reloading it (a modified click opens a tab as usual).
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[href^="/"]') : null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(link.getAttribute('href')!);
});

render(<App />, document.getElementById('app')!);

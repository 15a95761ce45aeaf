// reachcheck widget, script mode (docs/embedding.md):
//   <script type="module" src="https://HOST/widget.js"></script>
//   <div data-reachcheck data-services="whatsapp,telegram" data-lang="ru"></div>
// Each widget lives in its own open shadow root. Nothing is contacted until the visitor
// consents inside the widget; loading this script only fetches the widget's own files.
import init, { mount_all } from './reachcheck-widget.js';

const base = new URL('./', import.meta.url).href;
await init({ module_or_path: new URL('reachcheck-widget_bg.wasm', base) });
mount_all(base);
// Widgets added to the page later (single-page sites) are mounted too.
new MutationObserver(() => mount_all(base)).observe(document.documentElement, { childList: true, subtree: true });

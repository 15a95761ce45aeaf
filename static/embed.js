// reachcheck iframe loader (optional, docs/embedding.md): resizes
// <iframe data-reachcheck-frame src="https://HOST/embed.html?…"> to its content.
// It accepts only {type: "reachcheck:resize", height} messages, only from the window inside one
// of those iframes and only from that iframe's origin; everything else is ignored.
(() => {
  const MIN = 120;
  const MAX = 4000;
  window.addEventListener('message', (event) => {
    const frames = document.querySelectorAll('iframe[data-reachcheck-frame]');
    for (const frame of frames) {
      if (event.source !== frame.contentWindow) continue;
      if (event.origin !== new URL(frame.src, location.href).origin) return;
      const data = event.data;
      if (!data || typeof data !== 'object' || data.type !== 'reachcheck:resize') return;
      if (typeof data.height !== 'number' || !Number.isFinite(data.height)) return;
      frame.style.height = `${Math.min(MAX, Math.max(MIN, Math.ceil(data.height)))}px`;
      return;
    }
  });
})();

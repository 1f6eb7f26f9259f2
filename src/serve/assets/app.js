// The dashboard's script (served as a file: the Content-Security-Policy allows no inline script).
// Charts from JSON blocks, copy buttons, EXPLAIN on demand, and jobs started with a POST that
// carries the page's CSRF token, watched until done; the fleet's database picker submitted on change.
// Text from the server is set as text, never as HTML. URLs of the shown database start with its base
// path (empty for one database, /db/<name> for a fleet member), which the page gives in a meta tag.
(function () {
  'use strict';
  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
  const base = document.querySelector('meta[name="indexwise-base"]')?.getAttribute('content') ?? '';

  function drawCharts() {
    for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
      const source = document.getElementById(canvas.getAttribute('data-chart'));
      if (source === null || typeof window.Chart !== 'function') continue;
      new window.Chart(canvas, JSON.parse(source.textContent ?? '{}'));
    }
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      headers: { 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
      credentials: 'same-origin',
    });
  }

  function showJob(job) {
    const box = document.getElementById('job');
    if (box === null) return;
    box.setAttribute('data-state', job.state);
    const bar = document.getElementById('job-progress');
    const stepText = document.getElementById('job-step');
    if (bar !== null && job.step !== null && job.step.total > 0) {
      bar.hidden = false;
      bar.max = job.step.total;
      bar.value = job.step.done;
    }
    if (stepText !== null) stepText.textContent = job.step === null ? job.state : `${job.step.label} ${job.step.done}/${job.step.total}`;
    const log = document.getElementById('job-log');
    if (log !== null) log.textContent = [...job.log, ...(job.error ? [`failed: ${job.error}`] : [])].join('\n');
  }

  async function watchJob(id) {
    for (;;) {
      const response = await fetch(`${base}/api/jobs/${encodeURIComponent(id)}`, { credentials: 'same-origin' });
      if (!response.ok) return;
      const job = await response.json();
      showJob(job);
      if (job.state === 'done') {
        if (job.resultUrl) window.location.assign(job.resultUrl);
        return;
      }
      if (job.state === 'failed') return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function startJob(response) {
    const job = await response.json();
    if (!response.ok && response.status !== 409) {
      showJob({ state: 'failed', log: [], step: null, error: job.error ?? response.statusText });
      return;
    }
    showJob(job);
    await watchJob(job.id);
  }

  document.addEventListener('click', async (event) => {
    const target = event.target instanceof Element ? event.target.closest('button') : null;
    if (target === null) return;
    if (target.hasAttribute('data-copy')) {
      const text = document.getElementById(target.getAttribute('data-copy'))?.textContent ?? '';
      await navigator.clipboard?.writeText(text).catch(() => {});
      target.textContent = 'copied';
      return;
    }
    if (target.hasAttribute('data-explain')) {
      const out = document.getElementById('explain-result');
      if (out === null) return;
      out.textContent = 'planning…';
      const response = await fetch(target.getAttribute('data-explain'), { credentials: 'same-origin' });
      const view = await response.json();
      const pre = document.createElement('pre');
      pre.className = 'plan';
      pre.textContent = response.ok
        ? [`scans: ${view.scans.join(', ') || 'none'}`, `indexes: ${view.indexes.join(', ') || 'none'}`, '', ...view.lines].join('\n')
        : `EXPLAIN failed: ${view.error}`;
      out.replaceChildren(pre);
      return;
    }
    if (target.hasAttribute('data-apply')) {
      const names = [...document.querySelectorAll('input[name="apply"]:checked')].map((i) => i.value);
      if (names.length === 0) return;
      if (!window.confirm(`Build ${names.length} index(es) on this database now?\n\n${names.join('\n')}`)) return;
      target.disabled = true;
      await startJob(await post(target.getAttribute('data-apply'), { indexes: names }));
      target.disabled = false;
      return;
    }
    if (target.hasAttribute('data-post')) {
      target.disabled = true;
      const response = await post(target.getAttribute('data-post'));
      if (target.hasAttribute('data-job-start')) await startJob(response);
      else if (target.hasAttribute('data-reload') && response.ok) window.location.reload();
      target.disabled = false;
    }
  });

  document.addEventListener('change', (event) => {
    const select = event.target instanceof HTMLSelectElement ? event.target : null;
    if (select?.hasAttribute('data-autosubmit') && select.form !== null && select.value !== '') select.form.requestSubmit();
  });

  document.addEventListener('DOMContentLoaded', () => {
    drawCharts();
    const running = document.getElementById('job')?.getAttribute('data-job');
    if (running) watchJob(running);
  });
})();

// Cloudiff web UI: progressive enhancement only. Every page reads and filters without this script.
(() => {
  // filter forms apply as soon as a box is ticked (without JavaScript, their button does it)
  for (const form of document.querySelectorAll('form[data-autosubmit]')) {
    form.addEventListener('change', () => form.requestSubmit());
    for (const b of form.querySelectorAll('button[data-js-hide]')) b.hidden = true;
  }
  // printing shows what is folded away on screen (notes, details), then folds it back
  let opened = [];
  window.addEventListener('beforeprint', () => {
    opened = [...document.querySelectorAll('details:not([open])')];
    for (const d of opened) d.open = true;
  });
  window.addEventListener('afterprint', () => {
    for (const d of opened) d.open = false;
    opened = [];
  });
  // copy buttons beside the embed snippets
  for (const pre of document.querySelectorAll('pre[data-copy]')) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Copy';
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(pre.textContent);
        button.textContent = 'Copied';
      } catch {
        button.textContent = 'Select the text to copy';
      }
    });
    pre.after(button);
  }
})();

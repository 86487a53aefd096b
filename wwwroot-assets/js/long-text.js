// A text box marked data-max-chars (the playgrounds' message and prompt boxes) sends its text to the server once, when
// it changes, in one SignalR message. A text longer than the limit is stopped here, before Blazor sees it: it stays in
// the box, unsent, and the note named by data-limit-note says why (the circuit would otherwise drop and the text be lost).
(() => {
  const tooLong = (box) => box.value.length > Number(box.dataset.maxChars);

  const say = (box) => {
    const over = tooLong(box);
    const note = document.getElementById(box.dataset.limitNote || '');
    box.setAttribute('aria-invalid', over ? 'true' : 'false');
    if (note) {
      note.textContent = over
        ? `This text is ${box.value.length.toLocaleString('en-US')} characters long; at most ${Number(box.dataset.maxChars).toLocaleString('en-US')} characters can be sent. It was not sent: shorten it.`
        : '';
      note.hidden = !over;
    }
    return over;
  };

  // Capture on window runs before Blazor's own listeners on the document.
  window.addEventListener('change', (event) => {
    const box = event.target;
    if (box instanceof HTMLTextAreaElement && box.dataset.maxChars && say(box)) {
      event.stopImmediatePropagation();
    }
  }, true);

  window.addEventListener('submit', (event) => {
    const form = event.target;
    const box = form instanceof HTMLFormElement ? form.querySelector('textarea[data-max-chars]') : null;
    if (box && say(box)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      box.focus();
    }
  }, true);
})();

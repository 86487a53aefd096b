// Buttons of the reconnect dialog (ReconnectModal.razor). Kept out of inline handlers so a strict CSP can apply.
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-reconnect-action]') : null;
  if (!button) {
    return;
  }
  if (button.dataset.reconnectAction === 'retry' && window.Blazor && typeof window.Blazor.reconnect === 'function') {
    window.Blazor.reconnect().then((reconnected) => {
      if (!reconnected) {
        location.reload();
      }
    });
  } else {
    location.reload();
  }
});

// The browser's time zone (an IANA id such as "Europe/Paris"), so the server can show times as the user reads them.
export function timeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
}

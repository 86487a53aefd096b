// Remembers the user's theme choice in a cookie the server reads for the first paint (App.razor). No value: follow
// the system's setting again (the cookie is removed).
export function remember(name, value) {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = value
    ? `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`
    : `${name}=; Path=/; Max-Age=0; SameSite=Lax${secure}`;
}
